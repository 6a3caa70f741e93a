import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { encryptStoredKeys } from '../../src/keys/encryption.js';
import { postgresStore } from '../../src/store/postgres.js';
import { makeDeps, onCleanup } from '../helpers/deps.js';
import { freshDatabase, pgSkipReason, testDatabaseUrl } from '../helpers/postgres.js';

describe.skipIf(!testDatabaseUrl)(`signing keys at rest on PostgreSQL${testDatabaseUrl ? '' : ` (${pgSkipReason})`}`, () => {
  it('rewrites the key table when keys are encrypted, so no old row version with a clear key stays in its files', async () => {
    const url = await freshDatabase();
    const store = postgresStore(url);
    onCleanup(() => store.close());
    await store.migrate();
    await makeDeps({ store }); // creates the first signing key, in clear: no KEY_ENCRYPTION_KEY
    expect((await store.listSigningKeys())[0]!.privateJwk.startsWith('{')).toBe(true);

    const sql = new pg.Client({ connectionString: url });
    await sql.connect();
    onCleanup(() => sql.end());
    const fileOf = async () => (await sql.query("select pg_relation_filenode('signing_keys') as node")).rows[0].node as number;
    const deadVersions = async () =>
      (await sql.query("select count(*)::int as n from heap_page_items(get_raw_page('signing_keys', 0)) where t_xmax <> 0")).rows[0].n as number;
    await sql.query('create extension if not exists pageinspect');
    const before = await fileOf();

    await encryptStoredKeys(store, new Uint8Array(32).fill(9));

    expect((await store.listSigningKeys())[0]!.privateJwk.startsWith('v1.')).toBe(true);
    // A new file for the table, holding only the live (sealed) row: the version with the clear key is gone.
    expect(await fileOf()).not.toBe(before);
    // VACUUM FULL keeps a dead version that a snapshot somewhere on the server may still see (a backend
    // that is just connecting counts for every database): on a busy server the rewrite is done again,
    // as running `tessera keys encrypt` again would.
    // Other test files' transactions come and go on the same server: try again for up to 10 s.
    for (let attempt = 0; attempt < 100 && (await deadVersions()) > 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const [key] = await store.listSigningKeys();
      await store.updateSigningKeyPrivate(key!.kid, key!.privateJwk);
    }
    expect(await deadVersions()).toBe(0);
  });
});
