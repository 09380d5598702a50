-- End-to-end test of the plugin's bundled lsp/interview_lens.lua through vim.lsp.enable, with no
-- setup() call: the path nvim-lspconfig users and lazy.nvim specs take. Exits 0 only from the
-- success path at the end. Env: INTERVIEW_LENS_BIN, IL_PLUGIN, IL_FILE.
vim.g.loaded_python3_provider = 0

local function fail(msg)
  io.stderr:write("FAIL [enable]: " .. msg .. "\n")
  os.exit(1)
end

local function check(cond, msg)
  if not cond then
    fail(msg)
  end
end

-- Every window/showMessage and notification the server sends, to check that start-up is quiet.
local messages = {}
local show_message = vim.lsp.handlers["window/showMessage"]
vim.lsp.handlers["window/showMessage"] = function(err, result, ctx, config)
  table.insert(messages, result.message)
  return show_message(err, result, ctx, config)
end
local notify = vim.notify
vim.notify = function(msg, level, opts)
  table.insert(messages, msg)
  return notify(msg, level, opts)
end

-- The server records practice events: it must write to the test's data folder, never the user's.
check((vim.env.INTERVIEW_LENS_DATA_DIR or "") ~= "", "INTERVIEW_LENS_DATA_DIR is set (tests/src/lib.rs Sandbox)")

vim.opt.runtimepath:prepend(vim.env.IL_PLUGIN)
vim.cmd.runtime("plugin/interview-lens.lua")
vim.g.interview_lens_path = vim.env.INTERVIEW_LENS_BIN
vim.lsp.enable("interview_lens")

local config = vim.lsp.config.interview_lens
check(config ~= nil, "the bundled lsp/interview_lens.lua is found on the runtimepath")
check(config.cmd[1] == vim.env.INTERVIEW_LENS_BIN, "cmd follows vim.g.interview_lens_path: " .. tostring(config.cmd[1]))
-- What Neovim sends for workspace/configuration and didChangeConfiguration: an object, not [].
local encoded = vim.json.encode(config.settings)
check(encoded == '{"interviewLens":{}}', "settings encode as an object: " .. encoded)

local project = vim.fs.dirname(vim.env.IL_FILE)
vim.fn.writefile({ "[project]", 'name = "sample"' }, project .. "/pyproject.toml")
vim.fn.writefile({ "def add(item, bucket=[]):", "    bucket.append(item)", "    return bucket" }, vim.env.IL_FILE)
vim.cmd.edit(vim.env.IL_FILE)
local buf = vim.api.nvim_get_current_buf()
local function ours()
  return vim.tbl_filter(function(d)
    return d.source == "interview-lens"
  end, vim.diagnostic.get(buf))
end
check(vim.wait(15000, function()
  return #ours() == 1
end, 50), "the finding appears (got " .. #ours() .. ")")
local client = vim.lsp.get_clients({ bufnr = buf, name = "interview_lens" })[1]
check(client ~= nil, "the client is attached")
check(client.root_dir == project, "the pyproject folder is the root: " .. tostring(client.root_dir))

-- A settings change through vim.lsp.config and didChangeConfiguration reaches the server.
client.settings = { interviewLens = { ignore = { "mutable-default-argument" } } }
client:notify("workspace/didChangeConfiguration", { settings = client.settings })
check(vim.wait(15000, function()
  return #ours() == 0
end, 50), "ignoring the rule clears the finding (left: " .. #ours() .. ")")
-- Back to the bundled default: Neovim sends {"interviewLens":{}} and the finding returns.
client.settings = config.settings
client:notify("workspace/didChangeConfiguration", { settings = client.settings })
check(vim.wait(15000, function()
  return #ours() == 1
end, 50), "empty settings mean the defaults again")

-- On a concept (a generator's yield), :InterviewLensCard opens the card the compact hover links to.
vim.api.nvim_buf_set_lines(buf, -1, -1, false, { "def gen():", "    yield 1" })
local last = vim.api.nvim_buf_line_count(buf)
vim.api.nvim_win_set_cursor(0, { last, 5 })
local function float_text()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      return table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false), "\n")
    end
  end
end
vim.cmd("InterviewLensCard")
check(vim.wait(10000, function()
  local text = float_text()
  return text ~= nil and text:find("Follow-ups", 1, true) ~= nil and text:find("enerator", 1, true) ~= nil
end), ":InterviewLensCard on yield shows the concept's whole card: " .. tostring(float_text()))

-- Let any late warning arrive before checking that there was none.
vim.wait(300)
for _, message in ipairs(messages) do
  check(not tostring(message):find("interview%-lens"), "a message at start-up: " .. tostring(message))
end

io.stdout:write("ok [enable]\n")
os.exit(0)
