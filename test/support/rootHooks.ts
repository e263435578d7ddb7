// Root hooks loaded by scripts/run-tests.mjs (and `mocha --require out/test/support/rootHooks.js`):
// whatever servers the tests started are stopped by PID when the run ends, then the suites' summaries print.
import { endOfRunSummaries } from './endOfRun';
import { stopAllClusters } from './pgCluster';
import { stopAllPgBouncers } from './pgbouncer';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    // PgBouncer first: it holds connections to the clusters.
    await stopAllPgBouncers();
    await stopAllClusters();
    for (const summary of endOfRunSummaries()) console.log(summary);
  },
};
