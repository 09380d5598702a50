-- Runs :checkhealth interview-lens and writes the report to $IL_OUT (run with `nvim --headless --clean -l`).
vim.g.loaded_python3_provider = 0
-- The server it starts must write to the test's data folder, never the user's (exit 1 without one).
if (vim.env.INTERVIEW_LENS_DATA_DIR or "") == "" then
  io.stderr:write("FAIL [health]: INTERVIEW_LENS_DATA_DIR is not set (tests/src/lib.rs Sandbox)\n")
  os.exit(1)
end
vim.opt.runtimepath:prepend(vim.env.IL_PLUGIN)
require("interview-lens").setup({ path = vim.env.INTERVIEW_LENS_BIN })
vim.cmd("checkhealth interview-lens")
local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
vim.fn.writefile(lines, vim.env.IL_OUT)
os.exit(0)
