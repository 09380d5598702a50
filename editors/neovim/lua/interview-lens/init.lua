-- interview-lens for Neovim: setup, and the card commands.
local M = {}

local NAME = "interview_lens"

--- Configure and enable the server.
--- opts: { cmd = {...}, settings = { interviewLens = {...} } } or the short form
--- { path = "...", level = "mid", select = {...}, ignore = {...}, cards = {...}, conceptHovers = bool,
---   hover = "compact" | "full" }.
function M.setup(opts)
  opts = opts or {}
  local config = {}
  local server = {}
  for key, value in pairs(opts) do
    if key == "path" then
      config.cmd = { value, "serve" }
    elseif key == "cmd" or key == "capabilities" or key == "root_markers" or key == "filetypes" or key == "on_attach" then
      config[key] = value
    elseif key == "settings" then
      config.settings = value
    else
      server[key] = value
    end
  end
  if next(server) ~= nil then
    config.settings = vim.tbl_deep_extend("force", config.settings or {}, { interviewLens = server })
  end
  vim.lsp.config(NAME, config)
  vim.lsp.enable(NAME)
end

local function client_for(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr, name = NAME })[1]
end

local function show_markdown(markdown)
  local lines = vim.split(markdown, "\n", { plain = true })
  return vim.lsp.util.open_floating_preview(lines, "markdown", { border = "rounded", max_width = 100, focus_id = "interview-lens-card" })
end

--- Ask the server for a card by id; calls back with its Markdown (or nil and an error).
function M.fetch_card(bufnr, id, callback)
  local client = client_for(bufnr)
  if not client then
    return callback(nil, "interview-lens is not running for this buffer")
  end
  client:request("workspace/executeCommand", { command = "interview-lens.showCard", arguments = { id } }, function(err, result)
    if err then
      return callback(nil, err.message)
    end
    callback(result)
  end, bufnr)
end

--- The interview-lens rule ids of diagnostics under the cursor.
function M.rules_under_cursor(bufnr)
  local row, col = unpack(vim.api.nvim_win_get_cursor(0))
  local ids = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = row - 1 })) do
    if d.source == "interview-lens" and col >= d.col and (d.end_lnum > d.lnum or col <= d.end_col) then
      table.insert(ids, d.code)
    end
  end
  return ids
end

--- The card id in a compact hover's "whole card" link (a concept or a suppression comment).
local function card_in_hover(bufnr, client)
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local response = client:request_sync("textDocument/hover", params, 5000, bufnr)
  local value = response and response.result and response.result.contents and response.result.contents.value
  return type(value) == "string" and value:match("interview%-lens%.showCard%?%%5B%%22([%w%-]+)%%22%%5D") or nil
end

--- Show the whole card for the finding under the cursor in a floating window; elsewhere, the card
--- the hover links to (the concept behind a construct that is fine), else the hover itself.
function M.show_card()
  local bufnr = vim.api.nvim_get_current_buf()
  local id = M.rules_under_cursor(bufnr)[1]
  local client = client_for(bufnr)
  if not id and client then
    id = card_in_hover(bufnr, client)
  end
  if not id then
    return vim.lsp.buf.hover()
  end
  M.fetch_card(bufnr, id, function(markdown, err)
    if not markdown then
      return vim.notify("interview-lens: " .. tostring(err), vim.log.levels.WARN)
    end
    show_markdown(markdown)
  end)
end

--- Pick a card from the bank (by level and topic), then show it.
function M.list_cards(level)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = client_for(bufnr)
  if not client then
    return vim.notify("interview-lens is not running for this buffer", vim.log.levels.WARN)
  end
  client:request("workspace/executeCommand", { command = "interview-lens.listCards", arguments = {} }, function(err, cards)
    if err or type(cards) ~= "table" then
      return vim.notify("interview-lens: could not list cards", vim.log.levels.WARN)
    end
    local order = { junior = 1, mid = 2, senior = 3 }
    cards = vim.tbl_filter(function(c)
      return level == nil or level == "" or c.level == level
    end, cards)
    table.sort(cards, function(a, b)
      if a.level ~= b.level then
        return (order[a.level] or 9) < (order[b.level] or 9)
      end
      if a.topic ~= b.topic then
        return a.topic < b.topic
      end
      return a.id < b.id
    end)
    vim.ui.select(cards, {
      prompt = "Interview cards",
      format_item = function(c)
        return string.format("%-6s  %-26s  %s", c.level, c.topic, c.title)
      end,
    }, function(choice)
      if choice then
        M.fetch_card(bufnr, choice.id, function(markdown)
          if markdown then
            show_markdown(markdown)
          end
        end)
      end
    end)
  end, bufnr)
end

return M
