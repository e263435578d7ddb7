// Root hooks loaded by scripts/run-tests.mjs (and `mocha --require out/test/support/rootHooks.js`):
// whatever servers the tests started are stopped by PID when the run ends.
import { stopAllClusters } from './pgCluster';
import { stopAllPgBouncers } from './pgbouncer';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    // PgBouncer first: it holds connections to the clusters.
    await stopAllPgBouncers();
    await stopAllClusters();
  },
};
