import { createHash, randomBytes } from 'node:crypto';
import { createClient, type NewClient } from '../../src/services/clients.js';
import type { Deps } from '../../src/services/deps.js';
import { createUser } from '../../src/services/users.js';
import { alicePassword } from './fixtures.js';
import { testServer } from './server.js';

// Drives the hosted pages the way a browser without JavaScript does: follows nothing by itself,
// keeps cookies, and submits forms with their hidden fields.

const operator = { name: 'cli' };

export const spaRedirect = 'https://spa.example/callback';
export const partnerRedirect = 'https://partner.example/cb';

/** A first-party public SPA, a third-party confidential partner, and alice with an e-mail address. */
export async function seedBrowserApps(deps: Deps, overrides: { spa?: Partial<NewClient> } = {}) {
  await createClient(deps, operator, {
    id: 'spa',
    public: true,
    grants: ['authorization_code'],
    scopes: ['read', 'write'],
    redirectUris: [spaRedirect, 'http://127.0.0.1/native'],
    postLogoutRedirectUris: ['https://spa.example/bye'],
    ...overrides.spa,
  });
  const partner = await createClient(deps, operator, {
    id: 'partner',
    grants: ['authorization_code'],
    scopes: ['read'],
    redirectUris: [partnerRedirect],
    thirdParty: true,
  });
  const alice = await createUser(deps, operator, { username: 'alice', password: alicePassword, email: 'alice@example.com', emailVerified: true });
  return { partnerSecret: partner.secret!, alice };
}

/** The setup the hosted-page tests share: testServer() (with `options`), the browser apps and alice, and a browser without JavaScript. */
export async function browserAppsServer(options: Parameters<typeof testServer>[0] = {}) {
  const server = await testServer(options);
  const seeded = await seedBrowserApps(server.deps);
  return { ...server, ...seeded, browser: browser(server.fetch) };
}

export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeQuery(fields: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) params.append(name, value);
  return `/authorize?${params}`;
}

/** The parameters of a good request by `spa`, overridable one by one (undefined leaves one out). */
export function spaRequest(challenge: string, over: Record<string, string | undefined> = {}) {
  return authorizeQuery({
    response_type: 'code',
    client_id: 'spa',
    redirect_uri: spaRedirect,
    scope: 'openid email read',
    state: 'state-123',
    nonce: 'nonce-456',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...over,
  });
}

/** The hidden inputs of the first form on a page. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)) fields[match[1]!] = unescapeHtml(match[2]!);
  return fields;
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** A browser's cookie jar over a test server's fetch. */
export function browser(fetchPath: (path: string, init?: RequestInit) => Promise<Response>) {
  const jar = new Map<string, string>();
  const send = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetchPath(path, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  const post = (path: string, fields: Record<string, string>) =>
    send(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  return {
    jar,
    send,
    get: (path: string) => send(path),
    post,
    /** Fills the login form on `page` and submits it. */
    async login(page: Response, username = 'alice', password = alicePassword) {
      return post('/login', { ...hiddenFields(await page.text()), username, password });
    },
    async consent(page: Response, decision: 'allow' | 'deny') {
      return post('/consent', { ...hiddenFields(await page.text()), decision });
    },
  };
}

/** The query of a redirect back to the client. */
export function redirectParams(res: Response): Record<string, string> {
  const location = res.headers.get('location');
  if (res.status !== 303 || !location) throw new Error(`expected a 303 redirect, got ${res.status}`);
  return Object.fromEntries(new URL(location).searchParams);
}
