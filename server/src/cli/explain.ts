// `django-postgres explain KEY[=VALUE] | CODE`: the hover text of a key or value, or a rule's documentation.
// Plain text by default (a terminal); `--format md` keeps the Markdown.
import { parseArgs } from 'node:util';
import { ruleDocs } from '../catalog/rules';
import { pgbouncerRules } from '../catalog/pgbouncerRules';
import { renderKeyDoc, renderRuleDoc, renderValueDoc } from '../features/docs';
import { allKeys, findServerSetting, findValue } from '../features/keys';
import type { Output } from './check';
import { markdownToPlainText } from './plainText';

export function explain(args: string[], io: Output): number {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', default: 'text' } } });
  } catch (error) {
    io.err(`django-postgres explain: ${(error as Error).message}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [query] = positionals;
  if (!query || positionals.length > 1 || (values.format !== 'text' && values.format !== 'md')) {
    io.err('Usage: django-postgres explain [--format text|md] KEY[=VALUE] | CODE   e.g. `explain sslmode`, `explain sslmode=verify-full`, `explain DPG102`.');
    return 2;
  }
  const markdown = explainMarkdown(query);
  if (markdown === undefined) {
    io.err(`No DATABASES key, TEST key, OPTIONS key, server setting or diagnostic code is called "${query.split('=', 1)[0]}".`);
    return 1;
  }
  io.out(values.format === 'md' ? markdown : markdownToPlainText(markdown));
  return 0;
}

function explainMarkdown(query: string): string | undefined {
  const rule = [...ruleDocs, ...pgbouncerRules].find((r) => r.code === query.toUpperCase());
  if (rule) return renderRuleDoc(rule, '#').trimEnd();
  const [name, value] = query.split('=', 2);
  const matches = allKeys().filter(({ key }) => key.name === name || key.name.toLowerCase() === name.toLowerCase());
  const setting = findServerSetting(name);
  if (!matches.length && !setting) return undefined;
  const docs = matches.map(({ key, role }) => {
    const enumValue = value !== undefined ? findValue(key, value) : undefined;
    return enumValue ? renderValueDoc(key, enumValue) : renderKeyDoc(key, role);
  });
  if (setting && !matches.length) docs.push(renderKeyDoc(setting, 'setting'));
  return docs.join('\n\n---\n\n');
}
