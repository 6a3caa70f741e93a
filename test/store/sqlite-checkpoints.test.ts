import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointInBackground } from '../../src/store/sqlite-checkpoints.js';
import { openSqlite, sqliteStore } from '../../src/store/sqlite.js';
import { onCleanup, tempDir } from '../helpers/deps.js';
import { event } from './fixtures.js';

const until = async (condition: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error(`timed out waiting until ${what}`);
};

describe('SQLite checkpoints on a worker thread (the serving store)', () => {
  it('copies the WAL into the database file from the worker, while the serving connection never checkpoints', async () => {
    const path = join(tempDir(), 'tessera.db');
    const client = openSqlite(path);
    const store = sqliteStore(client, { checkpointer: checkpointInBackground(client, path, 20) });
    onCleanup(() => store.close());
    expect(client.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const empty = statSync(path).size;

    // The migrations go to the WAL; only a checkpoint writes their pages into the database file itself (the
    // serving connection, with automatic checkpoints off, would leave them in the WAL until it closes).
    await store.migrate();
    await until(() => statSync(path).size > empty, 'the database file holds the migrated tables');
    expect(client.prepare("select count(*) as n from sqlite_master where name = 'refresh_tokens'").get()).toEqual({ n: 1 });
  });

  it('stops the worker when the store closes, and the file opens again with everything written', async () => {
    const path = join(tempDir(), 'tessera.db');
    const client = openSqlite(path);
    const store = sqliteStore(client, { checkpointer: checkpointInBackground(client, path, 20) });
    await store.migrate();
    await store.insertAuditEvent(event({ id: 'evt_1' }));
    await store.close();

    const reopened = sqliteStore(openSqlite(path));
    onCleanup(() => reopened.close());
    expect((await reopened.listAuditEvents({ limit: 10 })).items.map((event) => event.id)).toEqual(['evt_1']);
  });
});
