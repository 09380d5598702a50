-- :checkhealth interview-lens
local M = {}

local function binary()
  local config = vim.lsp.config.interview_lens
  local cmd = config and config.cmd
  if type(cmd) == "table" and cmd[1] then
    return cmd[1]
  end
  return vim.g.interview_lens_path or "interview-lens"
end

function M.check()
  vim.health.start("interview-lens")
  local exe = binary()
  if vim.fn.executable(exe) ~= 1 then
    vim.health.error("`" .. exe .. "` not found", {
      "Build it with `cargo build --release` and put target/release/interview-lens on PATH,",
      "or set vim.g.interview_lens_path / setup({ path = ... }).",
    })
    return
  end
  vim.health.ok("binary: " .. vim.fn.exepath(exe))

  local version = vim.system({ exe, "--version" }, { text = true }):wait(5000)
  if version.code == 0 then
    vim.health.ok("version: " .. vim.trim(version.stdout))
  else
    vim.health.error("`" .. exe .. " --version` failed: " .. (version.stderr or ""))
    return
  end

  -- Start the server and ask it to initialize, as an editor would, then shut it down cleanly.
  local function frame(message)
    local body = vim.json.encode(message)
    return string.format("Content-Length: %d\r\n\r\n%s", #body, body)
  end
  local output = ""
  local proc = vim.system({ exe, "serve" }, {
    stdin = true,
    stdout = function(_, data)
      output = output .. (data or "")
    end,
  })
  proc:write(frame({ jsonrpc = "2.0", id = 1, method = "initialize", params = { processId = vim.NIL, rootUri = vim.NIL, capabilities = vim.empty_dict() } }))
  local answered = vim.wait(10000, function()
    return output:find('"capabilities"', 1, true) ~= nil
  end, 20)
  proc:write(frame({ jsonrpc = "2.0", id = 2, method = "shutdown" }))
  vim.wait(5000, function()
    return output:find('"id":2', 1, true) ~= nil
  end, 20)
  proc:write(frame({ jsonrpc = "2.0", method = "exit" }))
  local result = proc:wait(5000)
  if answered then
    vim.health.ok("the server starts and answers `initialize`")
  else
    vim.health.error("the server did not answer `initialize` within 10 s")
  end
  if result.code == 0 then
    vim.health.ok("it shuts down cleanly (exit code 0)")
  else
    vim.health.warn("exit code after shutdown/exit: " .. tostring(result.code))
  end
end

return M
