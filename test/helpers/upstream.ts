import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import Provider from 'oidc-provider';
import { addProvider, type NewProvider } from '../../src/services/upstream/providers.js';
import type { Deps } from '../../src/services/deps.js';
import { onCleanup } from './deps.js';

// Upstream OpenID providers on loopback for sign-in with a provider: node-oidc-provider (a real one,
// with its development login that takes any name) and a tiny fake one that answers whatever id_token
// a test wants, signed with the key the test picks. Plus a browser that follows redirects across them.

export const upstreamClient = { id: 'tessera-at-idp', secret: 'upstream-client-secret-for-tests' };

/** The accounts of the real upstream: `alice` has a verified address, `mallory` claims alice's without verification. */
export const upstreamAccounts: Record<string, Record<string, unknown>> = {
  alice: { email: 'alice@example.com', email_verified: true, preferred_username: 'Alice' },
  mallory: { email: 'alice@example.com', email_verified: false, preferred_username: 'mallory' },
  bob: { email: 'bob@example.net', email_verified: true, preferred_username: 'bob' },
};

// Two committed RSA test keys (test/fixtures/signing-keys.json) beyond those Tessera's own rings use.
const fixtureRsa = (
  JSON.parse(readFileSync(new URL('../fixtures/signing-keys.json', import.meta.url), 'utf8')) as { RS256: { publicJwk: JWK; privateJwk: JWK }[] }
).RS256;
export const upstreamKey = { ...fixtureRsa[2]!, kid: 'upstream-1' };
export const otherKey = { ...fixtureRsa[3]!, kid: 'unlisted-1' };

async function listenOnLoopback(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  onCleanup(close);
  return { close, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** node-oidc-provider on a loopback port, with one client for Tessera whose redirect URI is `redirectUri`. PKCE is required. */
export async function realUpstream(redirectUri: string) {
  let callback: (req: IncomingMessage, res: ServerResponse) => void = () => {};
  const { url } = await listenOnLoopback((req, res) => callback(req, res));
  const provider = new Provider(url, {
    clients: [
      {
        client_id: upstreamClient.id,
        client_secret: upstreamClient.secret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['preferred_username'] },
    // The scope's claims in the id_token itself, as Google and Kakao put them there.
    conformIdTokenClaims: false,
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, ...(upstreamAccounts[id] ?? {}) }) }),
    cookies: { keys: ['upstream-cookie-key-for-tests'] },
    // Fixed lifetimes rather than its defaults, which print a notice at each use.
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    jwks: { keys: [{ ...upstreamKey.privateJwk, kid: upstreamKey.kid, alg: 'RS256', use: 'sig' }] },
  });
  callback = provider.callback();
  return { issuer: url, provider };
}

export type FakeIdToken = (context: { nonce: string; issuer: string }) => { claims: JWTPayload; key?: typeof upstreamKey; header?: Record<string, unknown> };

/**
 * A provider that signs the user in at once: its authorization endpoint sends the browser straight
 * back with a code, and its token endpoint answers an id_token made by `idToken` (default: a good one
 * for `sub` "fake-1"). `tokenDelayMs` holds the token response back (a slow provider).
 */
export async function fakeUpstream(options: { idToken?: FakeIdToken; tokenDelayMs?: number } = {}) {
  let nonce = '';
  const calls: string[] = [];
  const { url, close } = await listenOnLoopback(async (req, res) => {
    const path = new URL(req.url ?? '/', url);
    calls.push(path.pathname);
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path.pathname === '/.well-known/openid-configuration') {
      return json({
        issuer: url,
        authorization_endpoint: `${url}/auth`,
        token_endpoint: `${url}/token`,
        jwks_uri: `${url}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_post'],
      });
    }
    if (path.pathname === '/jwks') return json({ keys: [{ ...upstreamKey.publicJwk, kid: upstreamKey.kid, alg: 'RS256', use: 'sig' }] });
    if (path.pathname === '/auth') {
      nonce = path.searchParams.get('nonce') ?? '';
      const back = new URL(path.searchParams.get('redirect_uri')!);
      back.search = new URLSearchParams({ code: 'fake-code', state: path.searchParams.get('state') ?? '' }).toString();
      res.writeHead(303, { location: back.href });
      return res.end();
    }
    if (path.pathname === '/token') {
      if (options.tokenDelayMs) await new Promise((resolve) => setTimeout(resolve, options.tokenDelayMs));
      const now = Math.floor(Date.now() / 1000);
      const made = options.idToken ? options.idToken({ nonce, issuer: url }) : { claims: {} };
      const key = 'key' in made && made.key ? made.key : upstreamKey;
      const claims = { iss: url, aud: upstreamClient.id, sub: 'fake-1', iat: now, exp: now + 300, nonce, ...made.claims };
      const header = { alg: 'RS256', kid: key.kid, ...('header' in made ? made.header : {}) };
      const idToken =
        header.alg === 'none'
          ? `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`
          : await new SignJWT(claims).setProtectedHeader(header).sign(await importJWK(key.privateJwk, 'RS256'));
      return json({ access_token: 'fake-access-token', token_type: 'Bearer', expires_in: 300, id_token: idToken });
    }
    res.writeHead(404).end();
  });
  /** `close()`: the provider goes down. */
  return { issuer: url, calls, close };
}

/** Registers an upstream with Tessera as `tessera providers add` would. */
export const addTestProvider = (deps: Deps, issuer: string, over: Partial<NewProvider> = {}) =>
  addProvider(deps, { name: 'cli' }, { id: 'idp', issuer, clientId: upstreamClient.id, clientSecret: upstreamClient.secret, name: 'Example ID', ...over });

/** The hidden inputs and the action of the first form of a page. */
export function formOf(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)) fields[m[1]!] = m[2]!.replace(/&amp;/g, '&');
  return { action: action.replace(/&amp;/g, '&'), fields };
}

/**
 * A browser without JavaScript across origins: one cookie jar per origin (attributes ignored), and
 * redirects followed until `stopAt` (the client's redirect URI) or a page.
 */
export function crossOriginBrowser(stopAt: string[]) {
  const jars = new Map<string, Map<string, string>>();
  const send = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const { origin } = new URL(url);
    const jar = jars.get(origin) ?? new Map<string, string>();
    jars.set(origin, jar);
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(pair!.slice(0, eq));
      else jar.set(pair!.slice(0, eq), value);
    }
    return res;
  };
  /** Follows redirects from `res` (relative to `url`) until a page or a stop URL. */
  const follow = async (url: string, res: Response): Promise<{ url: string; res: Response }> => {
    let current = { url, res };
    while ([302, 303].includes(current.res.status)) {
      const next = new URL(current.res.headers.get('location')!, current.url).href;
      await current.res.body?.cancel();
      if (stopAt.some((stop) => next.startsWith(stop))) return { url: next, res: current.res };
      current = { url: next, res: await send(next) };
    }
    return current;
  };
  return {
    jars,
    send,
    get: async (url: string) => follow(url, await send(url)),
    post: async (url: string, fields: Record<string, string>) =>
      follow(
        url,
        await send(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() }),
      ),
  };
}

/** The href of the login page's "Continue with NAME" link. */
export function continueWith(html: string, name: string): string {
  const match = new RegExp(`<a class="button secondary" href="([^"]+)">Continue with ${name}</a>`).exec(html);
  if (!match) throw new Error(`no "Continue with ${name}" on the page`);
  return match[1]!.replace(/&amp;/g, '&');
}
