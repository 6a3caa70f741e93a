import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createVerifier, type TokenEnv, type VerifierOptions } from '../../packages/verify/src/index.js';
import { onCleanup } from '../helpers/deps.js';
import { dpopKey, type DpopKey } from '../helpers/dpop.js';
import { passwordForm, seed } from '../helpers/fixtures.js';
import { testServer } from '../helpers/server.js';

const api = 'http://api.example/notes';
const algs = 'algs="ES256 EdDSA PS256 RS256"';

/** A live Tessera, a DPoP-bound token of alice's, and a resource app guarded by a verifier with `dpop` (unless told otherwise). */
async function setup(options: Partial<VerifierOptions> = { dpop: true }) {
  const tessera = await testServer();
  await seed(tessera.deps);
  const key = await dpopKey();
  const now = () => Math.floor(tessera.deps.clock.now().getTime() / 1000);
  const login = await tessera.fetch('/token', passwordForm({}, { dpop: await key.proof({ htm: 'POST', htu: `${tessera.url}/token`, iat: now() }) }));
  const { access_token: token } = await login.json();
  const verifier = createVerifier({ issuer: tessera.url, audience: tessera.url, now: () => tessera.deps.clock.now(), ...options });
  onCleanup(() => verifier.close());
  const app = new Hono<TokenEnv>();
  app.get('/notes', verifier.requireToken({ scope: 'read' }), (c) => c.json({ sub: c.get('token').sub, cnf: c.get('token').cnf }));
  const proof = (o: { by?: DpopKey; htm?: string; htu?: string; iat?: number; accessToken?: string } = {}) =>
    (o.by ?? key).proof({ htm: o.htm ?? 'GET', htu: o.htu ?? api, iat: o.iat ?? now(), accessToken: o.accessToken ?? token });
  const call = (authorization: string, dpop?: string) => app.request(api, { headers: { authorization, ...(dpop ? { dpop } : {}) } });
  return { tessera, key, token, verifier, proof, call };
}

describe('tessera-verify with DPoP (RFC 9449)', () => {
  it('lets a bound token through with the DPoP scheme and a proof by its key', async () => {
    const { key, token, proof, call } = await setup();
    const res = await call(`DPoP ${token}`, await proof());
    expect(res.status).toBe(200);
    expect((await res.json()).cnf).toEqual({ jkt: key.jkt });
  });

  it('refuses the bound token as Bearer, with a DPoP challenge', async () => {
    const { token, call } = await setup();
    const res = await call(`Bearer ${token}`);
    const description = 'this access token is bound to a DPoP key: send it with the DPoP scheme and a proof';
    expect([res.status, await res.json()]).toEqual([401, { error: 'invalid_token', error_description: description, code: 'ERR_DPOP_BINDING_MISMATCH' }]);
    expect(res.headers.get('www-authenticate')).toBe(`DPoP error="invalid_token", error_description="${description}", ${algs}`);
  });

  it('refuses a proof by another key, a replayed proof, and proofs for another method, URL, time or token', async () => {
    const { token, proof, call } = await setup();
    const codeOf = async (dpop: string) => {
      const res = await call(`DPoP ${token}`, dpop);
      return [res.status, (await res.json()).code];
    };
    expect(await codeOf(await proof({ by: await dpopKey('EdDSA') }))).toEqual([401, 'ERR_DPOP_BINDING_MISMATCH']);
    const once = await proof();
    expect((await call(`DPoP ${token}`, once)).status).toBe(200);
    expect(await codeOf(once)).toEqual([401, 'ERR_DPOP_PROOF_INVALID']);
    for (const wrong of [{ htm: 'POST' }, { htu: 'http://api.example/other' }, { iat: 1 }, { accessToken: 'another' }]) {
      expect(await codeOf(await proof(wrong)), JSON.stringify(wrong)).toEqual([401, 'ERR_DPOP_PROOF_INVALID']);
    }
    const none = await call(`DPoP ${token}`);
    expect(none.headers.get('www-authenticate')).toBe(`DPoP error="invalid_dpop_proof", error_description="a DPoP access token needs a DPoP proof", ${algs}`);
  });

  it('forgets proofs once their iat window has passed: the replay cache stays bounded', async () => {
    const { tessera, token, proof, call, verifier } = await setup({ dpop: { iatWindowSeconds: 60 } });
    expect((await call(`DPoP ${token}`, await proof())).status).toBe(200);
    tessera.deps.clock.advance(62);
    expect((await call(`DPoP ${token}`, await proof())).status).toBe(200);
    expect(verifier.dpop).toBe(true);
  });

  it('challenges both schemes without a token', async () => {
    const { call } = await setup();
    const res = await call('');
    expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="api", DPoP ${algs}`);
  });

  it('without the dpop option, a bound token is refused either way', async () => {
    const { token, proof, call, verifier } = await setup({});
    expect(verifier.dpop).toBe(false);
    expect((await call(`Bearer ${token}`)).status).toBe(401);
    expect((await call(`DPoP ${token}`, await proof())).status).toBe(401);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'ERR_DPOP_BINDING_MISMATCH' });
  });
});
