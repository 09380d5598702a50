---@brief
---
--- interview-lens: a Python language server that reports code shapes a senior interviewer would
--- point at, with the interview card (question, strong answer, red flag, scoring) on hover.
---
--- Install the server so that `interview-lens` is on `PATH` (in a clone of the repository:
--- `uv tool install .`, `pip install .`, or `cargo build --release` and copy
--- `target/release/interview-lens`), or set `vim.g.interview_lens_path`. Then:
---
--- ```lua
--- vim.lsp.enable("interview_lens")
--- ```
---
--- Settings go under `settings.interviewLens` (`select`, `ignore`, `level`, `cards`,
--- `conceptHovers`, `hover = "compact" | "full"`), and `[tool.interview-lens]` in the nearest
--- `pyproject.toml` applies too:
---
--- ```lua
--- vim.lsp.config("interview_lens", { settings = { interviewLens = { level = "mid" } } })
--- ```

---@type vim.lsp.Config
return {
  cmd = { vim.g.interview_lens_path or "interview-lens", "serve" },
  filetypes = { "python" },
  root_markers = { "pyproject.toml", "setup.py", "setup.cfg", ".git" },
  -- An empty Lua table would be sent as a JSON list; the server wants an object.
  settings = { interviewLens = vim.empty_dict() },
}
