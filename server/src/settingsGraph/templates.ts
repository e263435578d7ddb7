// Settings templates: files a deployment tool or a developer renders or copies before Django reads them.
// Their values are placeholders or examples, not the project's settings: no value of theirs is checked.
import { basename } from 'node:path';
import type { SettingsModel } from '../model/types';

/** Why a settings file is a template, or undefined when it is not one. */
export function templateReason(file: string, model: SettingsModel): string | undefined {
  const name = basename(file).toLowerCase();
  if (name.endsWith('-tpl') || name.endsWith('.tpl')) return `${basename(file)} is a template`;
  if (/\.(j2|jinja|jinja2|example|sample|dist|template|tmpl|orig)$/.test(name)) return `${basename(file)} is a template`;
  if (/[._-](template|example|sample|dist|tmpl)\.py$/.test(name) || /^(example|sample|template)[._-]/.test(name)) return `${basename(file)} is a template`;
  if (model.placeholders.length > 0) return 'the file holds template placeholders';
  return undefined;
}
