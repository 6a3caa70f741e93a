import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { revocationPage } from '../../src/services/revocations.js';
import { postgresStore } from '../../src/store/postgres.js';
import type { Store } from '../../src/store/types.js';
import { fixedClock } from '../helpers/clock.js';
import { onCleanup, sqliteFileStore, tempDir, testConfig } from '../helpers/deps.js';
import { freshDatabase, pgSkipReason, testDatabaseUrl } from '../helpers/postgres.js';

// Issue #11, finding 6: one `clients delete` of a busy client once put ~150,000 entries on the feed, which
// threw RangeError and stopped it. Family revocations at one instant are the hardest case for paging.
const revoked = 200_000;
const clock = fixedClock();
const at = clock.now().getTime();

/** 200,000 families revoked at the same millisecond, written in one statement (both dialects speak this SQL). */
const seedSql = `with recursive n(i) as (select 1 union all select i + 1 from n where i < ${revoked})
  insert into families (id, user_id, client_id, scope, audience, created_at, expires_at, last_used_at, revoked_at, revoke_reason)
  select 'fam_' || i, 'usr_1', 'web-app', '', 'aud', ${at - 1000}, ${at + 86_400_000}, ${at - 1000}, ${at}, 'admin' from n`;

async function readWholeFeed(store: Store) {
  const deps = { store, clock, config: testConfig() };
  const seen = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  for (let more = true; more; pages++) {
    const page = await revocationPage(deps, cursor);
    expect(page.entries.length).toBeLessThanOrEqual(1000);
    for (const entry of page.entries) if (entry.kind === 'family') seen.add(entry.sid);
    [cursor, more] = [page.cursor, page.more];
  }
  return { seen: seen.size, pages };
}

describe('the revocation feed at scale', () => {
  it(`pages through ${revoked} revocations made at one instant on SQLite, each exactly once`, async () => {
    const path = join(tempDir(), 'tessera.db');
    const store = await sqliteFileStore(path);
    const raw = new Database(path);
    raw.exec(seedSql);
    raw.close();
    expect(await readWholeFeed(store)).toEqual({ seen: revoked, pages: revoked / 1000 + 1 });
  }, 120_000);

  it.skipIf(!testDatabaseUrl)(
    `pages through ${revoked} revocations made at one instant on PostgreSQL, each exactly once${testDatabaseUrl ? '' : ` (${pgSkipReason})`}`,
    async () => {
      const url = await freshDatabase();
      const store = postgresStore(url);
      onCleanup(() => store.close());
      await store.migrate();
      const raw = new pg.Client({ connectionString: url });
      await raw.connect();
      await raw.query(seedSql).finally(() => raw.end());
      expect(await readWholeFeed(store)).toEqual({ seen: revoked, pages: revoked / 1000 + 1 });
    },
    120_000,
  );
});
