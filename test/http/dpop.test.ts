import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/services/clients.js';
import { browserAppsServer, pkce, redirectParams, spaRedirect, spaRequest } from '../helpers/authorize.js';
import { type DpopKey, dpopKey, type ProofOptions } from '../helpers/dpop.js';
import { passwordForm, seededServer } from '../helpers/fixtures.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { basic, form } from '../helpers/server.js';

type Server = Awaited<ReturnType<typeof seededServer>>;

const algs = 'algs="ES256 EdDSA PS256 RS256"';

async function setup(env: Record<string, string> = {}) {
  const server = await seededServer({ env, seed: { app: { scopes: ['openid', 'read', 'write'] } } });
  const key = await dpopKey();
  const now = () => Math.floor(server.deps.clock.now().getTime() / 1000);
  /** A proof by `by` (default: the client's key) for a request to `path` at the server. */
  const proof = (htm: string, path: string, options: ProofOptions & { by?: DpopKey } = {}) =>
    (options.by ?? key).proof({ htm, htu: `${server.url}${path}`, iat: now(), ...options });
  return { server, key, now, proof };
}

/** alice's password login to web-app with `dpop` as the DPoP header. */
const login = (server: Server, dpop?: string, fields: Record<string, string> = {}) =>
  server.fetch('/token', passwordForm({ scope: 'openid read', ...fields }, dpop ? { dpop } : {}));

const refresh = (server: Server, token: string, dpop?: string) => {
  const init = form({ grant_type: 'refresh_token', client_id: 'web-app', refresh_token: token });
  return server.fetch('/token', { ...init, headers: { ...(init.headers as Record<string, string>), ...(dpop ? { dpop } : {}) } });
};

const userinfo = (server: Server, authorization: string, dpop?: string) => server.fetch('/userinfo', { headers: { authorization, ...(dpop ? { dpop } : {}) } });

const proofError = (description: string) => ({ error: 'invalid_dpop_proof', error_description: description });

