import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SigningKeyRecord } from '../../src/domain/types.js';
import { openPrivateJwk } from '../../src/keys/encryption.js';
import { createKeyRing } from '../../src/keys/key-ring.js';
import { encryptKeys, rotateKeys } from '../../src/services/keys.js';
import { makeDeps, sqliteFileStore, tempDir, testConfig } from '../helpers/deps.js';

const kek = Buffer.alloc(32, 7).toString('base64');
const otherKek = Buffer.alloc(32, 9).toString('base64');
const operator = { name: 'cli' };

/** The bytes SQLite keeps on disk for this database: the main file and its write-ahead log. */
function storedBytes(path: string): string {
  return [path, `${path}-wal`]
    .filter(existsSync)
    .map((p) => readFileSync(p).toString('latin1'))
    .join('');
}

/** The secret members of each private key (RSA d, p, q…; EC and OKP d), as they would appear in clear. */
function secretsOf(records: SigningKeyRecord[], keyEncryptionKey: Uint8Array | null): string[] {
  return records.flatMap((r) => {
    const jwk = JSON.parse(openPrivateJwk(r, keyEncryptionKey)) as Record<string, string>;
    return ['d', 'p', 'q', 'dp', 'dq', 'qi'].filter((m) => jwk[m]).map((m) => jwk[m]!);
  });
}

async function storeWithKeys(env: Record<string, string>) {
  const path = join(tempDir(), 'tessera.db');
  const store = await sqliteFileStore(path);
  const deps = await makeDeps({ store, env });
  await rotateKeys(deps, operator, { immediate: false });
  await rotateKeys(deps, operator, { immediate: true });
  return { path, store, deps, records: await store.listSigningKeys() };
}

describe('private signing keys at rest', () => {
  it('writes no private key in clear to the database file or its WAL when KEY_ENCRYPTION_KEY is set', async () => {
    const { path, records, deps } = await storeWithKeys({ KEY_ENCRYPTION_KEY: kek });
    expect(records).toHaveLength(3);
    const bytes = storedBytes(path);
    const secrets = secretsOf(records, deps.config.keyEncryptionKey);
    expect(secrets.length).toBeGreaterThanOrEqual(3 * 6);
    for (const secret of secrets) expect(bytes.includes(secret)).toBe(false);
    // The public halves are there, so the search reads the right bytes.
    for (const r of records) expect(bytes.includes(JSON.parse(r.publicJwk).n)).toBe(true);
  });

  it('seals keys stored in clear with `encrypt` and leaves no clear copy behind in free pages or the WAL', async () => {
    const { path, store, records: original, deps } = await storeWithKeys({});
    const secrets = secretsOf(original, null);
    expect(secrets.every((s) => storedBytes(path).includes(s))).toBe(true);

    // Loading the ring deletes the scheduled key that the emergency key superseded before it signed.
    const sealing = await makeDeps({ store, env: { KEY_ENCRYPTION_KEY: kek }, ids: deps.ids });
    const kids = (await store.listSigningKeys()).map((r) => r.kid);
    expect(kids).toEqual([original[0]!.kid, original[2]!.kid]);
    expect(sealing.keys.unencryptedKeys()).toEqual(kids);
    expect(await encryptKeys(sealing, operator)).toEqual({ encrypted: kids, already_encrypted: [] });

    // Neither the re-sealed keys nor the deleted one remain readable anywhere in the files.
    const bytes = storedBytes(path);
    for (const secret of secrets) expect(bytes.includes(secret)).toBe(false);
    expect(await encryptKeys(sealing, operator)).toEqual({ encrypted: [], already_encrypted: kids });
    const audit = await store.listAuditEvents({ type: 'key.encrypted', limit: 10 });
    expect(audit.items.map((e) => e.details)).toEqual([{ kids }]);

    // The sealed keys still sign, and tokens still verify.
    await sealing.keys.refresh(sealing.clock.now());
    const token = await sealing.keys.sign({ iss: sealing.config.issuer, sub: 's', jti: 'j', iat: 1_700_000_000, exp: 1_700_000_600 }, sealing.clock.now());
    await expect(sealing.keys.verify(token, sealing.clock.now())).resolves.toMatchObject({ sub: 's' });
  });

  it('refuses to start without the key, or with another key, and adds no key then', async () => {
    const { store } = await storeWithKeys({ KEY_ENCRYPTION_KEY: kek });
    const before = await store.listSigningKeys();
    const now = new Date(1_800_000_000_000); // long after every key is due to rotate

    await expect(createKeyRing(store, testConfig()).refresh(now)).rejects.toMatchObject({ code: 'key_encryption_key_missing' });
    await expect(createKeyRing(store, testConfig({ KEY_ENCRYPTION_KEY: otherKek })).refresh(now)).rejects.toMatchObject({ code: 'key_encryption_key_wrong' });
    await expect(createKeyRing(store, testConfig()).rotate(now, { immediate: true })).rejects.toMatchObject({ code: 'key_encryption_key_missing' });
    expect(await store.listSigningKeys()).toEqual(before);
  });

  it('refuses to encrypt without a key, or with a key that does not open the keys already sealed', async () => {
    const { store } = await storeWithKeys({ KEY_ENCRYPTION_KEY: kek });
    const plain = await makeDeps({ store, env: { KEY_ENCRYPTION_KEY: kek } });
    const before = await store.listSigningKeys();
    await expect(encryptKeys({ ...plain, config: testConfig() }, operator)).rejects.toMatchObject({ code: 'key_encryption_key_missing' });
    await expect(encryptKeys({ ...plain, config: testConfig({ KEY_ENCRYPTION_KEY: otherKek }) }, operator)).rejects.toMatchObject({
      code: 'key_encryption_key_wrong',
    });
    expect(await store.listSigningKeys()).toEqual(before);
  });
});
