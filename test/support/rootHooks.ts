// Root hooks loaded by scripts/run-tests.mjs (and `mocha --require out/test/support/rootHooks.js`):
// whatever servers the tests started are stopped by PID when the run ends, then the suites' summaries print.
import { endOfRunSummaries } from './endOfRun';
import { stopAllClusters } from './pgCluster';
import { stopAllPgBouncers } from './pgbouncer';

export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    // Stops escalate by themselves (PgBouncer after 10 s, PostgreSQL after 20 s): leave room for both.
    this.timeout(90_000);
    try {
      // PgBouncer first: it holds connections to the clusters.
      await stopAllPgBouncers();
      await stopAllClusters();
    } finally {
      for (const summary of endOfRunSummaries()) console.log(summary);
    }
  },
};