describe('DPoP at /token (RFC 9449 §5)', () => {
  it('binds the access token to the proof key: token_type DPoP and cnf.jkt', async () => {
    const { server, key, proof } = await setup();
    const res = await login(server, await proof('POST', '/token'));
    expect(res.status).toBe(200);
    await expectMatchesSpec(res, { method: 'post', path: '/token' });
    const body = await res.json();
    expect(body).toMatchObject({ token_type: 'DPoP', scope: 'openid read', refresh_token: expect.any(String) });
    expect(decodeJwt(body.access_token).cnf).toEqual({ jkt: key.jkt });
  });

  it('without a proof issues a bearer token without cnf, as before', async () => {
    const { server } = await setup();
    const body = await (await login(server)).json();
    expect(body.token_type).toBe('Bearer');
    expect(decodeJwt(body.access_token).cnf).toBeUndefined();
  });

  it("binds a public client's refresh token and every successor to the key: no proof, or another key's, is refused and changes nothing", async () => {
    const { server, key, proof } = await setup();
    const first = await (await login(server, await proof('POST', '/token'))).json();

    const bare = await refresh(server, first.refresh_token);
    await expectMatchesSpec(bare, { method: 'post', path: '/token' });
    expect([bare.status, await bare.json()]).toEqual([400, proofError('this refresh token is bound to a DPoP key: send a DPoP proof by that key')]);
    const thief = await dpopKey();
    const stolen = await refresh(server, first.refresh_token, await proof('POST', '/token', { by: thief }));
    expect((await stolen.json()).error).toBe('invalid_dpop_proof');

    // Refused without being used: the owner's refresh still works, and so does the successor's.
    const second = await (await refresh(server, first.refresh_token, await proof('POST', '/token'))).json();
    expect(second.token_type).toBe('DPoP');
    expect(decodeJwt(second.access_token).cnf).toEqual({ jkt: key.jkt });
    expect((await refresh(server, second.refresh_token)).status).toBe(400);
    expect((await refresh(server, second.refresh_token, await proof('POST', '/token'))).status).toBe(200);
  });

  it("does not bind a confidential client's refresh tokens (its credentials do), only its access tokens", async () => {
    const { server, proof } = await setup();
    await createClient(server.deps, { name: 'cli' }, { id: 'backend', grants: ['password'], scopes: ['read'] }).then(async ({ secret }) => {
      const auth = { authorization: basic('backend', secret!) };
      const login1 = await server.fetch('/token', passwordForm({ client_id: undefined, scope: 'read' }, { ...auth, dpop: await proof('POST', '/token') }));
      const body = await login1.json();
      expect(body.token_type).toBe('DPoP');
      const init = form({ grant_type: 'refresh_token', refresh_token: body.refresh_token });
      const again = await server.fetch('/token', { ...init, headers: { ...(init.headers as Record<string, string>), ...auth } });
      expect([again.status, (await again.json()).token_type]).toEqual([200, 'Bearer']);
    });
  });

  it.each([
    ['a wrong htm', { htm: 'GET' }, "the proof's htm does not match the request's method POST"],
    ['a wrong htu', { htu: 'http://elsewhere.example/token' }, "the proof's htu does not match the request's URL"],
    ['a stale iat', { iatShift: -61 }, "the proof's iat is more than 60 seconds from the server's time"],
    ['a future iat', { iatShift: 61 }, "the proof's iat is more than 60 seconds from the server's time"],
    ['no jti', { claims: { jti: undefined } }, 'the proof needs a jti of 1 to 256 characters'],
    ['the wrong typ', { header: { typ: 'JWT' } }, 'the DPoP proof is not valid: unexpected "typ" JWT header value'],
    ['a private key in its jwk', { privateJwk: true }, "the DPoP proof's jwk must be a public key"],
  ])('refuses a proof with %s', async (_, variant, description) => {
    const { server, key, now } = await setup();
    const { iatShift = 0, privateJwk = false, ...options } = variant as ProofOptions & { iatShift?: number; privateJwk?: boolean };
    const header = privateJwk ? { jwk: await import('jose').then(async (jose) => jose.exportJWK(key.privateKey)) } : options.header;
    const dpop = await key.proof({ htm: 'POST', htu: `${server.url}/token`, ...options, iat: now() + iatShift, header });
    const res = await login(server, dpop);
    const body = await res.json();
    expect([res.status, body.error]).toEqual([400, 'invalid_dpop_proof']);
    if (!privateJwk) expect(body).toEqual(proofError(description));
    else expect(body.error_description).toMatch(/public key/);
  });

  it('accepts the htu with a query and a fragment, and in another case of scheme and host (RFC 9449 §4.3)', async () => {
    const { server, key, now } = await setup();
    const htu = `${server.url.toUpperCase().replace('HTTP://', 'HTTP://')}/token?x=1#f`;
    expect((await login(server, await key.proof({ htm: 'POST', htu, iat: now() }))).status).toBe(200);
  });

  it('refuses a replayed proof (the same jti), an HMAC one, and two DPoP headers', async () => {
    const { server, proof } = await setup();
    const dpop = await proof('POST', '/token');
    expect((await login(server, dpop)).status).toBe(200);
    const replay = await login(server, dpop);
    expect([replay.status, await replay.json()]).toEqual([400, proofError('the DPoP proof was used before (its jti is not new)')]);

    const hmac = await new (await import('jose')).SignJWT({ jti: 'x', htm: 'POST', htu: `${server.url}/token`, iat: 1 })
      .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt' })
      .sign(new Uint8Array(32));
    expect((await (await login(server, hmac)).json()).error_description).toBe('the DPoP proof is not valid: its alg must be one of ES256, EdDSA, PS256, RS256');
    const twice = await login(server, `${await proof('POST', '/token')}, ${await proof('POST', '/token')}`);
    expect((await twice.json()).error_description).toBe('the DPoP header must hold exactly one proof JWT');
  });

  it('a --require-dpop client gets no token without a proof', async () => {
    const server = await seededServer({ seed: { app: { dpopBoundAccessTokens: true } } });
    const res = await server.fetch('/token', passwordForm());
    await expectMatchesSpec(res, { method: 'post', path: '/token' });
    expect([res.status, await res.json()]).toEqual([400, proofError('this client must send a DPoP proof with every token request')]);
  });

  it('binds client_credentials tokens too', async () => {
    const { server, key, proof } = await setup();
    const init = form({ grant_type: 'client_credentials', scope: 'read' });
    const res = await server.fetch('/token', {
      ...init,
      headers: { ...(init.headers as Record<string, string>), authorization: basic('billing', server.serviceSecret), dpop: await proof('POST', '/token') },
    });
    const body = await res.json();
    expect([body.token_type, decodeJwt(body.access_token).cnf]).toEqual(['DPoP', { jkt: key.jkt }]);
  });
});

