import { createClient, type NewClient } from '../../src/services/clients.js';
import type { Deps } from '../../src/services/deps.js';
import { createUser } from '../../src/services/users.js';
import { form } from './server.js';

const operator = { name: 'cli' };

export const alicePassword = 'correct horse battery staple';

/** The usual cast: a public first-party app, a confidential service, and alice. */
export async function seed(deps: Deps, overrides: { app?: Partial<NewClient>; user?: { scopes?: string[] | null } } = {}) {
  const app = await createClient(deps, operator, { id: 'web-app', public: true, grants: ['password'], scopes: ['read', 'write'], ...overrides.app });
  const service = await createClient(deps, operator, { id: 'billing', grants: ['client_credentials'], scopes: ['read', 'introspect', 'admin'] });
  const alice = await createUser(deps, operator, { username: 'alice', password: alicePassword, scopes: overrides.user?.scopes ?? null });
  return { app: app.client, service: service.client, serviceSecret: service.secret!, alice };
}

/** A password login of alice to web-app over HTTP: a new family. */
export async function loginAlice(server: { fetch(path: string, init?: RequestInit): Promise<Response> }, extra: Record<string, string> = {}) {
  const res = await server.fetch('/token', form({ grant_type: 'password', client_id: 'web-app', username: 'alice', password: alicePassword, ...extra }));
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { access_token: string; refresh_token: string; scope: string; expires_in: number };
}
