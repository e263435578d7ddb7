// pgbouncer.ini through the language server, and DATABASES snippets offered in context.
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiagnosticSeverity, type TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits, hoverText, LspTestClient } from '../support/lspClient';

describe('pgbouncer.ini and snippets over LSP', function () {
  this.timeout(20000);
  let client: LspTestClient;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dpg-ini-'));
    client = await LspTestClient.start(dir);
  });
  after(() => client.stop());

  it('flags pool_mode = statement and an unknown setting in pgbouncer.ini', async () => {
    const text = '[databases]\napp = host=127.0.0.1 port=5432 dbname=app\n\n[pgbouncer]\nlisten_port = 6432\npool_mode = statement\nmax_clinet_conn = 100\n';
    const uri = client.open(join(dir, 'pgbouncer.ini'), text, 'pgbouncer-ini');
    const diagnostics = await client.diagnosticsFor(uri);
    const statement = diagnostics.find((d) => d.range.start.line === 5);
    assert.ok(statement, 'statement mode is flagged');
    assert.match(String(statement.message), /transaction/i);
    const unknown = diagnostics.find((d) => d.range.start.line === 6);
    assert.ok(unknown && unknown.severity === DiagnosticSeverity.Error, 'the unknown setting is an error: PgBouncer refuses to start');
  });

  it('completes pgbouncer.ini settings and pool_mode values, and hovers them', async () => {
    const text = '[pgbouncer]\nlisten_port = 6432\npool_mode = \nmax_\n';
    const uri = client.open(join(dir, 'pgbouncer.ini'), text, 'pgbouncer-ini');
    const values = await client.completion(uri, text, text.indexOf('pool_mode = ') + 'pool_mode = '.length);
    assert.deepEqual(values.map((v) => v.label).sort(), ['session', 'statement', 'transaction']);
    const keys = await client.completion(uri, text, text.indexOf('max_') + 4);
    const labels = keys.map((k) => k.label);
    assert.ok(labels.includes('max_client_conn') && labels.includes('max_prepared_statements'));
    assert.ok(!labels.includes('listen_port'), 'a setting already present is not offered again');
    const hover = hoverText(await client.hover(uri, text, text.indexOf('listen_port') + 2));
    assert.match(hover, /listen_port/);
    assert.match(hover, /6432/);
  });

  it('offers the DATABASES snippets right after `DATABASES =`, adding the imports they need', async () => {
    const text = 'DEBUG = False\nDATABASES = \n';
    const uri = client.open(join(dir, 'settings.py'), text);
    const items = await client.completion(uri, text, text.indexOf('= \n') + 2);
    const pgbouncer = items.find((i) => i.label === 'dbpg-pgbouncer');
    assert.ok(pgbouncer, `snippets offered: ${items.map((i) => i.label).join(', ')}`);
    const edit = pgbouncer.textEdit as TextEdit;
    assert.match(edit.newText, /6432/);
    assert.match(edit.newText, /DISABLE_SERVER_SIDE_CURSORS/);
    const applied = applyEdits(text, [edit, ...(pgbouncer.additionalTextEdits ?? [])]);
    assert.ok(applied.startsWith('import os\n'), 'import os is added at the top');
    assert.ok(applied.includes('DATABASES = {'));
  });
});
