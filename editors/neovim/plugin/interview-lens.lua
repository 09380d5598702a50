-- User commands; the server itself is enabled by require("interview-lens").setup() or
-- vim.lsp.enable("interview_lens").
if vim.g.loaded_interview_lens then
  return
end
vim.g.loaded_interview_lens = true

vim.api.nvim_create_user_command("InterviewLensCard", function()
  require("interview-lens").show_card()
end, { desc = "Show the interview card for the finding under the cursor" })

vim.api.nvim_create_user_command("InterviewLensCards", function(args)
  require("interview-lens").list_cards(args.args)
end, {
  nargs = "?",
  complete = function()
    return { "junior", "mid", "senior" }
  end,
  desc = "List interview cards (optionally one level) and show one",
})

-- The code lens's `interviewLens.practise` command (registered when the module loads).
require("interview-lens.quiz")

vim.api.nvim_create_user_command("InterviewLensQuiz", function(args)
  local level = args.args ~= "" and args.args or nil
  require("interview-lens.quiz").start({ level = level })
end, {
  nargs = "?",
  complete = function()
    return { "junior", "mid", "senior" }
  end,
  desc = "Quiz interview cards due today (optionally up to one level) in a floating window",
})

-- Code lenses ("N interview questions here — practise") follow the server's findings.
vim.api.nvim_create_autocmd("LspAttach", {
  callback = function(ev)
    local client = vim.lsp.get_client_by_id(ev.data.client_id)
    if not client or client.name ~= "interview_lens" then
      return
    end
    vim.lsp.codelens.refresh({ bufnr = ev.buf })
    vim.api.nvim_create_autocmd({ "BufEnter", "InsertLeave", "TextChanged" }, {
      buffer = ev.buf,
      callback = function()
        vim.lsp.codelens.refresh({ bufnr = ev.buf })
      end,
    })
  end,
})
