import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { readSse } from '../../packages/verify/src/sse.js';
import { createClient } from '../../src/services/clients.js';
import { pruneExpired } from '../../src/services/retention.js';
import { loginAlice, seededServer } from '../helpers/fixtures.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { basic, form } from '../helpers/server.js';

/** billing (client_credentials, scopes read, introspect, admin) and web-app (a login, with a session). */
async function setup() {
  const server = await seededServer({ app: { feedPollMs: 20 } });
  const asBilling = (path: string, fields: Record<string, string>) =>
    server.fetch(path, {
      ...form(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', server.serviceSecret) },
    });
  const serviceToken = async () => {
    const res = await asBilling('/token', { grant_type: 'client_credentials', scope: 'read introspect admin' });
    return (await res.json()).access_token as string;
  };
  const admin = (token: string) => server.fetch('/admin/clients', { headers: { authorization: `Bearer ${token}` } });
  const introspect = async (token: string) => (await asBilling('/introspect', { token })).json();
  const feed = async () => (await (await server.fetch('/revocations')).json()).revocations as Record<string, unknown>[];
  return { ...server, asBilling, serviceToken, admin, introspect, feed };
}

describe('POST /revoke with a client_credentials access token (no sid)', () => {
  it('ends the token: the admin API refuses it, introspection calls it inactive, and the feed lists it by jti until it expires', async () => {
    const s = await setup();
    const token = await s.serviceToken();
    const other = await s.serviceToken();
    const { jti, exp } = decodeJwt(token);
    expect((await s.admin(token)).status).toBe(200);

    const res = await s.asBilling('/revoke', { token, token_type_hint: 'access_token' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');

    const refused = await s.admin(token);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: 'invalid_token', error_description: expect.stringContaining('revoked') });
    expect(await s.introspect(token)).toEqual({ active: false });
    // Only that token: the client's other tokens go on working.
    expect((await s.admin(other)).status).toBe(200);
    expect((await s.introspect(other)).active).toBe(true);

    const page = await s.fetch('/revocations');
    await expectMatchesSpec(page.clone(), { method: 'get', path: '/revocations' });
    expect((await page.json()).revocations).toEqual([{ jti, revoked_at: 1_700_000_000, expires_at: exp }]);

    // Revoking it again changes nothing and still answers 200.
    expect((await s.asBilling('/revoke', { token })).status).toBe(200);
    expect(await s.feed()).toHaveLength(1);

    s.deps.clock.advance(exp! - 1_700_000_000);
    expect(await s.feed()).toEqual([]);
    // The retention job removes the record once the token has expired.
    s.deps.clock.advance(1);
    await pruneExpired(s.deps);
    expect(await s.deps.store.isAccessTokenRevoked(jti!)).toBe(false);
  });

  it('streams the jti entry to live readers', async () => {
    const s = await setup();
    const token = await s.serviceToken();
    const { jti, exp } = decodeJwt(token);
    const stream = await s.fetch('/revocations', { headers: { accept: 'text/event-stream' } });
    const events = readSse(stream.body!, () => {});
    await s.asBilling('/revoke', { token });
    const first = await events.next();
    expect(JSON.parse(first.value!.data)).toEqual({ jti, revoked_at: 1_700_000_000, expires_at: exp });
    await events.return(undefined);
  });

  it("records nothing for another client's token, and a login's access token still revokes its session", async () => {
    const s = await setup();
    const token = await s.serviceToken();
    await createClient(s.deps, { name: 'cli' }, { id: 'other', grants: ['client_credentials'], scopes: ['read'] }).then(async ({ secret }) => {
      const res = await s.fetch('/revoke', {
        ...form({ token }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('other', secret!) },
      });
      expect(res.status).toBe(200);
    });
    expect((await s.admin(token)).status).toBe(200);

    const login = await loginAlice(s);
    expect((await s.fetch('/revoke', form({ client_id: 'web-app', token: login.access_token }))).status).toBe(200);
    expect(await s.feed()).toEqual([{ sid: decodeJwt(login.access_token).sid, revoked_at: 1_700_000_000, expires_at: 1_700_000_600 }]);
  });
});
