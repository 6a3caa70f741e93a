import { describe, expect, it } from 'vitest';
import { beginTotp } from '../../src/services/factors/totp.js';
import { createUser } from '../../src/services/users.js';
import { browserAppsServer, hiddenFields, pkce, spaRequest } from '../helpers/authorize.js';

// Hostile passkey answers on both stores (this file also runs as http-postgres): malformed attestations
// and assertions, a replayed challenge, a credential of another user. No 5xx, nothing accepted.

const clientData = (challenge: string) => Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin: 'http://evil.example' })).toString('base64url');
const assertion = (id: string, challenge: string) =>
  JSON.stringify({
    id,
    rawId: id,
    type: 'public-key',
    clientExtensionResults: {},
    response: { clientDataJSON: clientData(challenge), authenticatorData: 'AAAA', signature: 'AAAA' },
  });

const malformed = [
  '',
  'null',
  '[]',
  '{}',
  '{"id":5}',
  '{"id":"x","response":{"clientDataJSON":"%%%"}}',
  `{"id":"x","response":{"clientDataJSON":"${Buffer.from('[1]').toString('base64url')}"}}`,
  'x'.repeat(70_000),
];

async function setup() {
  const s = await browserAppsServer();
  const bob = await createUser(s.deps, { name: 'cli' }, { username: 'bob', password: 'a long enough password' });
  await s.deps.store.insertPasskey({
    credentialId: 'bobs-key',
    userId: bob.id,
    publicKey: 'pQECAyYgASFYIA',
    counter: 0,
    transports: [],
    deviceType: 'singleDevice',
    backedUp: false,
    name: 'Bob',
    createdAt: 0,
    lastUsedAt: null,
  });
  return s;
}

describe('hostile passkey answers', () => {
  it('refuse malformed assertions and attestations, a replayed challenge and another user’s credential on the login page', async () => {
    const s = await setup();
    const page = await s.browser.get(spaRequest(pkce().challenge));
    const fields = hiddenFields(await page.text());
    for (const credential of malformed) {
      const res = await s.browser.post('/login/passkey', { ...fields, credential });
      expect([400, 413], credential.slice(0, 40)).toContain(res.status);
      expect(s.browser.jar.has('__Host-tessera-session')).toBe(false);
    }
    const options = await s.browser.post('/webauthn/authentication/options', { csrf_token: fields.csrf_token! });
    expect(options.status).toBe(200);
    const { challenge } = (await options.json()) as { challenge: string };
    // Bob's credential with a forged signature: refused, and the challenge is spent by it.
    expect((await s.browser.post('/login/passkey', { ...fields, credential: assertion('bobs-key', challenge) })).status).toBe(400);
    expect((await s.browser.post('/login/passkey', { ...fields, credential: assertion('bobs-key', challenge) })).status).toBe(400);
    expect(await s.deps.store.consumeChallenge('', 'authenticate', s.deps.clock.now().getTime())).toBeNull();
    expect(s.browser.jar.has('__Host-tessera-session')).toBe(false);
    expect((await s.deps.store.findPasskey('bobs-key'))?.counter).toBe(0);
  });

  it('on the second step, refuse another user’s passkey and malformed answers, counting them as failed attempts', async () => {
    const s = await setup();
    const alice = (await s.deps.store.findUserByUsername('alice'))!;
    const { id } = await beginTotp(s.deps, alice);
    expect(await s.deps.store.confirmTotp(alice.id, id, 1, 0)).toBe(true);
    const page = await s.browser.login(await s.browser.get(spaRequest(pkce().challenge)));
    expect(page.status).toBe(200);
    const fields = hiddenFields(await page.text());
    expect(Object.keys(fields)).toEqual(['csrf_token', 'state']);
    const options = await s.browser.post('/webauthn/authentication/options', fields);
    const { challenge } = (await options.json()) as { challenge: string };
    for (const credential of [...malformed, assertion('bobs-key', challenge), assertion('bobs-key', challenge)]) {
      const res = await s.browser.post('/login/second-step', { ...fields, credential });
      expect([400, 413], credential.slice(0, 40)).toContain(res.status);
    }
    expect(s.browser.jar.has('__Host-tessera-session')).toBe(false);
    const failed = (await s.deps.store.listAuditEvents({ limit: 100, type: 'factor.failed' })).items;
    expect(failed.length).toBeGreaterThanOrEqual(malformed.length);
    for (const path of ['/account/security/passkeys', '/account/security/passkeys/options']) {
      const res = await s.browser.post(path, { csrf_token: fields.csrf_token!, credential: malformed[5]! });
      expect(res.status, path).toBe(303);
    }
    expect(await s.deps.store.listPasskeys(alice.id)).toEqual([]);
  });
});
