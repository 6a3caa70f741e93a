import { formatScope, isValidScopeToken } from '../domain/scope.js';
import { grantTypes, isPublicClient, type Client, type GrantType } from '../domain/types.js';
import { InvalidClient, InvalidRequest } from '../errors/oauth.js';
import { Conflict } from '../errors/store.js';
import { excerpt } from '../lib/excerpt.js';
import { constantTimeEqual, sha256 } from '../lib/hash.js';
import { recordAudit } from './audit.js';
import type { Actor, Deps } from './deps.js';
import { clientView, type ClientView } from './views.js';

export type NewClient = {
  id: string;
  public?: boolean;
  grants?: string[];
  scopes?: string[];
  audience?: string | null;
  maxSessions?: number | null;
  refreshCookie?: boolean;
};

const clientIdPattern = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

/** Registers a client; a confidential one gets a generated secret, returned here and never again. */
export async function createClient(deps: Deps, actor: Actor, input: NewClient): Promise<{ client: ClientView; secret: string | null }> {
  if (!clientIdPattern.test(input.id)) {
    throw new InvalidRequest('client id must be 1-128 characters of A-Z a-z 0-9 . _ ~ - and start with a letter or digit');
  }
  // User ids are `usr_…`; keeping that prefix out of client ids means a `sub` never names both.
  if (input.id.startsWith('usr_')) throw new InvalidRequest('client id must not start with "usr_"');
  const isPublic = input.public ?? false;
  const grants = normalizeGrants(input.grants ?? (isPublic ? [] : ['client_credentials']));
  if (grants.length === 0) throw new InvalidRequest('a public client needs its grants listed, e.g. password');
  if (isPublic && grants.includes('client_credentials')) throw new InvalidRequest('a public client cannot use client_credentials');
  const scopes = [...new Set(input.scopes ?? [])];
  const badScope = scopes.find((s) => !isValidScopeToken(s));
  if (badScope !== undefined) throw new InvalidRequest(`invalid scope "${excerpt(badScope)}"`);
  const audience = input.audience ?? null;
  if (audience !== null && (audience.length > 2000 || /[\u0000-\u0020\u007f]/.test(audience) || !isAbsoluteUri(audience))) {
    throw new InvalidRequest('audience must be an absolute URI of at most 2000 printable characters');
  }
  const maxSessions = input.maxSessions ?? null;
  if (maxSessions !== null && (!Number.isInteger(maxSessions) || maxSessions < 1 || maxSessions > 10_000)) {
    throw new InvalidRequest('max sessions must be a whole number from 1 to 10000');
  }
  if (input.refreshCookie && !grants.includes('refresh_token')) throw new InvalidRequest('refresh cookie mode needs the password grant');

  const secret = isPublic ? null : deps.ids.secret();
  const client: Client = {
    id: input.id,
    secretHash: secret === null ? null : sha256(secret),
    grants,
    scopes,
    audience,
    maxSessions,
    refreshCookie: input.refreshCookie ?? false,
    createdAt: deps.clock.now().getTime(),
    disabledAt: null,
    tokensRevokedAt: null,
  };
  try {
    await deps.store.insertClient(client);
  } catch (error) {
    if (error instanceof Conflict) throw new InvalidRequest(`client "${excerpt(input.id)}" already exists`, 409);
    throw error;
  }
  await recordAudit(deps, actor, {
    type: 'client.created',
    clientId: client.id,
    details: { public: isPublic, grants, scope: formatScope(scopes) },
  });
  return { client: clientView(client), secret };
}

export async function listClients(deps: Deps): Promise<ClientView[]> {
  return (await deps.store.listClients()).map(clientView);
}

/**
 * Deletes a client: its sessions end, and it goes on the revocation feed so that verifiers refuse the
 * access tokens it was issued, including client_credentials tokens, which belong to no session.
 */
export async function deleteClient(deps: Deps, actor: Actor, id: string): Promise<void> {
  const revoked = await deps.store.deleteClient(id, deps.clock.now().getTime());
  if (revoked === null) throw new InvalidRequest(`no client "${excerpt(id)}"`, 404);
  await recordAudit(deps, actor, { type: 'client.deleted', clientId: id, details: { revoked_families: revoked.length } });
}

/** Disables a client as deleteClient ends it, keeping its record; `enableClient` lets it authenticate again. */
export async function disableClient(deps: Deps, actor: Actor, id: string): Promise<{ disabled: boolean; revokedFamilies: number }> {
  const client = await deps.store.findClient(id);
  if (!client) throw new InvalidRequest(`no client "${excerpt(id)}"`, 404);
  const revoked = await deps.store.disableClient(id, deps.clock.now().getTime());
  if (revoked === null) return { disabled: false, revokedFamilies: 0 };
  await recordAudit(deps, actor, { type: 'client.disabled', clientId: id, details: { revoked_families: revoked.length } });
  return { disabled: true, revokedFamilies: revoked.length };
}

/** Lets a disabled client authenticate again. Tokens issued before it was disabled stay refused. */
export async function enableClient(deps: Deps, actor: Actor, id: string): Promise<{ enabled: boolean }> {
  const client = await deps.store.findClient(id);
  if (!client) throw new InvalidRequest(`no client "${excerpt(id)}"`, 404);
  const enabled = await deps.store.enableClient(id);
  if (enabled) await recordAudit(deps, actor, { type: 'client.enabled', clientId: id });
  return { enabled };
}

export type ClientCredentials =
  | { method: 'client_secret_basic' | 'client_secret_post'; clientId: string; secret: string }
  | { method: 'none'; clientId: string };

/** RFC 6749 §2.3: the client the request authenticates as, or invalid_client. */
export async function authenticateClient(deps: Deps, credentials: ClientCredentials): Promise<Client> {
  const basic = credentials.method === 'client_secret_basic';
  const client = await deps.store.findClient(credentials.clientId);
  // A disabled client is refused like an unknown one: nothing tells a caller which clients exist.
  if (!client || client.disabledAt !== null) throw new InvalidClient('unknown client or wrong credentials', basic);
  if (credentials.method === 'none') {
    if (!isPublicClient(client)) throw new InvalidClient('this client must authenticate with its secret');
    return client;
  }
  if (isPublicClient(client)) throw new InvalidClient('a public client has no secret: send only client_id', basic);
  if (!constantTimeEqual(sha256(credentials.secret), client.secretHash!)) {
    throw new InvalidClient('unknown client or wrong credentials', basic);
  }
  return client;
}

function normalizeGrants(raw: string[]): GrantType[] {
  const unknown = raw.find((g) => !(grantTypes as readonly string[]).includes(g));
  if (unknown !== undefined) throw new InvalidRequest(`unknown grant "${excerpt(unknown)}"; use ${grantTypes.join(', ')}`);
  const grants = new Set(raw as GrantType[]);
  // A password login starts a refresh-token family; without this grant its refresh token could never be used.
  if (grants.has('password')) grants.add('refresh_token');
  if (grants.has('refresh_token') && !grants.has('password')) throw new InvalidRequest('the refresh_token grant comes with the password grant');
  return grantTypes.filter((g) => grants.has(g));
}

function isAbsoluteUri(value: string): boolean {
  try {
    return new URL(value).protocol.length > 1;
  } catch {
    return false;
  }
}
