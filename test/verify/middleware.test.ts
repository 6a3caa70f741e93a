import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createVerifier, requireToken, type TokenEnv, type VerifierOptions } from '../../packages/verify/src/index.js';
import { loginAlice, seed } from '../helpers/fixtures.js';
import { onCleanup } from '../helpers/deps.js';
import { testServer } from '../helpers/server.js';

/** A live Tessera, a token of alice's (scope "read write"), and a resource app guarded by requireToken. */
async function setup(options: Partial<VerifierOptions> = {}) {
  const tessera = await testServer();
  await seed(tessera.deps);
  const { access_token: token } = await loginAlice(tessera);
  const verifier = createVerifier({ issuer: tessera.url, audience: tessera.url, now: () => tessera.deps.clock.now(), ...options });
  onCleanup(() => verifier.close());
  const app = new Hono<TokenEnv>();
  app.get('/notes', verifier.requireToken({ scope: 'read' }), (c) => c.json({ sub: c.get('token').sub, scope: c.get('token').scope }));
  app.delete('/notes', requireToken({ verifier, scope: 'admin' }), (c) => c.body(null, 204));
  const call = (method: string, authorization?: string) => app.request('/notes', { method, headers: authorization ? { authorization } : {} });
  return { tessera, token, call };
}

describe('requireToken', () => {
  it('lets a valid token with the scope through, with its claims on the context', async () => {
    const { tessera, token, call } = await setup();
    const res = await call('GET', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: (await tessera.deps.store.findUserByUsername('alice'))!.id, scope: 'read write' });
  });

  it('answers 401 with a bare Bearer challenge when no token is sent', async () => {
    const { call } = await setup();
    for (const authorization of [undefined, 'Basic YTpi', 'Bearer', 'Bearer two words']) {
      const res = await call('GET', authorization);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
      expect(await res.json()).toEqual({ error: 'invalid_token', error_description: 'a bearer access token is required' });
    }
  });

  it('answers 401 invalid_token with the verifier code for a bad token', async () => {
    const { tessera, token, call } = await setup();
    tessera.deps.clock.advance(3600);
    const res = await call('GET', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_token", error_description="token has expired"');
    expect(await res.json()).toEqual({ error: 'invalid_token', error_description: 'token has expired', code: 'ERR_TOKEN_EXPIRED' });
  });

  it('answers 403 insufficient_scope, naming the scope, for a valid token without it', async () => {
    const { token, call } = await setup();
    const res = await call('DELETE', `Bearer ${token}`);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api", error="insufficient_scope", scope="admin"');
    expect(await res.json()).toEqual({ error: 'insufficient_scope', error_description: 'this resource needs the "admin" scope' });
  });

  it('answers 503, not 401, when the issuer keys cannot be fetched, so clients do not log in again for nothing', async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    const { token, call } = await setup({ jwksUri: 'http://127.0.0.1:9/.well-known/jwks.json' });
    const res = await call('GET', `Bearer ${token}`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable', code: 'ERR_JWKS_UNAVAILABLE' });
  });
});
