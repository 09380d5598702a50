-- interview-lens language server configuration for Neovim 0.11+.
-- Enable with: vim.lsp.enable("interview_lens")
-- Settings go under `settings.interviewLens` (select, ignore, level, cards, conceptHovers).
return {
  cmd = { vim.g.interview_lens_path or "interview-lens", "serve" },
  filetypes = { "python" },
  root_markers = { "pyproject.toml", "setup.py", "setup.cfg", ".git" },
  settings = { interviewLens = {} },
}
