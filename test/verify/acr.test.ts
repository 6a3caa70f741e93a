import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createVerifier, InsufficientUserAuthentication, meetsAcr, requireAcr, type TokenEnv } from '../../packages/verify/src/index.js';
import { onCleanup } from '../helpers/deps.js';
import { loginAlice, seed } from '../helpers/fixtures.js';
import { testServer } from '../helpers/server.js';

describe('requireToken({ acr }) and requireAcr', () => {
  it('refuses a password-only token where urn:tessera:mfa is needed, with the RFC 9470 challenge, and lets it through at urn:tessera:pwd', async () => {
    const tessera = await testServer();
    await seed(tessera.deps);
    const { access_token: token } = await loginAlice(tessera);
    const verifier = createVerifier({ issuer: tessera.url, audience: tessera.url, now: () => tessera.deps.clock.now() });
    onCleanup(() => verifier.close());
    const app = new Hono<TokenEnv>();
    app.get('/pay', verifier.requireToken({ acr: 'urn:tessera:mfa' }), (c) => c.body(null, 204));
    app.get('/read', verifier.requireToken({ acr: 'urn:tessera:pwd' }), (c) => c.json({ acr: c.get('token').acr }));

    const refused = await app.request('/pay', { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="insufficient_user_authentication", error_description="this resource needs a sign-in at urn:tessera:mfa", acr_values="urn:tessera:mfa"',
    );
    expect(await refused.json()).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'this resource needs a sign-in at urn:tessera:mfa',
      code: 'ERR_INSUFFICIENT_USER_AUTHENTICATION',
    });
    const allowed = await app.request('/read', { headers: { authorization: `Bearer ${token}` } });
    expect(await allowed.json()).toEqual({ acr: 'urn:tessera:pwd' });

    const claims = await verifier.verify(token);
    expect(() => requireAcr(claims, 'urn:tessera:mfa')).toThrow(InsufficientUserAuthentication);
    expect(meetsAcr({ acr: 'urn:tessera:mfa' }, 'urn:tessera:pwd')).toBe(true);
    expect(meetsAcr({}, 'urn:tessera:pwd')).toBe(false);
  });
});
