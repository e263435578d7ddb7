// Completion for clients without snippet support (Neovim's built-in client, eglot without yasnippet…): a
// snippet becomes the text it would insert with every placeholder left at its default (a choice: its first
// option; a tab stop: nothing).
import { InsertTextFormat, type CompletionItem } from 'vscode-languageserver';

export function snippetToPlainText(snippet: string): string {
  let out = '';
  let i = 0;
  const readUntil = (close: string): string => {
    // The body of `${N:body}`: nested placeholders are expanded, escapes resolved.
    let depth = 0;
    const start = i;
    for (; i < snippet.length; i++) {
      if (snippet[i] === '\\') i++;
      else if (snippet[i] === '$' && snippet[i + 1] === '{') depth++;
      else if (snippet[i] === close && depth-- === 0) break;
    }
    return snippet.slice(start, i++);
  };
  while (i < snippet.length) {
    const ch = snippet[i];
    if (ch === '\\' && i + 1 < snippet.length) {
      out += snippet[i + 1];
      i += 2;
    } else if (ch === '$' && /\d/.test(snippet[i + 1] ?? '')) {
      i++;
      while (/\d/.test(snippet[i] ?? '')) i++;
    } else if (ch === '$' && snippet[i + 1] === '{') {
      i += 2;
      while (/\d/.test(snippet[i] ?? '')) i++;
      if (snippet[i] === ':') {
        i++;
        out += snippetToPlainText(readUntil('}'));
      } else if (snippet[i] === '|') {
        i++;
        const choices = readUntil('|');
        i++; // the closing brace
        out += splitChoices(choices)[0] ?? '';
      } else {
        i++; // `${1}`
      }
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

function splitChoices(text: string): string[] {
  const choices: string[] = [''];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && i + 1 < text.length) choices[choices.length - 1] += text[++i];
    else if (text[i] === ',') choices.push('');
    else choices[choices.length - 1] += text[i];
  }
  return choices;
}

/** The same items, with snippets turned into plain text. */
export function withoutSnippets(items: CompletionItem[]): CompletionItem[] {
  return items.map((item) => {
    if (item.insertTextFormat !== InsertTextFormat.Snippet) return item;
    const plain: CompletionItem = { ...item, insertTextFormat: InsertTextFormat.PlainText };
    if (item.textEdit) plain.textEdit = { ...item.textEdit, newText: snippetToPlainText(item.textEdit.newText) };
    if (item.insertText !== undefined) plain.insertText = snippetToPlainText(item.insertText);
    return plain;
  });
}
