import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/services/clients.js';
import { passwordGrant, seededServer } from '../helpers/fixtures.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { form } from '../helpers/server.js';

const operator = { name: 'cli' };
const cookieName = '__Host-tessera-rt';

async function setup() {
  const server = await seededServer();
  await createClient(server.deps, operator, { id: 'spa', public: true, grants: ['password'], scopes: ['read'], refreshCookie: true });
  return server;
}

/** The refresh token a response set in the cookie, with the cookie's attributes. */
function refreshCookie(res: Response): { value: string; attributes: string } | null {
  const header = res.headers.getSetCookie().find((c) => c.startsWith(`${cookieName}=`));
  if (!header) return null;
  const [pair, ...rest] = header.split('; ');
  return { value: pair!.slice(cookieName.length + 1), attributes: rest.join('; ') };
}

const withCookie = (value: string, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { cookie: `${cookieName}=${value}`, ...headers },
});

async function loginSpa(server: Awaited<ReturnType<typeof setup>>) {
  const res = await passwordGrant(server, { client_id: 'spa' });
  expect(res.status).toBe(200);
  return { res, body: await res.json(), cookie: refreshCookie(res)! };
}

describe('cookie mode', () => {
  it('login sets the refresh token only as a __Host- cookie, never in the body', async () => {
    const server = await setup();
    const { body, cookie } = await loginSpa(server);
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 600, scope: 'read' });
    expect(cookie.value).toMatch(/^[\w-]{43}$/);
    expect(cookie.attributes).toBe('Max-Age=1209600; Path=/; HttpOnly; Secure; SameSite=Strict');
  });

  it('/refresh reads the cookie, rotates it and sets the successor, keeping it out of the body', async () => {
    const server = await setup();
    const { cookie } = await loginSpa(server);
    const res = await server.fetch('/refresh', withCookie(cookie.value, { 'x-requested-with': 'fetch' }));
    expect(res.status).toBe(200);
    await expectMatchesSpec(res, { method: 'post', path: '/refresh' });
    expect(await res.json()).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 600, scope: 'read' });
    const next = refreshCookie(res)!;
    expect(next.value).not.toBe(cookie.value);
    expect(next.attributes).toContain('HttpOnly; Secure; SameSite=Strict');

    const again = await server.fetch('/refresh', withCookie(next.value, { 'x-requested-with': 'fetch' }));
    expect(again.status).toBe(200);
  });

  it('refuses a cookie-only request without X-Requested-With (CSRF) and leaves the token unused', async () => {
    const server = await setup();
    const { cookie } = await loginSpa(server);
    const forged = await server.fetch('/refresh', withCookie(cookie.value, { 'content-type': 'application/x-www-form-urlencoded' }));
    expect(forged.status).toBe(403);
    await expectMatchesSpec(forged, { method: 'post', path: '/refresh' });
    expect(await forged.json()).toEqual({
      error: 'invalid_request',
      error_description: 'a request that sends the refresh cookie must also send the X-Requested-With header',
    });
    expect(refreshCookie(forged)).toBeNull();
    expect((await server.deps.store.findRefreshToken('rt_1'))?.usedAt).toBeNull();
    expect((await server.fetch('/refresh', withCookie(cookie.value, { 'x-requested-with': '1' }))).status).toBe(200);
  });

  it("refuses a cookie-mode client's refresh token sent in the body", async () => {
    const server = await setup();
    const { cookie } = await loginSpa(server);
    const res = await server.fetch('/refresh', form({ refresh_token: cookie.value }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: "this client's refresh token travels only in the refresh cookie, never in the body",
    });
    expect((await server.deps.store.findRefreshToken('rt_1'))?.usedAt).toBeNull();
  });

  it('/revoke with the cookie logs out: the family is revoked and the cookie cleared', async () => {
    const server = await setup();
    const { cookie } = await loginSpa(server);

    const forged = await server.fetch('/revoke', withCookie(cookie.value));
    expect(forged.status).toBe(403);
    expect((await server.deps.store.findFamily('fam_1'))?.revokedAt).toBeNull();

    const res = await server.fetch('/revoke', withCookie(cookie.value, { 'x-requested-with': 'fetch', 'user-agent': 'browser/1' }));
    expect(res.status).toBe(200);
    await expectMatchesSpec(res, { method: 'post', path: '/revoke' });
    expect(await res.text()).toBe('');
    expect(res.headers.getSetCookie()).toEqual([`${cookieName}=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict`]);
    expect(await server.deps.store.findFamily('fam_1')).toMatchObject({ revokeReason: 'logout', revokedAt: 1_700_000_000_000 });
    const audit = await server.deps.store.listAuditEvents({ type: 'family.revoked', limit: 5 });
    expect(audit.items).toEqual([
      expect.objectContaining({ actor: `user:${server.alice.id}`, familyId: 'fam_1', userAgent: 'browser/1', details: { reason: 'logout' } }),
    ]);

    const after = await server.fetch('/refresh', withCookie(cookie.value, { 'x-requested-with': 'fetch' }));
    expect(after.status).toBe(400);
    expect(await after.json()).toEqual({ error: 'invalid_grant', error_description: 'refresh token has been revoked' });
    // The dead token's cookie is dropped, so the browser stops sending it.
    expect(after.headers.getSetCookie()[0]).toMatch(/^__Host-tessera-rt=; Max-Age=0/);
  });

  it('answers logout with an unknown cookie 200 and clears it', async () => {
    const server = await setup();
    const res = await server.fetch('/revoke', withCookie('not-a-token', { 'x-requested-with': 'fetch' }));
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()[0]).toMatch(/^__Host-tessera-rt=; Max-Age=0/);
  });
});
