import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createClient, updateClient } from '../../src/services/clients.js';
import { authorizeQuery, browserAppsServer, partnerRedirect, pkce, redirectParams, spaRedirect } from '../helpers/authorize.js';
import { assertion, assertionFields, clientKey, jwksOf } from '../helpers/client-keys.js';
import { dpopKey, type DpopKey } from '../helpers/dpop.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { basic, form } from '../helpers/server.js';

// Pushed authorization requests (RFC 9126): the client posts the request, the browser carries only a request_uri.

const operator = { name: 'cli' };

async function setup(env: Record<string, string> = {}) {
  const s = await browserAppsServer({ env });
  const push = (fields: Record<string, string | undefined>, headers: Record<string, string> = {}) => {
    const body = Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
    const init = form(body);
    return s.fetch('/par', { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } });
  };
  return { ...s, push };
}

const spaFields = (challenge: string, over: Record<string, string | undefined> = {}) => ({
  response_type: 'code',
  client_id: 'spa',
  redirect_uri: spaRedirect,
  scope: 'openid read',
  state: 'pushed-state',
  nonce: 'pushed-nonce',
  code_challenge: challenge,
  code_challenge_method: 'S256',
  ...over,
});

const errorPage = async (res: Response) => {
  expect(res.status).toBe(400);
  expect(res.headers.get('location')).toBeNull();
  return res.text();
};

