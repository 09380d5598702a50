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
