// Small pieces every server the tests start needs: a free loopback port, and stopping a child by PID
// with a polite signal first and a forceful one after a grace period.
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A loopback port nobody listens on right now: bind to port 0, read the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Signal the child by PID, wait up to `graceMs` for it to exit, then send `force` and wait again. */
export async function stopChild(child: ChildProcess | undefined, exited: Promise<unknown>, polite: NodeJS.Signals, force: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  process.kill(child.pid, polite);
  const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref())]);
  if (timedOut) {
    process.kill(child.pid, force);
    await exited;
  }
}
