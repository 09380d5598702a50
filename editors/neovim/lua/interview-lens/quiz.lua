-- The quiz in a floating window, driven by the server's interviewLens.quiz.* commands (the same
-- flow as VS Code's panel). Keys in the float: `a` type an answer and reveal, `<CR>` reveal with no
-- answer, `1`-`4` grade (Again, Hard, Good, Easy), `u` undo, `q` close (progress is kept).
local M = {}

local NAME = "interview_lens"
local state = { win = nil, buf = nil, client = nil, view = nil, source = nil }

local function lines_of(text)
  return vim.split(text or "", "\n", { plain = true })
end

--- The float's Markdown for a QuizView.
function M.render(view)
  local out = {}
  local function add(text)
    vim.list_extend(out, lines_of(text))
  end
  if view.state == "done" then
    local s = view.summary or {}
    add("### Session done")
    add("")
    add(string.format("Reviewed %d card(s). Again %d · Hard %d · Good %d · Easy %d.", s.reviewed or 0,
      (s.ratings or {})[1] or 0, (s.ratings or {})[2] or 0, (s.ratings or {})[3] or 0, (s.ratings or {})[4] or 0))
    add("")
    add("`u` undo the last grade · `q` close")
    return out
  end
  local card = view.card or {}
  add(string.format("### %s", card.title or card.id or "?"))
  add(string.format("*%s · %s · card %d of %d*", card.level or "", card.topic or "", (view.position or 0) + 1, view.total or 0))
  add("")
  if card.location then
    add(string.format("From your code, line %d:", card.location.line))
  end
  if card.excerpt then
    add("```python")
    add(card.excerpt)
    add("```")
  end
  add("")
  add("**Interview question:** " .. (card.question or ""))
  add("")
  if view.state == "question" then
    add("`a` answer and reveal · `<CR>` reveal · `q` close")
    return out
  end
  local r = view.reveal or {}
  add("**Your answer:** " .. ((r.answer ~= nil and r.answer ~= "") and r.answer or "(none)"))
  add("")
  add("**Strong answer.** " .. (r.strong_answer or ""))
  add("")
  add("**Red flag.** " .. (r.red_flag or ""))
  add("")
  add("**How it is scored.**")
  add(r.scoring or "")
  add("")
  add("**Follow-ups.**")
  for _, f in ipairs(r.follow_ups or {}) do
    add("- " .. f)
  end
  add("")
  local i = view.intervals or {}
  add(string.format("`1` Again (%s) · `2` Hard (%s) · `3` Good (%s) · `4` Easy (%s) · `u` undo · `q` close",
    i["1"] or "?", i["2"] or "?", i["3"] or "?", i["4"] or "?"))
  return out
end

local function show(view)
  state.view = view
  local lines = M.render(view)
  if not (state.buf and vim.api.nvim_buf_is_valid(state.buf)) then
    state.buf = vim.api.nvim_create_buf(false, true)
    vim.bo[state.buf].filetype = "markdown"
    vim.bo[state.buf].bufhidden = "wipe"
  end
  vim.bo[state.buf].modifiable = true
  vim.api.nvim_buf_set_lines(state.buf, 0, -1, false, lines)
  vim.bo[state.buf].modifiable = false
  local width = math.min(100, vim.o.columns - 4)
  local height = math.min(#lines + 1, vim.o.lines - 4)
  local config = { relative = "editor", width = width, height = height, row = 1, col = math.floor((vim.o.columns - width) / 2),
    style = "minimal", border = "rounded", title = " interview-lens quiz ", title_pos = "center" }
  if state.win and vim.api.nvim_win_is_valid(state.win) then
    vim.api.nvim_win_set_config(state.win, config)
  else
    state.win = vim.api.nvim_open_win(state.buf, true, config)
    vim.wo[state.win].wrap = true
    vim.wo[state.win].conceallevel = 2
  end
  M.map_keys(state.buf)
end

--- Sends one quiz command; the reply (a QuizView) replaces the float's content.
function M.command(name, argument, callback)
  local client = state.client
  if not client then
    return vim.notify("interview-lens: no quiz running", vim.log.levels.WARN)
  end
  client:request("workspace/executeCommand", { command = name, arguments = { argument } }, function(err, view)
    if err then
      vim.notify("interview-lens: " .. tostring(err.message), vim.log.levels.WARN)
      return callback and callback(nil, err)
    end
    show(view)
    if callback then
      callback(view)
    end
  end, state.source)
end

function M.reveal(answer)
  M.command("interviewLens.quiz.reveal", { session = state.view.session, answer = answer or "" })
end

function M.grade(rating)
  M.command("interviewLens.quiz.grade", { session = state.view.session, rating = rating })
end

function M.undo()
  M.command("interviewLens.quiz.undo", { session = state.view.session })
end

function M.close()
  if state.win and vim.api.nvim_win_is_valid(state.win) then
    vim.api.nvim_win_close(state.win, true)
  end
  state.win, state.buf = nil, nil
end

function M.map_keys(buf)
  local function map(lhs, fn)
    vim.keymap.set("n", lhs, fn, { buffer = buf, nowait = true, silent = true })
  end
  map("q", M.close)
  map("u", M.undo)
  map("<CR>", function()
    if state.view and state.view.state == "question" then
      M.reveal("")
    end
  end)
  map("a", function()
    if state.view and state.view.state == "question" then
      vim.ui.input({ prompt = "Your answer: " }, function(answer)
        if answer then
          M.reveal(answer)
        end
      end)
    end
  end)
  for rating = 1, 4 do
    map(tostring(rating), function()
      if state.view and state.view.state == "revealed" then
        M.grade(rating)
      end
    end)
  end
end

--- Starts a quiz: `argument` is the code lens's `{ uri, cards }`, or `{ level?, topic? }`.
function M.start(argument, bufnr, callback)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = NAME })[1] or vim.lsp.get_clients({ name = NAME })[1]
  if not client then
    return vim.notify("interview-lens is not running", vim.log.levels.WARN)
  end
  state.client, state.source = client, bufnr
  M.command("interviewLens.quiz.start", argument, callback)
end

--- The current QuizView and float (for tests and statuslines).
function M.current()
  return state.view, state.win, state.buf
end

-- The code lens's command is client-side: Neovim runs it through vim.lsp.commands.
vim.lsp.commands["interviewLens.practise"] = function(command, ctx)
  local argument = (command.arguments or {})[1] or {}
  M.start({ cards = argument.cards or {} }, ctx and ctx.bufnr)
end

return M