describe('DPoP at /refresh', () => {
  it('rotates a bound refresh token with a proof by its key, and refuses it without one or with another key’s, using nothing up', async () => {
    const { server, key, proof } = await setup();
    const first = await (await login(server, await proof('POST', '/token'))).json();
    const viaRefresh = async (dpop?: string) =>
      server.fetch('/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(dpop ? { dpop } : {}) },
        body: JSON.stringify({ refresh_token: first.refresh_token }),
      });
    const bare = await viaRefresh();
    await expectMatchesSpec(bare.clone(), { method: 'post', path: '/refresh' });
    expect([bare.status, (await bare.json()).error]).toEqual([400, 'invalid_dpop_proof']);
    const other = await viaRefresh(
      await (await dpopKey('EdDSA')).proof({ htm: 'POST', htu: `${server.url}/refresh`, iat: Math.floor(server.deps.clock.now().getTime() / 1000) }),
    );
    expect([other.status, (await other.json()).error]).toEqual([400, 'invalid_dpop_proof']);
    const ok = await viaRefresh(await proof('POST', '/refresh'));
    await expectMatchesSpec(ok.clone(), { method: 'post', path: '/refresh' });
    const body = await ok.json();
    expect([ok.status, body.token_type, decodeJwt(body.access_token).cnf]).toEqual([200, 'DPoP', { jkt: key.jkt }]);
    expect(body.refresh_token).not.toBe(first.refresh_token);
  });
});

