import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { freshKeyPair } from '../../src/keys/generate.js';
import { listKeys, rotateKeys } from '../../src/services/keys.js';
import { seed } from '../helpers/fixtures.js';
import { basic, form, testServer } from '../helpers/server.js';

// JWKS_MAX_AGE 120 gives a reload period of 30 s, so a new key is published 150 s before it signs.
const env = { JWKS_MAX_AGE: '120', KEY_ROTATION_INTERVAL: '1200', ACCESS_TOKEN_TTL: '600' };
const maxAge = 120;
const prePublish = 150;
const start = 1_700_000_000;

async function setup(extraEnv: Record<string, string> = {}) {
  // Real key generation: these tests are about the keys themselves.
  const server = await testServer({ env: { ...env, ...extraEnv }, keyPairs: freshKeyPair });
  const { serviceSecret } = await seed(server.deps);
  const { clock, keys } = server.deps;
  const now = () => Math.floor(clock.now().getTime() / 1000);
  return {
    ...server,
    now,
    /** Moves the clock and runs the periodic key reload, as main.ts does every reload period. */
    async advanceTo(epoch: number) {
      clock.set(epoch);
      await keys.refresh(clock.now());
    },
    async token(): Promise<{ token: string; kid: string; iat: number; exp: number }> {
      const res = await server.fetch('/token', {
        ...form({ grant_type: 'client_credentials' }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', serviceSecret) },
      });
      expect(res.status).toBe(200);
      const token = (await res.json()).access_token as string;
      return { token, kid: decodeProtectedHeader(token).kid!, iat: now(), exp: now() + 600 };
    },
    async jwks(): Promise<JSONWebKeySet> {
      const res = await server.fetch('/.well-known/jwks.json');
      expect(res.headers.get('cache-control')).toBe(`public, max-age=${maxAge}`);
      return res.json();
    },
    /** Verifies as a service holding `jwks` would: one key set per fetched document, its imported keys kept. */
    verifyWith(jwks: JSONWebKeySet, token: string, at: number) {
      let keySet = keySets.get(jwks);
      if (!keySet) {
        keySet = createLocalJWKSet(jwks);
        keySets.set(jwks, keySet);
      }
      return jwtVerify(token, keySet, { issuer: server.url, typ: 'at+jwt', currentDate: new Date(at * 1000) });
    },
  };
}

const keySets = new WeakMap<JSONWebKeySet, ReturnType<typeof createLocalJWKSet>>();
const kidsOf = (jwks: JSONWebKeySet) => jwks.keys.map((k) => k.kid);

describe('signing key lifecycle', () => {
  it('publishes the next key before it signs, verifies old tokens until they expire, then drops the retired key', async () => {
    const t = await setup();
    const first = await t.token();
    expect(kidsOf(await t.jwks())).toEqual([first.kid]);

    // Not due yet one second before the pre-publication starts.
    const activation = start + 1200;
    await t.advanceTo(activation - prePublish - 1);
    expect(kidsOf(await t.jwks())).toEqual([first.kid]);

    await t.advanceTo(activation - prePublish);
    const [nextKid] = kidsOf(await t.jwks());
    expect(kidsOf(await t.jwks())).toEqual([nextKid, first.kid]);
    expect(nextKid).not.toBe(first.kid);
    expect((await listKeys(t.deps)).map((k) => [k.kid, k.state])).toEqual([
      [nextKid, 'next'],
      [first.kid, 'active'],
    ]);

    await t.advanceTo(activation - 1);
    const lastOld = await t.token();
    expect(lastOld.kid).toBe(first.kid);

    await t.advanceTo(activation);
    const firstNew = await t.token();
    expect(firstNew.kid).toBe(nextKid);
    const both = await t.jwks();
    expect(kidsOf(both)).toEqual([nextKid, first.kid]);
    await expect(t.verifyWith(both, lastOld.token, activation)).resolves.toBeDefined();
    expect((await listKeys(t.deps)).map((k) => k.state)).toEqual(['active', 'retired']);

    // The old key's last token lives 600 s; instances may have signed with it for one reload period (30 s) longer.
    const retiredUntil = activation + 30 + 600;
    await t.advanceTo(retiredUntil - 1);
    expect(kidsOf(await t.jwks())).toEqual([nextKid, first.kid]);
    await expect(t.verifyWith(await t.jwks(), lastOld.token, lastOld.exp - 1)).resolves.toBeDefined();

    await t.advanceTo(retiredUntil);
    expect(kidsOf(await t.jwks())).toEqual([nextKid]);
    expect((await t.deps.store.listSigningKeys()).map((k) => k.kid)).toEqual([nextKid]);
    await expect(t.verifyWith(await t.jwks(), (await t.token()).token, retiredUntil)).resolves.toBeDefined();
    expect(firstNew.exp).toBeLessThan(retiredUntil);
  });

  it('lets a verifier holding a JWKS fetched at any moment verify every unexpired token for the whole cache lifetime', async () => {
    const t = await setup();
    const step = 30;
    const snapshots: { at: number; jwks: JSONWebKeySet }[] = [];
    const tokens: Awaited<ReturnType<typeof t.token>>[] = [];
    let checks = 0;

    for (let at = start; at <= start + 3 * 1200 + 900; at += step) {
      await t.advanceTo(at);
      snapshots.push({ at, jwks: await t.jwks() });
      tokens.push(await t.token());
    }
    // A verifier uses a snapshot until max-age has passed, then refetches: every token issued by then
    // and not expired when the snapshot was taken must verify with it.
    for (const snapshot of snapshots) {
      for (const token of tokens.filter((tk) => tk.iat <= snapshot.at + maxAge && tk.exp > snapshot.at)) {
        const at = Math.max(snapshot.at, token.iat);
        await expect(
          t.verifyWith(snapshot.jwks, token.token, at),
          `snapshot from ${snapshot.at - start}s, token from ${token.iat - start}s`,
        ).resolves.toBeDefined();
        checks++;
      }
    }
    expect(new Set(tokens.map((tk) => tk.kid)).size).toBe(4); // the first key and three rotations
    expect(checks).toBeGreaterThan(3000);
    // Retired keys left the JWKS once their tokens had expired; the next rotation is not due yet.
    expect(kidsOf(await t.jwks())).toEqual([tokens.at(-1)!.kid]);
  }, 120_000);

  it('rotates on demand after the pre-publication time, and at once with immediate (skipping it)', async () => {
    const t = await setup();
    const old = await t.token();

    const planned = await rotateKeys(t.deps, { name: 'cli' }, { immediate: false });
    expect(planned).toMatchObject({
      state: 'next',
      activates_at: new Date((start + prePublish) * 1000).toISOString(),
      pre_published: true,
      pre_publish_seconds: prePublish,
    });
    expect((await t.token()).kid).toBe(old.kid);
    await t.advanceTo(start + prePublish);
    expect((await t.token()).kid).toBe(planned.kid);

    const before = await t.jwks();
    const emergency = await rotateKeys(t.deps, { name: 'cli' }, { immediate: true });
    expect(emergency).toMatchObject({ state: 'active', pre_published: false, pre_publish_seconds: 0 });
    const signed = await t.token();
    expect(signed.kid).toBe(emergency.kid);
    // The cost of an emergency: a JWKS cached before it does not know the new key until the verifier refetches.
    await expect(t.verifyWith(before, signed.token, t.now())).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
    const after = await t.jwks();
    expect(kidsOf(after)).toEqual([emergency.kid, planned.kid, old.kid]);
    await expect(t.verifyWith(after, signed.token, t.now())).resolves.toBeDefined();

    const audit = await t.deps.store.listAuditEvents({ type: 'key.rotated', limit: 10 });
    expect(audit.items.map((e) => [e.actor, e.details.kid, e.details.immediate])).toEqual([
      ['cli', emergency.kid, true],
      ['cli', planned.kid, false],
    ]);
  });

  it.each(['RS256', 'ES256', 'EdDSA'])('publishes %s keys with alg, use and an RFC 7638 thumbprint kid', async (alg) => {
    const t = await setup({ SIGNING_ALG: alg });
    const [jwk] = (await t.jwks()).keys;
    const { calculateJwkThumbprint } = await import('jose');
    expect(jwk).toMatchObject({ alg, use: 'sig', kid: await calculateJwkThumbprint(jwk!, 'sha256') });
    expect(Object.keys(jwk!).filter((k) => ['d', 'p', 'q', 'dp', 'dq', 'qi'].includes(k))).toEqual([]);
    if (alg === 'RS256') expect(Buffer.from(jwk!.n!, 'base64url').length * 8).toBeGreaterThanOrEqual(2048);
    const { token } = await t.token();
    expect(decodeProtectedHeader(token)).toEqual({ alg, typ: 'at+jwt', kid: jwk!.kid });
    await expect(t.verifyWith(await t.jwks(), token, t.now())).resolves.toBeDefined();
  });
});
