import { describe, expect, it } from 'vitest';
import { createClient, updateClient } from '../../src/services/clients.js';
import { authorizeQuery, browserAppsServer, partnerRedirect, pkce, redirectParams, spaRedirect } from '../helpers/authorize.js';
import { assertion, assertionFields, clientKey, jwksOf } from '../helpers/client-keys.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { basic, form } from '../helpers/server.js';

// Pushed authorization requests (RFC 9126): the client posts the request, the browser carries only a request_uri.

const operator = { name: 'cli' };

async function setup() {
  const s = await browserAppsServer();
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
