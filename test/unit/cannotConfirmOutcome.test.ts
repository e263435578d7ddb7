// The third verdict in the editor: its own notification wording and status-bar state, never "connected".
import assert from 'node:assert/strict';
import { testConnectionOutcome } from '../../client/src/commands/createDatabaseFlow';
import { formatTestConnectionResult } from '../../server/src/postgres/format';
import type { TestConnectionResult } from '../../server/src/postgres/testConnection';

describe('Test Connection: "Cannot confirm" in the editor', () => {
  const cause = 'Cannot confirm: Django may fail because the server at db asks for GSSAPI/SSPI (Kerberos) authentication, which this test cannot perform.';
  const result: TestConnectionResult = {
    ok: false, verdict: 'cannotConfirm',
    failure: { kind: 'cannotConfirm', cause, fix: 'Run the connection from Django itself.', detail: '' },
    attempts: [], unsupported: [], notes: [],
  };

  it('warns with its own words and a status-bar state of its own', () => {
    const outcome = testConnectionOutcome('default', result);
    assert.equal(outcome.severity, 'warning');
    assert.equal(outcome.offerCreate, false);
    assert.equal(outcome.message, `Alias "default": ${cause} Run the connection from Django itself.`);
    assert.deepEqual(outcome.status, { kind: 'unconfirmed', reason: cause });
    assert.doesNotMatch(outcome.message, /connected/i);
  });

  it('the log and the CLI lead with "Cannot confirm", not "Connected" or "Connection failed"', () => {
    const lines = formatTestConnectionResult(result);
    assert.equal(lines[0], cause);
    assert.ok(!lines.some((l) => /^Connected|^Connection failed/.test(l)));
  });
});
