import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../../packages/verify/src/index.js';
import { adminSetup } from '../admin/setup.js';
import { onCleanup } from '../helpers/deps.js';
import { basic, form } from '../helpers/server.js';

// Issue #11, finding 1: a client_credentials token outlived its client. Every server-side check now
// asks whether the token's client still exists and is enabled, and the feed tells verifiers.

async function setup() {
  const s = await adminSetup();
  const created = await s.admin('POST', '/admin/clients', { body: { id: 'ops', grants: ['client_credentials'], scope: 'admin' } });
  const { client_secret: secret } = await created.json();
  const opsToken = async () => {
    const res = await s.fetch('/token', {
      ...form({ grant_type: 'client_credentials' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('ops', secret) },
    });
    return { status: res.status, body: await res.json() };
  };
  const { body } = await opsToken();
  const introspect = async (token: string) => {
    const res = await s.fetch('/introspect', {
      ...form({ token }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', s.serviceSecret) },
    });
    return res.json();
  };
  return { ...s, opsSecret: secret as string, opsToken, token: body.access_token as string, introspect };
}

describe('a deleted or disabled client', () => {
  it('loses its tokens at once: the admin API refuses them, introspection calls them inactive', async () => {
    const s = await setup();
    expect((await s.admin('GET', '/admin/clients', { token: s.token })).status).toBe(200);
    expect(await s.introspect(s.token)).toMatchObject({ active: true, client_id: 'ops' });

    expect((await s.admin('DELETE', '/admin/clients/ops')).status).toBe(200);
    const refused = await s.admin('GET', '/admin/clients', { token: s.token });
    expect(refused.status).toBe(401);
    expect((await refused.json()).error).toBe('invalid_token');
    expect((await s.admin('POST', '/admin/clients', { token: s.token, body: { id: 'backdoor', scope: 'admin' } })).status).toBe(401);
    expect((await s.admin('GET', '/admin/clients')).status).toBe(200);
    expect(await s.deps.store.findClient('backdoor')).toBeNull();
    expect(await s.introspect(s.token)).toEqual({ active: false });
  });

  it('is published on the revocation feed, and a verifier following it refuses its earlier tokens', async () => {
    const s = await setup();
    const verifier = createVerifier({ issuer: s.url, audience: s.url, now: () => s.deps.clock.now(), revocations: true });
    onCleanup(() => verifier.close());
    await expect(verifier.verify(s.token)).resolves.toMatchObject({ client_id: 'ops' });

    const disabled = await s.admin('POST', '/admin/clients/ops/disable');
    expect(await disabled.json()).toEqual({ client_id: 'ops', disabled: true, revoked_families: 0 });
    const feed = await (await s.fetch('/revocations')).json();
    expect(feed.revocations).toEqual([{ client_id: 'ops', revoked_at: 1_700_000_000, expires_at: 1_700_000_600 }]);

    const deadline = Date.now() + 5000;
    let code = '';
    while (code !== 'ERR_TOKEN_REVOKED' && Date.now() < deadline) {
      code = await verifier.verify(s.token).then(
        () => 'valid',
        (error: { code: string }) => error.code,
      );
      if (code !== 'ERR_TOKEN_REVOKED') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(code).toBe('ERR_TOKEN_REVOKED');
  });

  it('cannot authenticate while disabled; enabled again, it gets new tokens while the old ones stay refused', async () => {
    const s = await setup();
    await s.admin('POST', '/admin/clients/ops/disable');
    expect(await s.opsToken()).toMatchObject({ status: 401, body: { error: 'invalid_client' } });

    s.deps.clock.advance(1);
    const enabled = await s.admin('POST', '/admin/clients/ops/enable');
    expect(await enabled.json()).toEqual({ client_id: 'ops', enabled: true });
    const fresh = await s.opsToken();
    expect(fresh.status).toBe(200);
    expect((await s.admin('GET', '/admin/keys', { token: fresh.body.access_token })).status).toBe(200);
    expect((await s.admin('GET', '/admin/keys', { token: s.token })).status).toBe(401);
    expect(await s.introspect(s.token)).toEqual({ active: false });
    expect(decodeJwt(fresh.body.access_token).iat).toBeGreaterThan(decodeJwt(s.token).iat!);
  });

  it('ends the sessions of its users, and is audited', async () => {
    const s = await setup();
    const { refresh_token: refreshToken } = await s.login();
    const res = await s.admin('POST', '/admin/clients/web-app/disable');
    expect(await res.json()).toEqual({ client_id: 'web-app', disabled: true, revoked_families: 1 });
    expect((await s.refresh(refreshToken)).status).toBe(401);
    const { events } = await (await s.admin('GET', '/admin/audit?type=client.disabled')).json();
    expect(events).toMatchObject([{ type: 'client.disabled', client_id: 'web-app', details: { revoked_families: 1 } }]);
  });
});
