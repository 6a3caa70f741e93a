import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/services/clients.js';
import { loginAlice, seededServer } from '../helpers/fixtures.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { basic, form } from '../helpers/server.js';

const operator = { name: 'cli' };

async function setup() {
  const server = await seededServer();
  const login = () => loginAlice(server);
  const refresh = (refresh_token: string) => server.fetch('/refresh', form({ refresh_token }));
  const revoke = (fields: Record<string, string>) => server.fetch('/revoke', form({ client_id: 'web-app', ...fields }));
  const familyRevoked = async (id = 'fam_1') => (await server.deps.store.findFamily(id))?.revokeReason ?? null;
  return { ...server, login, refresh, revoke, familyRevoked };
}

describe('POST /revoke', () => {
  it('revokes the whole family of a refresh token and answers 200 with an empty body', async () => {
    const s = await setup();
    const first = await s.login();
    const successor = (await (await s.refresh(first.refresh_token)).json()).refresh_token;

    // The already-rotated token still names the family.
    const res = await s.revoke({ token: first.refresh_token, token_type_hint: 'refresh_token' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    await expectMatchesSpec(res, { method: 'post', path: '/revoke' });
    expect(await res.text()).toBe('');
    expect(await s.familyRevoked()).toBe('logout');
    expect(await (await s.refresh(successor)).json()).toEqual({ error: 'invalid_grant', error_description: 'refresh token has been revoked' });

    const audit = await s.deps.store.listAuditEvents({ type: 'family.revoked', limit: 5 });
    expect(audit.items).toEqual([expect.objectContaining({ actor: 'client:web-app', familyId: 'fam_1', userId: s.alice.id, details: { reason: 'logout' } })]);
  });

  it("revokes an access token's family (sid), whatever the hint says", async () => {
    const s = await setup();
    const { access_token, refresh_token } = await s.login();
    expect((await s.revoke({ token: access_token, token_type_hint: 'refresh_token' })).status).toBe(200);
    expect(await s.familyRevoked()).toBe('logout');
    expect((await s.refresh(refresh_token)).status).toBe(400);
  });

  it("answers 200 and changes nothing for unknown, expired or another client's tokens", async () => {
    const s = await setup();
    await createClient(s.deps, operator, { id: 'other-app', public: true, grants: ['password'], scopes: ['read'] });
    const { access_token, refresh_token } = await s.login();

    const attempts = [
      s.revoke({ token: 'never-issued' }),
      s.revoke({ token: 'a.b.c', token_type_hint: 'access_token' }),
      s.revoke({ token: refresh_token, client_id: 'other-app' }),
      s.revoke({ token: access_token, client_id: 'other-app' }),
      s.revoke({ token: `${access_token.slice(0, -4)}AAAA` }),
      s.revoke({ token: refresh_token, token_type_hint: 'something_else', client_id: 'other-app' }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('');
    }
    s.deps.clock.advance(601);
    expect((await s.revoke({ token: access_token })).status).toBe(200);
    expect(await s.familyRevoked()).toBeNull();
    expect((await s.refresh(refresh_token)).status).toBe(200);
  });

  it('requires client authentication and a token', async () => {
    const s = await setup();
    const { refresh_token } = await s.login();
    const anonymous = await s.fetch('/revoke', form({ token: refresh_token }));
    expect(anonymous.status).toBe(401);
    await expectMatchesSpec(anonymous, { method: 'post', path: '/revoke' });
    expect(await anonymous.json()).toEqual({ error: 'invalid_client', error_description: 'client authentication is required' });

    const wrongSecret = await s.fetch('/revoke', {
      ...form({ token: refresh_token }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', 'wrong') },
    });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.headers.get('www-authenticate')).toMatch(/^Basic /);

    const missing = await s.revoke({});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: 'invalid_request', error_description: 'token is required' });
    expect(await s.familyRevoked()).toBeNull();
  });

  it('never answers 500 to garbage', async () => {
    const s = await setup();
    for (const body of ['%', 'token=%FF&client_id=web-app', 'token=a&token=b&client_id=web-app']) {
      const res = await s.fetch('/revoke', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      expect(res.status).toBeLessThan(500);
    }
  });
});
