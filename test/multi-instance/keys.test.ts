import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { expect, it } from 'vitest';
import { runTessera, type ServiceProcess } from '../helpers/process.js';
import { describeOnPostgres, issuer, login, startCluster } from './cluster.js';

const jwks = async (instance: ServiceProcess): Promise<JSONWebKeySet> => (await fetch(`${instance.url}/.well-known/jwks.json`)).json();
const kids = (set: JSONWebKeySet) => set.keys.map((k) => k.kid).sort();
const signingKid = async (instance: ServiceProcess) => decodeProtectedHeader((await login(instance)).access_token).kid;

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  // Instances reload keys every second here (JWKS_MAX_AGE=2); the deadline only guards against a hang.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describeOnPostgres('signing keys across two instances on one PostgreSQL database', () => {
  it('agree on one active key when both start at once on an empty database, and verify each other’s tokens', async () => {
    const { a, b } = await startCluster();
    const [setA, setB] = await Promise.all([jwks(a), jwks(b)]);
    expect(setA.keys).toHaveLength(1);
    expect(setB).toEqual(setA);

    const fromA = await login(a);
    const fromB = await login(b);
    expect(decodeProtectedHeader(fromA.access_token).kid).toBe(setA.keys[0]!.kid);
    expect(decodeProtectedHeader(fromB.access_token).kid).toBe(setA.keys[0]!.kid);
    await expect(jwtVerify(fromA.access_token, createLocalJWKSet(setB), { issuer, typ: 'at+jwt' })).resolves.toBeDefined();
    await expect(jwtVerify(fromB.access_token, createLocalJWKSet(setA), { issuer, typ: 'at+jwt' })).resolves.toBeDefined();
  });

  it('both move to the key an operator rotated in, and keep publishing the old one', async () => {
    const { a, b, databaseUrl } = await startCluster({ JWKS_MAX_AGE: '2' });
    const oldKid = await signingKid(a);

    const rotated = await runTessera(['keys', 'rotate', '--now'], { env: { DATABASE_URL: databaseUrl, ISSUER: issuer, LOG_LEVEL: 'silent' } });
    expect(rotated.code).toBe(0);

    const newKid = await eventually(
      () => signingKid(a),
      (kid) => kid !== oldKid,
      'instance A still signs with the old key',
    );
    await eventually(
      () => signingKid(b),
      (kid) => kid === newKid,
      'instance B does not sign with the new key',
    );
    const [setA, setB] = await Promise.all([jwks(a), jwks(b)]);
    expect(kids(setA)).toEqual([newKid, oldKid].sort());
    expect(kids(setB)).toEqual(kids(setA));
  });
});
