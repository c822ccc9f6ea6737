/**
 * Kills a server with SIGKILL at random moments under load and restarts it, for the crash test
 * (scripts/crash-test.ts) and its bounded version in test/e2e/faults.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerProcess } from './compiled-server.js';

export interface KillRecord {
  readonly server: string;
  /** How long the server had been healthy when it was killed. */
  readonly uptimeMs: number;
  /** Requests in flight (sent, not acknowledged) at the moment of the kill. */
  readonly inFlight: number;
  /** From the kill until the restarted server was healthy again. */
  readonly downMs: number;
}

/**
 * Kills `server` with SIGKILL `kills` times at random moments and restarts it each time (waiting for
 * /health 200). Uptimes are random around `uptimeMs` on average, from a few milliseconds to almost twice that.
 */
export async function killRepeatedly(
  server: ServerProcess,
  options: {
    readonly kills: number;
    readonly uptimeMs: number;
    readonly random: () => number;
    readonly pending: () => number;
    readonly log?: (line: string) => void;
  },
): Promise<KillRecord[]> {
  const records: KillRecord[] = [];
  for (let kill = 1; kill <= options.kills; kill += 1) {
    const uptimeMs = Math.max(5, Math.round(options.uptimeMs * 1.9 * options.random()));
    await sleep(uptimeMs);
    const inFlight = options.pending();
    const killedAt = Date.now();
    await server.kill();
    // Sometimes straight back, sometimes after a pause in which clients find nothing listening.
    await sleep(Math.round(options.random() * 300));
    await server.start();
    const record = { server: server.options.name, uptimeMs, inFlight, downMs: Date.now() - killedAt };
    records.push(record);
    options.log?.(
      `kill ${kill}/${options.kills}: after ${uptimeMs} ms up, ${inFlight} requests in flight; ` +
        `healthy again after ${record.downMs} ms`,
    );
  }
  return records;
}
