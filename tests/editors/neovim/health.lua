-- Runs :checkhealth interview-lens and writes the report to $IL_OUT (run with `nvim --headless --clean -l`).
vim.g.loaded_python3_provider = 0
vim.opt.runtimepath:prepend(vim.env.IL_PLUGIN)
require("interview-lens").setup({ path = vim.env.INTERVIEW_LENS_BIN })
vim.cmd("checkhealth interview-lens")
local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
vim.fn.writefile(lines, vim.env.IL_OUT)
os.exit(0)
