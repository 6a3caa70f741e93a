import { createClient, type NewClient } from '../../src/services/clients.js';
import type { Deps } from '../../src/services/deps.js';
import { createUser } from '../../src/services/users.js';
import { testServer } from './server.js';

const operator = { name: 'cli' };

export const alicePassword = 'correct horse battery staple';

type SeedOverrides = { app?: Partial<NewClient>; user?: { scopes?: string[] | null } };

/** The usual cast: a public first-party app, a confidential service, and alice. */
export async function seed(deps: Deps, overrides: SeedOverrides = {}) {
  const app = await createClient(deps, operator, { id: 'web-app', public: true, grants: ['password'], scopes: ['read', 'write'], ...overrides.app });
  const service = await createClient(deps, operator, { id: 'billing', grants: ['client_credentials'], scopes: ['read', 'introspect', 'admin'] });
  const alice = await createUser(deps, operator, { username: 'alice', password: alicePassword, scopes: overrides.user?.scopes ?? null });
  return { app: app.client, service: service.client, serviceSecret: service.secret!, alice };
}

/** The setup most HTTP tests share: testServer() (with `options`) and the usual cast, seeded with `seed` overrides. */
export async function seededServer(options: Parameters<typeof testServer>[0] & { seed?: SeedOverrides } = {}) {
  const { seed: overrides, ...serverOptions } = options;
  const server = await testServer(serverOptions);
  return { ...server, ...(await seed(server.deps, overrides)) };
}

type Fetcher = { fetch(path: string, init?: RequestInit): Promise<Response> };

/** The Tessera at `url` (a process the test started) for the helpers below, as testServer() is. */
export const httpAt = (url: string): Fetcher => ({ fetch: (path, init) => fetch(`${url}${path}`, init) });

export type TokenResponse = { access_token: string; refresh_token: string; scope: string; expires_in: number; token_type: string };

/**
 * The request of a password grant at /token: the usual login of alice to web-app with `fields` over it (a field
 * set to undefined is left out) and `headers` added.
 */
export function passwordForm(fields: Record<string, string | undefined> = {}, headers: Record<string, string> = {}): RequestInit {
  const body = new URLSearchParams();
  const all = { grant_type: 'password', client_id: 'web-app', username: 'alice', password: alicePassword, ...fields };
  for (const [name, value] of Object.entries(all)) if (value !== undefined) body.append(name, value);
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: body.toString() };
}

/** The password grant over HTTP (see passwordForm): the answer as it came. */
export const passwordGrant = (server: Fetcher, fields: Record<string, string | undefined> = {}, headers: Record<string, string> = {}) =>
  server.fetch('/token', passwordForm(fields, headers));

/** A password login that must succeed (alice to web-app unless `fields` say otherwise): a new family. */
export async function loginAlice(server: Fetcher, fields: Record<string, string | undefined> = {}, headers: Record<string, string> = {}) {
  const res = await passwordGrant(server, fields, headers);
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as TokenResponse;
}