describe('DPoP at protected resources (RFC 9449 §7)', () => {
  async function boundLogin() {
    const ctx = await setup();
    const body = await (await login(ctx.server, await ctx.proof('POST', '/token'))).json();
    return { ...ctx, token: body.access_token as string };
  }

  it('/userinfo answers a DPoP token with its proof', async () => {
    const { server, token, proof } = await boundLogin();
    const res = await userinfo(server, `DPoP ${token}`, await proof('GET', '/userinfo', { accessToken: token }));
    expect(res.status).toBe(200);
    await expectMatchesSpec(res, { method: 'get', path: '/userinfo' });
    expect((await res.json()).sub).toBe(server.alice.id);
  });

  it('refuses a bound token sent as Bearer, with a DPoP challenge', async () => {
    const { server, token } = await boundLogin();
    const res = await userinfo(server, `Bearer ${token}`);
    const description = 'this access token is bound to a DPoP key: send it with the DPoP scheme and a proof';
    await expectMatchesSpec(res, { method: 'get', path: '/userinfo' });
    expect([res.status, await res.json()]).toEqual([401, { error: 'invalid_token', error_description: description }]);
    expect(res.headers.get('www-authenticate')).toBe(`DPoP error="invalid_token", error_description="${description}", ${algs}`);
  });

  it('answers a DPoP token without the scope a resource needs with a DPoP challenge (insufficient_scope)', async () => {
    const ctx = await setup();
    const token = (await (await login(ctx.server, await ctx.proof('POST', '/token'), { scope: 'read' })).json()).access_token as string;
    const res = await userinfo(ctx.server, `DPoP ${token}`, await ctx.proof('GET', '/userinfo', { accessToken: token }));
    await expectMatchesSpec(res.clone(), { method: 'get', path: '/userinfo' });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(`DPoP error="insufficient_scope", scope="openid", ${algs}`);
  });

  it('the account API refuses a bound token sent as Bearer, and answers it with its proof', async () => {
    const ctx = await setup();
    await ctx.server.deps.store.updateClient('web-app', { scopes: ['openid', 'read', 'write', 'account'] });
    const body = await (await login(ctx.server, await ctx.proof('POST', '/token'), { scope: 'account' })).json();
    const token = body.access_token as string;
    const asBearer = await ctx.server.fetch('/account/sessions', { headers: { authorization: `Bearer ${token}` } });
    const description = 'this access token is bound to a DPoP key: send it with the DPoP scheme and a proof';
    expect([asBearer.status, await asBearer.json()]).toEqual([401, { error: 'invalid_token', error_description: description }]);
    expect(asBearer.headers.get('www-authenticate')).toBe(`DPoP error="invalid_token", error_description="${description}", ${algs}`);
    const withProof = await ctx.server.fetch('/account/sessions', {
      headers: { authorization: `DPoP ${token}`, dpop: await ctx.proof('GET', '/account/sessions', { accessToken: token }) },
    });
    expect(withProof.status).toBe(200);
    expect((await withProof.json()).sessions).toHaveLength(1);
  });

  it('refuses a proof by another key, and a DPoP token without a proof', async () => {
    const { server, token, proof } = await boundLogin();
    const other = await dpopKey('EdDSA');
    const res = await userinfo(server, `DPoP ${token}`, await proof('GET', '/userinfo', { accessToken: token, by: other }));
    expect([res.status, (await res.json()).error_description]).toEqual([401, 'the DPoP proof is by another key than the one the access token is bound to']);
    const none = await userinfo(server, `DPoP ${token}`);
    expect([none.status, await none.json()]).toEqual([401, proofError('a DPoP access token needs a DPoP proof')]);
    expect(none.headers.get('www-authenticate')).toBe(`DPoP error="invalid_dpop_proof", error_description="a DPoP access token needs a DPoP proof", ${algs}`);
  });

  it.each([
    ['a wrong ath', { accessToken: 'another-token' }, "the proof's ath does not match the access token"],
    ['no ath', {}, 'the proof needs an ath claim: the hash of the access token it comes with'],
    ['a wrong htm', { htm: 'POST' }, "the proof's htm does not match the request's method GET"],
    ['a wrong htu', { htu: 'http://127.0.0.1:1/userinfo' }, "the proof's htu does not match the request's URL"],
    ['a stale iat', { iat: 1 }, "the proof's iat is more than 60 seconds from the server's time"],
  ])('refuses a proof with %s: 401 invalid_dpop_proof', async (_, options, description) => {
    const { server, token, key, now } = await boundLogin();
    const dpop = await key.proof({ htm: 'GET', htu: `${server.url}/userinfo`, iat: now(), ...options });
    const res = await userinfo(server, `DPoP ${token}`, dpop);
    expect([res.status, await res.json()]).toEqual([401, proofError(description)]);
    expect(res.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_dpop_proof"/);
  });

  it('refuses a replayed proof at a resource', async () => {
    const { server, token, proof } = await boundLogin();
    const dpop = await proof('GET', '/userinfo', { accessToken: token });
    expect((await userinfo(server, `DPoP ${token}`, dpop)).status).toBe(200);
    const again = await userinfo(server, `DPoP ${token}`, dpop);
    expect([again.status, (await again.json()).error_description]).toEqual([401, 'the DPoP proof was used before (its jti is not new)']);
  });

  it('refuses an unbound token sent with the DPoP scheme', async () => {
    const { server, proof } = await setup();
    const { access_token: token } = await (await login(server)).json();
    const res = await userinfo(server, `DPoP ${token}`, await proof('GET', '/userinfo', { accessToken: token }));
    expect([res.status, (await res.json()).error_description]).toEqual([401, 'this access token is not bound to a DPoP key: send it as a Bearer token']);
  });

  it('without a token, challenges both schemes', async () => {
    const { server } = await setup();
    const res = await server.fetch('/userinfo');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="tessera", DPoP ${algs}`);
  });

  it('the admin API takes a DPoP-bound token with its proof, and refuses it as Bearer', async () => {
    const { server, key, proof } = await setup();
    const init = form({ grant_type: 'client_credentials', scope: 'admin' });
    const headers = { ...(init.headers as Record<string, string>), authorization: basic('billing', server.serviceSecret) };
    const { access_token: token } = await (await server.fetch('/token', { ...init, headers: { ...headers, dpop: await proof('POST', '/token') } })).json();
    expect(decodeJwt(token).cnf).toEqual({ jkt: key.jkt });
    const ok = await server.fetch('/admin/users', {
      headers: { authorization: `DPoP ${token}`, dpop: await proof('GET', '/admin/users', { accessToken: token }) },
    });
    expect(ok.status).toBe(200);
    const bearer = await server.fetch('/admin/users', { headers: { authorization: `Bearer ${token}` } });
    expect([bearer.status, (await bearer.json()).error]).toEqual([401, 'invalid_token']);
  });

  it('introspection shows the binding (cnf) of access and refresh tokens', async () => {
    const { server, key, proof } = await setup();
    const body = await (await login(server, await proof('POST', '/token'))).json();
    for (const token of [body.access_token, body.refresh_token]) {
      const init = form({ token });
      const res = await server.fetch('/introspect', {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: basic('billing', server.serviceSecret) },
      });
      await expectMatchesSpec(res, { method: 'post', path: '/introspect' });
      expect(await res.json()).toMatchObject({ active: true, cnf: { jkt: key.jkt } });
    }
  });
});

describe('DPoP nonces (RFC 9449 §8, §9) with DPOP_NONCE=on', () => {
  it('asks for a nonce at /token with use_dpop_nonce and DPoP-Nonce, then accepts the proof that carries it', async () => {
    const { server, proof } = await setup({ DPOP_NONCE: 'on' });
    const first = await login(server, await proof('POST', '/token'));
    const nonce = first.headers.get('dpop-nonce');
    await expectMatchesSpec(first, { method: 'post', path: '/token' });
    expect([first.status, await first.json()]).toEqual([
      400,
      { error: 'use_dpop_nonce', error_description: 'the DPoP proof must carry the nonce in the DPoP-Nonce header' },
    ]);
    expect(nonce).toEqual(expect.any(String));

    const ok = await login(server, await proof('POST', '/token', { nonce: nonce! }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('dpop-nonce')).toBe(nonce);
    expect((await login(server, await proof('POST', '/token', { nonce: 'made-up' }))).status).toBe(400);
  });

  it('a nonce is good for its window and the next, then asked for again', async () => {
    const { server, proof } = await setup({ DPOP_NONCE: 'on' });
    const nonce = (await login(server, await proof('POST', '/token'))).headers.get('dpop-nonce')!;
    server.deps.clock.advance(300);
    expect((await login(server, await proof('POST', '/token', { nonce }))).status).toBe(200);
    server.deps.clock.advance(600);
    const stale = await login(server, await proof('POST', '/token', { nonce }));
    expect([stale.status, (await stale.json()).error]).toEqual([400, 'use_dpop_nonce']);
    expect(stale.headers.get('dpop-nonce')).not.toBe(nonce);
  });

  it('a resource asks for a nonce with 401 and a DPoP challenge', async () => {
    const { server, proof } = await setup({ DPOP_NONCE: 'on' });
    const nonce = (await login(server, await proof('POST', '/token'))).headers.get('dpop-nonce')!;
    const { access_token: token } = await (await login(server, await proof('POST', '/token', { nonce }))).json();
    const res = await userinfo(server, `DPoP ${token}`, await proof('GET', '/userinfo', { accessToken: token }));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `DPoP error="use_dpop_nonce", error_description="the DPoP proof must carry the nonce in the DPoP-Nonce header", ${algs}`,
    );
    expect(res.headers.get('dpop-nonce')).toBe(nonce);
    const ok = await userinfo(server, `DPoP ${token}`, await proof('GET', '/userinfo', { accessToken: token, nonce }));
    expect(ok.status).toBe(200);
  });
});

describe('metadata', () => {
  it('lists the DPoP proof algorithms', async () => {
    const { server } = await setup();
    const meta = await (await server.fetch('/.well-known/oauth-authorization-server')).json();
    expect(meta.dpop_signing_alg_values_supported).toEqual(['ES256', 'EdDSA', 'PS256', 'RS256']);
  });
});

describe('dpop_jkt at /authorize (RFC 9449 §10)', () => {
  async function boundCode(jkt: string) {
    const server = await browserAppsServer();
    const v = pkce();
    const page = await server.browser.get(spaRequest(v.challenge, { scope: 'read', dpop_jkt: jkt }));
    const { code } = redirectParams(await server.browser.login(page));
    const exchange = (dpop?: string) => {
      const init = form({ grant_type: 'authorization_code', client_id: 'spa', code: code!, redirect_uri: spaRedirect, code_verifier: v.verifier });
      return server.fetch('/token', { ...init, headers: { ...(init.headers as Record<string, string>), ...(dpop ? { dpop } : {}) } });
    };
    const proofBy = (key: DpopKey) => key.proof({ htm: 'POST', htu: `${server.url}/token`, iat: Math.floor(server.deps.clock.now().getTime() / 1000) });
    return { server, exchange, proofBy };
  }

  it('binds the code: refused without a proof or with another key, and still redeemable by the key it names', async () => {
    const key = await dpopKey();
    const { exchange, proofBy } = await boundCode(key.jkt);
    const bare = await exchange();
    expect([bare.status, await bare.json()]).toEqual([400, proofError('this authorization code needs a DPoP proof by the key named in dpop_jkt')]);
    const other = await exchange(await proofBy(await dpopKey()));
    expect([other.status, await other.json()]).toEqual([400, proofError('the DPoP proof is by another key than the one dpop_jkt named')]);
    const ok = await exchange(await proofBy(key));
    const body = await ok.json();
    expect([ok.status, body.token_type, decodeJwt(body.access_token).cnf]).toEqual([200, 'DPoP', { jkt: key.jkt }]);
  });

  it('refuses a dpop_jkt that is not a thumbprint, back at the redirect URI', async () => {
    const server = await browserAppsServer();
    const res = await server.browser.get(spaRequest(pkce().challenge, { dpop_jkt: 'short' }));
    expect(redirectParams(res)).toMatchObject({
      error: 'invalid_request',
      error_description: 'dpop_jkt must be a JWK SHA-256 thumbprint (43 base64url characters)',
    });
  });
});
