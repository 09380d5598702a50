-- End-to-end test of the practice flow in real Neovim: the code lens above a function with
-- findings, running it opens the quiz float, which reveals, grades and undoes through the server.
-- Env: INTERVIEW_LENS_BIN, IL_PLUGIN, IL_FILE, INTERVIEW_LENS_DATA_DIR. Exits 0 only at the end.
vim.g.loaded_python3_provider = 0

local function fail(msg)
  io.stderr:write("FAIL [quiz]: " .. msg .. "\n")
  os.exit(1)
end

local function check(cond, msg)
  if not cond then
    fail(msg)
  end
end

-- The server records practice events: it must write to the test's data folder, never the user's.
check((vim.env.INTERVIEW_LENS_DATA_DIR or "") ~= "", "INTERVIEW_LENS_DATA_DIR is set (tests/src/lib.rs Sandbox)")

vim.opt.runtimepath:prepend(vim.env.IL_PLUGIN)
vim.cmd.runtime("plugin/interview-lens.lua")
check(vim.fn.exists(":InterviewLensQuiz") == 2, ":InterviewLensQuiz is defined")
require("interview-lens").setup({ path = vim.env.INTERVIEW_LENS_BIN })

vim.fn.writefile({
  "def add(item, bucket=[]):",
  "    for i in range(len(bucket)):",
  "        print(bucket[i])",
  "    bucket.append(item)",
  "    return bucket",
}, vim.env.IL_FILE)
vim.cmd.edit(vim.env.IL_FILE)
local buf = vim.api.nvim_get_current_buf()

check(vim.wait(20000, function()
  return #vim.diagnostic.get(buf) == 2
end, 50), "two diagnostics")

local lenses
check(vim.wait(20000, function()
  vim.lsp.codelens.refresh({ bufnr = buf })
  lenses = vim.lsp.codelens.get(buf)
  return #lenses > 0 and lenses[1].command ~= nil
end, 200), "a code lens appears")
check(#lenses == 1, "one lens, got " .. #lenses)
check(lenses[1].command.title == "2 interview questions here — practise", "lens title: " .. lenses[1].command.title)
check(lenses[1].range.start.line == 0, "the lens sits on the def line")

-- Run it the way a user does: cursor on the line, vim.lsp.codelens.run().
vim.api.nvim_win_set_cursor(0, { 1, 0 })
vim.lsp.codelens.run()
local quiz = require("interview-lens.quiz")
local function wait_state(want)
  local ok = vim.wait(20000, function()
    local view = quiz.current()
    return view ~= nil and view.state == want
  end, 50)
  local view, win, fbuf = quiz.current()
  check(ok, "quiz state " .. want .. ", got " .. vim.inspect(view and view.state))
  return view, win, fbuf
end

local view, win, fbuf = wait_state("question")
check(win and vim.api.nvim_win_get_config(win).relative == "editor", "the quiz is a floating window")
check(view.card.id == "mutable-default-argument" and view.total == 2, "first card from the code: " .. vim.inspect(view.card))
local text = table.concat(vim.api.nvim_buf_get_lines(fbuf, 0, -1, false), "\n")
check(text:find("def add(item, bucket=[]):", 1, true), "the float shows the excerpt: " .. text)
check(text:find("Interview question:", 1, true), "the float shows the question")
check(not text:find("Strong answer", 1, true), "the answer is hidden before revealing")

quiz.reveal("Defaults are evaluated once")
view, win, fbuf = wait_state("revealed")
text = table.concat(vim.api.nvim_buf_get_lines(fbuf, 0, -1, false), "\n")
check(text:find("**Your answer:** Defaults are evaluated once", 1, true), "the float shows the user's answer")
check(text:find("**Strong answer.**", 1, true) and text:find("`3` Good", 1, true), "the float shows the answer side and grades")

-- The float's own keys: 3 grades Good, u undoes it.
vim.api.nvim_feedkeys("3", "x", false)
view = wait_state("question")
check(view.card.id == "range-len-loop" and view.position == 1, "graded, next card: " .. vim.inspect(view.card))
vim.api.nvim_feedkeys("u", "x", false)
check(vim.wait(20000, function()
  local v = quiz.current()
  return v.card and v.card.id == "mutable-default-argument"
end, 50), "undo brings the first card back")

for _ = 1, 2 do
  quiz.reveal("")
  wait_state("revealed")
  quiz.grade(4)
  check(vim.wait(20000, function()
    return quiz.current().state ~= "revealed"
  end, 50), "graded")
end
view, win, fbuf = wait_state("done")
check(view.summary.reviewed == 2, "summary: " .. vim.inspect(view.summary))
text = table.concat(vim.api.nvim_buf_get_lines(fbuf, 0, -1, false), "\n")
check(text:find("Session done", 1, true), "the float says the session is done")
vim.api.nvim_feedkeys("q", "x", false)
check(not vim.api.nvim_win_is_valid(win), "q closes the float")

io.stdout:write("ok [quiz]\n")
os.exit(0)
