import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { createKeyRing } from '../../src/keys/key-ring.js';
import { keyStates } from '../../src/keys/lifecycle.js';
import { openSqlite, sqliteStore } from '../../src/store/sqlite.js';
import { fixedClock } from '../helpers/clock.js';
import { sqliteFileStore, tempDir, testConfig } from '../helpers/deps.js';
import { jsonCli, startService, type ServiceProcess } from '../helpers/process.js';

describe('several instances on one database', () => {
  it('plan one successor when they rotate at the same moment, and sign with the same key', async () => {
    const path = join(tempDir(), 'tessera.db');
    const config = testConfig({ KEY_ROTATION_INTERVAL: '3600' });
    const clock = fixedClock();
    const [a, b] = [createKeyRing(await sqliteFileStore(path), config), createKeyRing(await sqliteFileStore(path), config)];
    await Promise.all([a.refresh(clock.now()), b.refresh(clock.now())]);

    clock.advance(3600 - a.prePublishSeconds);
    await Promise.all([a.refresh(clock.now()), b.refresh(clock.now())]);
    await Promise.all([a.refresh(clock.now()), b.refresh(clock.now())]);
    expect(a.jwks(clock.now()).keys).toHaveLength(2);
    expect(b.jwks(clock.now())).toEqual(a.jwks(clock.now()));

    clock.advance(a.prePublishSeconds);
    const claims = { iss: config.issuer, sub: 's', jti: 'j', iat: 0, exp: 9_999_999_999 };
    const [fromA, fromB] = [await a.sign(claims, clock.now()), await b.sign(claims, clock.now())];
    expect(decodeProtectedHeader(fromA).kid).toBe(a.jwks(clock.now()).keys[0]!.kid);
    expect(decodeProtectedHeader(fromB).kid).toBe(decodeProtectedHeader(fromA).kid);
    await expect(b.verify(fromA, clock.now())).resolves.toMatchObject({ sub: 's' });
  });

  it('two service processes rotating on one SQLite file keep one active key, and each verifies the other’s tokens', async () => {
    const path = join(tempDir(), 'tessera.db');
    // The shortest periods the configuration allows that still leave room for a reload before each activation:
    // JWKS_MAX_AGE 2 → reload every second and pre-publish 3 s; a rotation every 3 s. Ed25519 keys, which cost
    // nothing to generate: the algorithm is not the point here.
    const env = {
      DATABASE_URL: `file:${path}`,
      JWKS_MAX_AGE: '2',
      KEY_ROTATION_INTERVAL: '3',
      ACCESS_TOKEN_TTL: '120',
      SIGNING_ALG: 'EdDSA',
      LOG_LEVEL: 'warn',
    };
    const secret: string = (await jsonCli(env)(['clients', 'create', 'svc', '--grants', 'client_credentials'])).client_secret;

    const instances = await Promise.all([startService(env), startService(env)]);
    const token = async (s: ServiceProcess) => {
      const res = await fetch(`${s.url}/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'svc', client_secret: secret }),
      });
      expect(res.status).toBe(200);
      return (await res.json()).access_token as string;
    };
    const jwks = async (s: ServiceProcess): Promise<JSONWebKeySet> => (await fetch(`${s.url}/.well-known/jwks.json`)).json();

    const issued: string[] = [];
    const deadline = Date.now() + 60_000;
    while (new Set(issued.map((t) => decodeProtectedHeader(t).kid)).size < 3 && Date.now() < deadline) {
      const [fromA, fromB] = [await token(instances[0]), await token(instances[1])];
      const [jwksA, jwksB] = [await jwks(instances[0]), await jwks(instances[1])];
      // Each JWKS is fetched after the other instance signed: it must already hold that key (each instance has its own ISSUER here).
      await jwtVerify(fromB, createLocalJWKSet(jwksA), { typ: 'at+jwt' });
      await jwtVerify(fromA, createLocalJWKSet(jwksB), { typ: 'at+jwt' });
      issued.push(fromA, fromB);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(await instances[0].stop()).toBe(0);
    expect(await instances[1].stop()).toBe(0);

    const store = sqliteStore(openSqlite(path));
    const records = await store.listSigningKeys();
    await store.close();
    expect(new Set(issued.map((t) => decodeProtectedHeader(t).kid)).size).toBeGreaterThanOrEqual(3);
    // One successor per rotation: consecutive keys activate a full interval apart, never twice at once.
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
    for (let i = 1; i < records.length; i++) expect(records[i]!.activatesAt - records[i - 1]!.activatesAt).toBeGreaterThanOrEqual(3000);
    // Both instances signed every token with the key that was active, by the shared rows, at its iat.
    for (const t of issued) {
      const { iat } = JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()) as { iat: number };
      // iat is whole seconds: the key was active at some instant of that second.
      const activeKids = [iat * 1000, iat * 1000 + 999].map((at) => keyStates(records, at, { accessTokenTtl: 120_000, reloadSlack: 1000 }).active?.kid);
      expect(activeKids).toContain(decodeProtectedHeader(t).kid);
    }
  }, 120_000);
});
