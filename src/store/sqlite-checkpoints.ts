import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

export type Checkpointer = { stop(): Promise<void> };

// The worker's code, as a script of its own (eval), so it runs the same from src/ (tests) and from dist/.
const workerScript = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Another connection's checkpoint is running, or the file is going away: the next tick tries again.
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Moves the WAL checkpoints of a serving SQLite connection to a worker thread with a connection of its own.
 * A checkpoint copies the WAL into the database file and syncs it, which on the event loop stalled every request
 * behind it for tens of milliseconds each time the WAL reached 1,000 pages. Now the serving connection never
 * checkpoints as it commits, and the worker runs a PASSIVE checkpoint (which waits for no reader or writer)
 * every `everyMs`. Commits stay as durable as before: WAL mode with synchronous=NORMAL, as openSqlite sets.
 */
export function checkpointInBackground(client: Database.Database, path: string, everyMs = 500): Checkpointer {
  client.pragma('wal_autocheckpoint = 0');
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(workerScript, { eval: true, workerData: { driver, path, everyMs } });
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // Should the worker fail, the serving connection checkpoints as it commits again (SQLite's default), so the WAL
  // cannot grow without end.
  worker.on('error', () => {
    if (client.open) client.pragma('wal_autocheckpoint = 1000');
  });
  return {
    stop() {
      // Held again until it has closed its connection: unreferenced, it would let a process with nothing else
      // to do exit before the store reports closed.
      worker.ref();
      worker.postMessage('stop');
      return exited;
    },
  };
}
