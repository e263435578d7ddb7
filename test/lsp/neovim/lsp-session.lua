-- Runs in Neovim after the user's init.lua (docs/editors.md's Neovim 0.7 setup) has been loaded: opens a
-- settings file, lets the built-in LSP client talk to django-postgres-language-server, and writes what the
-- editor saw to a JSON file for the mocha test to judge.
-- Environment: DPG_FILE (the settings file), DPG_POSITIONS (JSON: hover and completion positions, 0-based),
-- DPG_OUT (where to write the result).
local result = {}
local positions = vim.fn.json_decode(vim.env.DPG_POSITIONS)

local function write_result()
  local file = io.open(vim.env.DPG_OUT, 'w')
  file:write(vim.fn.json_encode(result))
  file:close()
end

local ok, err = pcall(function()
  -- Opening the file sets its filetype, and the user's init.lua (the documented setup) starts the client.
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.DPG_FILE))
  local bufnr = vim.api.nvim_get_current_buf()
  local client
  vim.wait(20000, function()
    for _, attached in pairs(vim.lsp.buf_get_clients(bufnr)) do
      if attached.name == 'django_postgres' then client = attached end
    end
    return client ~= nil
  end, 50)
  if not client then error('the init.lua setup attached no django_postgres client to ' .. vim.env.DPG_FILE) end
  local client_id = client.id
  result.filetype = vim.bo[bufnr].filetype

  local function diagnostic(code)
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == code then return d end
    end
  end
  local function codes()
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do table.insert(list, d.code) end
    return list
  end

  vim.wait(20000, function() return diagnostic('DPG102') ~= nil end, 50)
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.diagnostics, { code = d.code, message = d.message, lnum = d.lnum, col = d.col, severity = d.severity, source = d.source })
  end

  local uri = vim.uri_from_bufnr(bufnr)
  local function request(method, params)
    local responses, request_err = vim.lsp.buf_request_sync(bufnr, method, params, 10000)
    if not responses then error(method .. ': ' .. tostring(request_err)) end
    local response = responses[client_id]
    if response and response.err then error(method .. ': ' .. vim.inspect(response.err)) end
    return response and response.result
  end

  local hover = request('textDocument/hover', { textDocument = { uri = uri }, position = positions.hover })
  result.hover = hover and hover.contents

  local completion = request('textDocument/completion', { textDocument = { uri = uri }, position = positions.completion })
  local items = completion and (completion.items or completion) or {}
  result.completion = {}
  result.completionTexts = {}
  for _, item in ipairs(items) do
    table.insert(result.completion, item.label)
    table.insert(result.completionTexts, item.textEdit and item.textEdit.newText or item.insertText or item.label)
    if item.label == 'sslrootcert' then
      local resolved = request('completionItem/resolve', item)
      result.completionDocumentation = resolved and resolved.documentation
    end
  end

  local bad = diagnostic('DPG102')
  if bad then
    -- What vim.lsp.buf.code_action() sends from the diagnostic's line in Neovim 0.7.
    local line_diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, bad.lnum)
    local range = { start = { line = bad.lnum, character = bad.col }, ['end'] = { line = bad.end_lnum, character = bad.end_col } }
    local actions = request('textDocument/codeAction', {
      textDocument = { uri = uri },
      range = range,
      context = { diagnostics = line_diagnostics },
    }) or {}
    result.actions = {}
    for _, action in ipairs(actions) do table.insert(result.actions, action.title) end
    local first = actions[1]
    if first and first.edit then
      -- As the editor applies a chosen code action: its edit into the buffer, then didChange to the server.
      vim.lsp.util.apply_workspace_edit(first.edit, client.offset_encoding)
      vim.wait(20000, function() return diagnostic('DPG102') == nil end, 50)
      result.lineAfterFix = vim.api.nvim_buf_get_lines(bufnr, bad.lnum, bad.lnum + 1, false)[1]
      result.codesAfterFix = codes()
    end
  end
end)
if not ok then result.error = tostring(err) end
write_result()
vim.cmd('qa!')
