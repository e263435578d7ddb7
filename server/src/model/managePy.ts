// Reads the settings module a manage.py selects: `os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x')`.
import { PythonSource } from './python';
import { callArguments, ValueReader } from './values';

export function settingsModuleOf(managePyText: string): string | undefined {
  const src = PythonSource.parse(managePyText);
  const reader = new ValueReader(src, new Map([['environ', 'os.environ']]));
  let found: string | undefined;
  src.tree.iterate({
    enter: (node) => {
      if (found !== undefined) return false;
      if (node.name !== 'CallExpression') return undefined;
      const callee = node.node.firstChild;
      const name = callee && reader.dottedName(callee);
      if (!name || reader.canonical(name) !== 'os.environ.setdefault') return undefined;
      const [variable, value] = callArguments(node.node.getChild('ArgList')).positional;
      if (reader.stringValue(variable) === 'DJANGO_SETTINGS_MODULE') found = reader.stringValue(value);
      return false;
    },
  });
  return found;
}
