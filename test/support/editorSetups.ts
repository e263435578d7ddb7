// What the editor tests (Neovim, Emacs) share: the settings file they open, where they hover and complete, and
// the setup docs/editors.md gives for each editor, taken from the page itself so the docs are what is tested.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const EDITORS_DOC = resolve(__dirname, '../../../docs/editors.md');

/** A bad sslmode (DPG102, with a quick fix), a hard-coded password (DPG203) and a blank line inside OPTIONS. */
export const EDITOR_SETTINGS = `DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'shop',
        'PASSWORD': 'hard-coded-secret',
        'OPTIONS': {
            'sslmode': 'requre',
            
        },
    }
}
`;
/** Inside the key 'sslmode'. */
export const HOVER_OFFSET = EDITOR_SETTINGS.indexOf("'sslmode'") + 3;
/** On the blank line inside OPTIONS. */
export const COMPLETION_OFFSET = EDITOR_SETTINGS.indexOf('            \n') + 12;

/**
 * The first `language` code block under `heading` in docs/editors.md, with the setting it passes changed from
 * `ignoreNothing` to `ignoreDpg203`: the test then sees DPG203 vanish only if the documented settings reach the server.
 */
export function documentedSetup(heading: string, language: string, ignoreNothing: string, ignoreDpg203: string): string {
  const doc = readFileSync(EDITORS_DOC, 'utf8');
  const at = doc.indexOf(heading);
  assert.ok(at >= 0, `docs/editors.md has a "${heading}" section`);
  const block = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(doc.slice(at));
  assert.ok(block, `docs/editors.md has a ${language} block under "${heading}"`);
  assert.ok(block[1].includes(ignoreNothing), `the documented setup passes settings (${ignoreNothing})`);
  return block[1].replace(ignoreNothing, ignoreDpg203);
}
