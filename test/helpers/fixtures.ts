import { createClient, type NewClient } from '../../src/services/clients.js';
import type { Deps } from '../../src/services/deps.js';
import { createUser } from '../../src/services/users.js';

const operator = { name: 'cli' };

export const alicePassword = 'correct horse battery staple';

/** The usual cast: a public first-party app, a confidential service, and alice. */
export async function seed(deps: Deps, overrides: { app?: Partial<NewClient>; user?: { scopes?: string[] | null } } = {}) {
  const app = await createClient(deps, operator, { id: 'web-app', public: true, grants: ['password'], scopes: ['read', 'write'], ...overrides.app });
  const service = await createClient(deps, operator, { id: 'billing', grants: ['client_credentials'], scopes: ['read', 'introspect', 'admin'] });
  const alice = await createUser(deps, operator, { username: 'alice', password: alicePassword, scopes: overrides.user?.scopes ?? null });
  return { app: app.client, service: service.client, serviceSecret: service.secret!, alice };
}
