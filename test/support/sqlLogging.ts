// A settings module after "Toggle SQL Logging", as the unit and Django tests check it.
import { toggleSqlLogging } from '../../server/src/features/sqlLogging';
import { PythonSource } from '../../server/src/model/python';

export function toggled(text: string): { text: string; enabled: boolean } {
  const { enabled, edit } = toggleSqlLogging(PythonSource.parse(text));
  return { enabled, text: text.slice(0, edit.from) + edit.newText + text.slice(edit.to) };
}