describe('POST /par and /authorize with its request_uri', () => {
  it('stores the request for /authorize: the login page as usual, then the code with the pushed state; other query parameters are ignored', async () => {
    const s = await setup();
    const { challenge, verifier } = pkce();
    const pushed = await s.push(spaFields(challenge));
    expect(pushed.status).toBe(201);
    expect(pushed.headers.get('cache-control')).toBe('no-store');
    await expectMatchesSpec(pushed.clone(), { method: 'POST', path: '/par' });
    const { request_uri, expires_in } = await pushed.json();
    expect(request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/);
    expect(expires_in).toBe(60);

    const page = await s.browser.get(authorizeQuery({ client_id: 'spa', request_uri, state: 'not-this-one', redirect_uri: 'https://evil.example/' }));
    expect(page.status).toBe(200);
    const back = redirectParams(await s.browser.login(page));
    expect(back).toMatchObject({ state: 'pushed-state', iss: s.url, code: expect.any(String) });

    const tokens = await s.fetch(
      '/token',
      form({ grant_type: 'authorization_code', client_id: 'spa', code: back.code!, redirect_uri: spaRedirect, code_verifier: verifier }),
    );
    expect(tokens.status).toBe(200);
    expect(await tokens.json()).toMatchObject({ scope: 'openid read', id_token: expect.any(String) });
  });

  it('shows the consent page unchanged behind PAR for a third-party client that authenticated with its secret', async () => {
    const s = await setup();
    const { challenge } = pkce();
    const pushed = await s.push(
      { response_type: 'code', redirect_uri: partnerRedirect, scope: 'read', state: 'p1', code_challenge: challenge, code_challenge_method: 'S256' },
      { authorization: basic('partner', s.partnerSecret) },
    );
    expect(pushed.status).toBe(201);
    const { request_uri } = await pushed.json();
    const login = await s.browser.get(authorizeQuery({ client_id: 'partner', request_uri }));
    const consent = await s.browser.login(login);
    expect(consent.status).toBe(200);
    expect(await consent.clone().text()).toContain('partner');
    expect(redirectParams(await s.browser.consent(consent, 'allow'))).toMatchObject({ state: 'p1', code: expect.any(String) });
  });

  it('refuses a request_uri used twice, after 60 s, or by another client, with an error page', async () => {
    const s = await setup();
    const uriOf = async () => (await (await s.push(spaFields(pkce().challenge))).json()).request_uri as string;

    const once = await uriOf();
    expect((await s.browser.get(authorizeQuery({ client_id: 'spa', request_uri: once }))).status).toBe(200);
    expect(await errorPage(await s.browser.get(authorizeQuery({ client_id: 'spa', request_uri: once })))).toContain('was used already');

    const late = await uriOf();
    s.deps.clock.advance(60);
    expect(await errorPage(await s.browser.get(authorizeQuery({ client_id: 'spa', request_uri: late })))).toContain('has expired');

    const stolen = await uriOf();
    expect(await errorPage(await s.browser.get(authorizeQuery({ client_id: 'partner', request_uri: stolen })))).toContain('another application');
    // The attempt by another client did not use it up.
    expect((await s.browser.get(authorizeQuery({ client_id: 'spa', request_uri: stolen }))).status).toBe(200);
    expect(await errorPage(await s.browser.get(authorizeQuery({ request_uri: await uriOf() })))).toContain('client_id is missing');
  });

  it('refuses a --require-par client that comes straight to /authorize, by redirect with invalid_request', async () => {
    const s = await setup();
    await updateClient(s.deps, operator, 'spa', { requirePar: true });
    const { challenge } = pkce();
    const direct = await s.browser.get(authorizeQuery(spaFields(challenge)));
    expect(redirectParams(direct)).toEqual({
      error: 'invalid_request',
      error_description: 'this client must push its authorization request to /par first (RFC 9126)',
      state: 'pushed-state',
      iss: s.url,
    });
    const { request_uri } = await (await s.push(spaFields(challenge))).json();
    const page = await s.browser.get(authorizeQuery({ client_id: 'spa', request_uri }));
    expect(page.status).toBe(200);
    expect(redirectParams(await s.browser.login(page))).toMatchObject({ code: expect.any(String) });
  });

  it('answers what /authorize would refuse as JSON errors (RFC 9126 §2.3)', async () => {
    const s = await setup();
    const { challenge } = pkce();
    const cases: [Record<string, string | undefined>, number, string, string][] = [
      [{ redirect_uri: 'https://evil.example/cb' }, 400, 'invalid_request', 'the redirect_uri is not one registered for this application'],
      [{ code_challenge: undefined }, 400, 'invalid_request', 'code_challenge is required (PKCE with S256)'],
      [{ code_challenge_method: 'plain' }, 400, 'invalid_request', 'code_challenge_method must be S256; plain is not supported'],
      [{ response_type: 'token' }, 400, 'unsupported_response_type', 'only response_type=code is supported'],
      [{ scope: 'bad"scope' }, 400, 'invalid_scope', '"bad"scope" is not a valid scope token'],
      [{ request: 'eyJ.x.y' }, 400, 'request_not_supported', 'request objects are not supported'],
      [
        { request_uri: 'urn:ietf:params:oauth:request_uri:abc' },
        400,
        'invalid_request',
        'request_uri must not be pushed: it is what /par returns (RFC 9126 §2.1)',
      ],
      [{ client_id: 'partner' }, 401, 'invalid_client', 'this client must authenticate with its secret'],
    ];
    for (const [over, status, error, description] of cases) {
      const res = await s.push(spaFields(challenge, over));
      expect(res.status, JSON.stringify(over)).toBe(status);
      expect(await res.json()).toEqual({ error, error_description: description });
    }
    const mismatch = await s.push({ ...spaFields(challenge), client_id: 'spa' }, { authorization: basic('partner', s.partnerSecret) });
    expect(await mismatch.json()).toEqual({ error: 'invalid_request', error_description: 'client_id does not match the Authorization header' });
    const noCode = await createClient(s.deps, operator, { id: 'reports', grants: ['client_credentials'] });
    const unregistered = await s.push({ response_type: 'code', redirect_uri: spaRedirect }, { authorization: basic('reports', noCode.secret!) });
    expect(await unregistered.json()).toEqual({ error: 'invalid_request', error_description: 'the redirect_uri is not one registered for this application' });
  });

  it('takes a private_key_jwt client assertion, whose aud may be the issuer or the /par URL', async () => {
    const s = await setup();
    const key = await clientKey('k1');
    await createClient(s.deps, operator, { id: 'bank', grants: ['authorization_code'], redirectUris: [partnerRedirect], jwks: jwksOf(key), requirePar: true });
    const fields = { response_type: 'code', client_id: 'bank', redirect_uri: partnerRedirect, code_challenge: pkce().challenge, code_challenge_method: 'S256' };
    for (const aud of [s.url, `${s.url}/par`]) {
      const res = await s.push({ ...fields, ...assertionFields(await assertion(key, 'bank', aud, s.deps.clock.now())) });
      expect(res.status).toBe(201);
    }
    const withoutAssertion = await s.push(fields);
    expect(withoutAssertion.status).toBe(401);
  });
});

