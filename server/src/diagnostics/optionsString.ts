// The libpq `options` string as the server reads it: whitespace-separated words, a backslash escapes the next
// character, and each setting is `-c name=value`, `-cname=value` or `--name=value`. Offsets are into the
// decoded string value; callers map them to the file.

export interface OptionsSetting {
  /** The name as written, with `-` turned into `_` as the server does. */
  name: string;
  value: string;
  /** [from, to) of the name and of the value in the decoded string. */
  nameFrom: number;
  nameTo: number;
  valueFrom: number;
  valueTo: number;
  /** The whole item, `-c` included. */
  from: number;
  to: number;
}

export type OptionsProblemKind = 'missing-value' | 'bare-assignment' | 'unescaped-space' | 'quoted-value';

export interface OptionsProblem {
  kind: OptionsProblemKind;
  message: string;
  from: number;
  to: number;
}

export interface ParsedOptions {
  settings: OptionsSetting[];
  problems: OptionsProblem[];
}

interface Word {
  text: string;
  /** Decoded-string offset of each character of `text` (escapes make them differ). */
  offsets: number[];
  from: number;
  to: number;
}

function splitWords(options: string): Word[] {
  const words: Word[] = [];
  let current: Word | undefined;
  for (let i = 0; i < options.length; i++) {
    const ch = options[i];
    if (/\s/.test(ch)) {
      current = undefined;
      continue;
    }
    if (!current) {
      current = { text: '', offsets: [], from: i, to: i };
      words.push(current);
    }
    // A backslash keeps the next character (a space, or another backslash) inside the word.
    const escaped = ch === '\\' && i + 1 < options.length;
    if (escaped) i++;
    current.text += options[i];
    current.offsets.push(i);
    current.to = i + 1;
  }
  return words;
}

function settingOf(word: Word, start: number, itemFrom: number): OptionsSetting | OptionsProblem {
  const body = word.text.slice(start);
  const eq = body.indexOf('=');
  if (eq < 0) {
    return {
      kind: 'missing-value',
      message: `'-c ${body}' has no value: write '-c ${body}=<value>'.`,
      from: itemFrom,
      to: word.to,
    };
  }
  const at = (index: number): number => word.offsets[start + index] ?? word.to;
  return {
    name: body.slice(0, eq).replaceAll('-', '_'),
    value: body.slice(eq + 1),
    nameFrom: at(0),
    nameTo: at(eq),
    valueFrom: at(eq + 1),
    valueTo: word.to,
    from: itemFrom,
    to: word.to,
  };
}

export function parseOptionsString(options: string): ParsedOptions {
  const settings: OptionsSetting[] = [];
  const problems: OptionsProblem[] = [];
  const words = splitWords(options);
  const add = (result: OptionsSetting | OptionsProblem) => {
    if ('kind' in result) problems.push(result);
    else settings.push(result);
  };
  let previousWasSetting = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const text = word.text;
    const wasSetting = previousWasSetting;
    previousWasSetting = false;
    if (text === '-c') {
      const next = words[i + 1];
      if (!next || next.text.startsWith('-')) {
        problems.push({ kind: 'missing-value', message: "'-c' must be followed by name=value.", from: word.from, to: word.to });
        continue;
      }
      i++;
      add(settingOf(next, 0, word.from));
      previousWasSetting = true;
    } else if (text.startsWith('-c')) {
      add(settingOf(word, 2, word.from));
      previousWasSetting = true;
    } else if (text.startsWith('--') && text.length > 2) {
      add(settingOf(word, 2, word.from));
      previousWasSetting = true;
    } else if (text.startsWith('-')) {
      // Other server switches (-d 5, -B …) are rare here; the server judges them, so skip their argument too.
      if (words[i + 1] && !words[i + 1].text.startsWith('-')) i++;
    } else if (wasSetting && !text.includes('=')) {
      problems.push({
        kind: 'unescaped-space',
        message: `'${text}' is cut off from the value before it: escape a space inside a value with a backslash ('\\ ').`,
        from: word.from,
        to: word.to,
      });
      // The following word may continue the same broken value.
      previousWasSetting = true;
    } else {
      problems.push({
        kind: 'bare-assignment',
        message: `'${text}' is not a server option: write '-c ${text}'.`,
        from: word.from,
        to: word.to,
      });
    }
  }
  for (const setting of settings) {
    if (/^['"]/.test(setting.value)) {
      problems.push({
        kind: 'quoted-value',
        message: `The server does not strip quotes in 'options': the value of ${setting.name} would include them. Remove the quotes and escape spaces with a backslash.`,
        from: setting.valueFrom,
        to: setting.valueTo,
      });
    }
  }
  return { settings, problems: problems.sort((a, b) => a.from - b.from) };
}
