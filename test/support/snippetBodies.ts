// The DATABASES snippets as a user gets them by pressing Tab through every placeholder: each `${n:default}`
// keeps its default and each `${n|a,b|}` its first choice. Shared by the tests that run or check them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Snippet { prefix: string; body: string[]; description: string; scope?: string }

export const snippetFile = join(__dirname, '..', '..', '..', 'snippets', 'django-databases.code-snippets');

export function readSnippets(): Record<string, Snippet> {
  return JSON.parse(readFileSync(snippetFile, 'utf8')) as Record<string, Snippet>;
}

/** The inserted text with every default kept. */
export function expandWithDefaults(snippet: Snippet): string {
  return snippet.body.join('\n')
    .replace(/\$\{\d+\|([^|]*)\|\}/g, (_m, choices: string) => choices.split(',')[0])
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '');
}

export function snippetByPrefix(prefix: string): Snippet {
  const found = Object.values(readSnippets()).find((s) => s.prefix === prefix);
  if (!found) throw new Error(`no snippet with prefix ${prefix} in ${snippetFile}`);
  return found;
}