describe('POST /par with a DPoP proof (RFC 9449 §10.1)', () => {
  async function dpopSetup(env: Record<string, string> = {}) {
    const s = await setup(env);
    const key = await dpopKey();
    const now = () => Math.floor(s.deps.clock.now().getTime() / 1000);
    const proof = (path: string, by: DpopKey = key, nonce?: string) =>
      by.proof({ htm: 'POST', htu: `${s.url}${path}`, iat: now(), ...(nonce === undefined ? {} : { nonce }) });
    /** Signs alice in at /authorize with the request_uri and redeems the code with `dpop` (a proof for /token) or none. */
    const redeem = async (request_uri: string, verifier: string) => {
      const back = redirectParams(await s.browser.login(await s.browser.get(authorizeQuery({ client_id: 'spa', request_uri }))));
      return (dpop?: string) => {
        const init = form({ grant_type: 'authorization_code', client_id: 'spa', code: back.code!, redirect_uri: spaRedirect, code_verifier: verifier });
        return s.fetch('/token', { ...init, headers: { ...(init.headers as Record<string, string>), ...(dpop ? { dpop } : {}) } });
      };
    };
    return { s, key, proof, redeem };
  }

  it('binds the code to the proof’s key: its token request is refused without a proof or with another key’s, and bound with it', async () => {
    const { s, key, proof, redeem } = await dpopSetup();
    const { challenge, verifier } = pkce();
    const pushed = await s.push(spaFields(challenge), { dpop: await proof('/par') });
    expect(pushed.status).toBe(201);
    await expectMatchesSpec(pushed.clone(), { method: 'POST', path: '/par' });
    const exchange = await redeem((await pushed.json()).request_uri, verifier);
    const bare = await exchange();
    expect([bare.status, (await bare.json()).error]).toEqual([400, 'invalid_dpop_proof']);
    const other = await exchange(await proof('/token', await dpopKey()));
    expect([other.status, (await other.json()).error_description]).toEqual([400, 'the DPoP proof is by another key than the one dpop_jkt named']);
    const ok = await exchange(await proof('/token'));
    const body = await ok.json();
    expect([ok.status, body.token_type, decodeJwt(body.access_token).cnf]).toEqual([200, 'DPoP', { jkt: key.jkt }]);
  });

  it('takes a dpop_jkt that names the proof’s key, refuses one that names another, and refuses a bad proof; none stores a request', async () => {
    const { s, key, proof } = await dpopSetup();
    const { challenge } = pkce();
    expect((await s.push(spaFields(challenge, { dpop_jkt: key.jkt }), { dpop: await proof('/par') })).status).toBe(201);
    const mismatch = await s.push(spaFields(challenge, { dpop_jkt: (await dpopKey()).jkt }), { dpop: await proof('/par') });
    await expectMatchesSpec(mismatch.clone(), { method: 'POST', path: '/par' });
    expect([mismatch.status, await mismatch.json()]).toEqual([
      400,
      { error: 'invalid_request', error_description: 'dpop_jkt does not name the key of the DPoP proof sent with the request' },
    ]);
    const wrongUrl = await s.push(spaFields(challenge), { dpop: await proof('/token') });
    await expectMatchesSpec(wrongUrl.clone(), { method: 'POST', path: '/par' });
    expect([wrongUrl.status, (await wrongUrl.json()).error]).toEqual([400, 'invalid_dpop_proof']);
  });

  it('asks for the server’s nonce when DPOP_NONCE=on, and takes the proof that carries it', async () => {
    const { s, proof } = await dpopSetup({ DPOP_NONCE: 'on' });
    const { challenge } = pkce();
    const first = await s.push(spaFields(challenge), { dpop: await proof('/par') });
    await expectMatchesSpec(first.clone(), { method: 'POST', path: '/par' });
    expect([first.status, (await first.json()).error]).toEqual([400, 'use_dpop_nonce']);
    const nonce = first.headers.get('dpop-nonce')!;
    expect(nonce).toEqual(expect.any(String));
    expect((await s.push(spaFields(challenge), { dpop: await proof('/par', undefined, nonce) })).status).toBe(201);
  });
});
