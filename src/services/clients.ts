import type { ApisStore, AuditStore, ClientSettings, ClientsStore } from '../store/types.js';
import { pageById } from '../domain/cursor.js';
import { formatScope, isValidScopeToken } from '../domain/scope.js';
import { grantTypes, isPublicClient, tokenExchangeGrant, type Client, type ClientRegistrar, type GrantType } from '../domain/types.js';
import { Conflict, InvalidInput, NotFound } from '../errors/domain.js';
import { redirectUriProblem } from '../domain/redirect-uri.js';
import { httpsUrlProblem } from '../domain/profile.js';
import { textProblem } from '../domain/text.js';
import { excerpt } from '../lib/excerpt.js';
import { sha256 } from '../lib/hash.js';
import { checkClientApis } from './apis.js';
import { audited, recordAudit } from './audit.js';
import type { Actor, Uses } from './deps.js';
import { checkSecurity, noSecurity, type SecurityInput } from './client-security.js';
import { pageInput, type PageInput } from './inputs.js';
import { clientSettingFields, clientView, type ClientView } from './views.js';

export type NewClient = SecurityInput & {
  id: string;
  public?: boolean;
  grants?: string[];
  scopes?: string[];
  audience?: string | null;
  maxSessions?: number | null;
  refreshCookie?: boolean;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  thirdParty?: boolean;
  /** What the hosted pages call the client; its id when null. */
  name?: string | null;
  /** An https URL of its logo, kept for the client's own use (the hosted pages load nothing from elsewhere). */
  logoUri?: string | null;
  /** `dynamic` for a client that registered itself (services/registration.ts); `operator` when not given. */
  registeredBy?: ClientRegistrar;
  /** The registered APIs it may ask tokens for, and the one a request without `resource` gets. */
  apis?: string[];
  defaultApi?: string | null;
  /** Adds (true) or takes away (false) the token-exchange grant (RFC 8693), as listing it in `grants` does. */
  allowTokenExchange?: boolean;
  /** Every sign-in to it needs a second factor (contract section 12). */
  requireMfa?: boolean;
};

/** The grants with the token-exchange grant added or taken away as `allow` says (undefined: as they are). */
const withTokenExchange = (grants: string[], allow: boolean | undefined) =>
  allow === undefined ? grants : allow ? [...grants, tokenExchangeGrant] : grants.filter((g) => g !== tokenExchangeGrant);

const clientIdPattern = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

/** The settings a client is created or updated with, checked together: one rule can depend on another. */
function checkSettings(
  input: Omit<ClientSettings, 'grants' | 'redirectUris' | 'postLogoutRedirectUris'> & {
    grants: string[];
    redirectUris: string[];
    postLogoutRedirectUris: string[];
  },
  isPublic: boolean,
): ClientSettings {
  const grants = normalizeGrants(input.grants);
  if (grants.length === 0) throw new InvalidInput('a public client needs its grants listed, e.g. password');
  if (isPublic && grants.includes('client_credentials')) throw new InvalidInput('a public client cannot use client_credentials');
  if (isPublic && grants.includes(tokenExchangeGrant)) throw new InvalidInput('a public client cannot exchange tokens');
  const scopes = [...new Set(input.scopes)];
  const badScope = scopes.find((s) => !isValidScopeToken(s));
  if (badScope !== undefined) throw new InvalidInput(`invalid scope "${excerpt(badScope)}"`);
  const { audience, maxSessions, refreshCookie, thirdParty, name, logoUri, requireMfa } = input;
  if (audience !== null && (textProblem('audience', audience, 2000) !== null || /\s/.test(audience) || !isAbsoluteUri(audience))) {
    throw new InvalidInput('audience must be an absolute URI of at most 2000 printable characters');
  }
  if (maxSessions !== null && (!Number.isInteger(maxSessions) || maxSessions < 1 || maxSessions > 10_000)) {
    throw new InvalidInput('max sessions must be a whole number from 1 to 10000');
  }
  if (refreshCookie && !grants.includes('refresh_token')) throw new InvalidInput('refresh cookie mode needs the password or authorization_code grant');
  // RFC 9700 §2.4: a third party must never see the user's password.
  if (thirdParty && grants.includes('password')) throw new InvalidInput('a third-party client cannot use the password grant');
  const redirectUris = checkUris(input.redirectUris, 'redirect URI');
  const postLogoutRedirectUris = checkUris(input.postLogoutRedirectUris, 'post-logout redirect URI');
  if (grants.includes('authorization_code') && redirectUris.length === 0)
    throw new InvalidInput('the authorization_code grant needs at least one redirect URI');
  if (!grants.includes('authorization_code') && redirectUris.length + postLogoutRedirectUris.length > 0) {
    throw new InvalidInput('redirect URIs are for clients with the authorization_code grant');
  }
  const problem = (name === null ? null : clientNameProblem(name)) ?? (logoUri === null ? null : httpsUrlProblem('logo URI', logoUri));
  if (problem) throw new InvalidInput(problem);
  const { apis, defaultApi } = input;
  return {
    grants,
    scopes,
    audience,
    maxSessions,
    refreshCookie,
    redirectUris,
    postLogoutRedirectUris,
    thirdParty,
    name,
    logoUri,
    apis,
    defaultApi,
    requireMfa,
  };
}

const securityAudit = (c: Client) => ({ token_endpoint_auth_method: clientView(c).token_endpoint_auth_method, require_par: c.requirePar, profile: c.profile });

function clientNameProblem(name: string): string | null {
  if (name.trim() === '') return 'name must not be empty';
  return textProblem('name', name, 100);
}

/** Registers a client; a confidential one gets a generated secret, returned here and never again. */
export async function createClient(
  deps: Uses<'clock' | 'ids', ApisStore & ClientsStore>,
  actor: Actor,
  input: NewClient,
): Promise<{ client: ClientView; secret: string | null }> {
  if (!clientIdPattern.test(input.id)) {
    throw new InvalidInput('client id must be 1-128 characters of A-Z a-z 0-9 . _ ~ - and start with a letter or digit');
  }
  // User ids are `usr_…`; keeping that prefix out of client ids means a `sub` never names both.
  if (input.id.startsWith('usr_')) throw new InvalidInput('client id must not start with "usr_"');
  const isPublic = input.public ?? false;
  const settings = checkSettings(
    {
      grants: withTokenExchange(input.grants ?? (isPublic ? [] : ['client_credentials']), input.allowTokenExchange),
      scopes: input.scopes ?? [],
      audience: input.audience ?? null,
      maxSessions: input.maxSessions ?? null,
      refreshCookie: input.refreshCookie ?? false,
      redirectUris: input.redirectUris ?? [],
      postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
      thirdParty: input.thirdParty ?? false,
      name: input.name ?? null,
      logoUri: input.logoUri ?? null,
      ...(await checkClientApis(deps, input.apis ?? [], input.defaultApi ?? null)),
      requireMfa: input.requireMfa ?? false,
    },
    isPublic,
  );

  const security = checkSecurity(noSecurity, input, { isPublic, grants: settings.grants });
  // A client with keys authenticates with them (private_key_jwt) and gets no secret.
  const secret = isPublic || security.jwks !== null || security.jwksUri !== null ? null : deps.ids.secret();
  const client: Client = {
    id: input.id,
    secretHash: secret === null ? null : sha256(secret),
    ...settings,
    ...security,
    createdAt: deps.clock.now().getTime(),
    disabledAt: null,
    tokensRevokedAt: null,
    previousSecretHash: null,
    previousSecretExpiresAt: null,
    registeredBy: input.registeredBy ?? 'operator',
  };
  const audit = audited(deps, actor, [
    {
      type: 'client.created',
      clientId: client.id,
      details: {
        public: isPublic,
        grants: settings.grants,
        scope: formatScope(settings.scopes),
        redirect_uris: settings.redirectUris,
        third_party: settings.thirdParty,
        apis: settings.apis,
        default_api: settings.defaultApi,
        name: settings.name,
        logo_uri: settings.logoUri,
        dpop_bound_access_tokens: client.dpopBoundAccessTokens,
        require_mfa: settings.requireMfa,
        ...securityAudit(client),
        registered_by: client.registeredBy,
      },
    },
  ]);
  try {
    await deps.store.insertClient(client, [{ type: 'client.created', data: { clientId: client.id } }], audit);
  } catch (error) {
    if (error instanceof Conflict) throw new Conflict(`client "${excerpt(input.id)}" already exists`);
    throw error;
  }
  return { client: clientView(client), secret };
}

export async function listClients(deps: Uses<never, ClientsStore>, page: PageInput) {
  const { items, nextCursor } = pageById(await deps.store.listClients(), pageInput(page));
  return { clients: items.map(clientView), next_cursor: nextCursor };
}

const noClient = (id: string) => new NotFound(`no client "${excerpt(id)}"`);

async function findClient(deps: Uses<never, ClientsStore>, id: string): Promise<Client> {
  const client = await deps.store.findClient(id);
  if (!client) throw noClient(id);
  return client;
}

export async function showClient(deps: Uses<never, ClientsStore>, id: string): Promise<ClientView> {
  return clientView(await findClient(deps, id));
}

/** What an update may change; redirect URIs and the third-party mark stay as created. */
export type ClientUpdate = Partial<Omit<NewClient, 'id' | 'public'>>;

/**
 * Changes a client's settings; whether it is public stays as created. Sessions already started keep
 * the scope they were granted until they end (revoke them to cut it at once).
 */
export async function updateClient(
  deps: Uses<'clock' | 'ids', ApisStore & AuditStore & ClientsStore>,
  actor: Actor,
  id: string,
  update: ClientUpdate,
): Promise<ClientView> {
  const current = await findClient(deps, id);
  const given = Object.entries(update).filter(([, v]) => v !== undefined);
  if (given.length === 0) throw new InvalidInput('nothing to change: give at least one setting');
  const settings = checkSettings(
    {
      grants: withTokenExchange(update.grants ?? current.grants, update.allowTokenExchange),
      scopes: update.scopes ?? current.scopes,
      audience: update.audience === undefined ? current.audience : update.audience,
      maxSessions: update.maxSessions === undefined ? current.maxSessions : update.maxSessions,
      refreshCookie: update.refreshCookie ?? current.refreshCookie,
      redirectUris: update.redirectUris ?? current.redirectUris,
      postLogoutRedirectUris: update.postLogoutRedirectUris ?? current.postLogoutRedirectUris,
      thirdParty: update.thirdParty ?? current.thirdParty,
      name: update.name === undefined ? current.name : update.name,
      logoUri: update.logoUri === undefined ? current.logoUri : update.logoUri,
      ...(await checkClientApis(deps, update.apis ?? current.apis, update.defaultApi === undefined ? current.defaultApi : update.defaultApi)),
      requireMfa: update.requireMfa ?? current.requireMfa,
    },
    isPublicClient(current),
  );
  const security = checkSecurity(current, update, { isPublic: isPublicClient(current), grants: settings.grants });
  // Keys replace a secret: from now on the client authenticates with private_key_jwt only.
  const keysReplaceSecret = (security.jwks !== null || security.jwksUri !== null) && current.secretHash !== null;
  const secretChanges = keysReplaceSecret ? { secretHash: null, previousSecretHash: null, previousSecretExpiresAt: null } : {};
  const updated = await deps.store.updateClient(id, { ...settings, ...security, ...secretChanges });
  if (!updated) throw noClient(id);
  const view = clientView(updated);
  const before = clientView(current);
  const changed = Object.fromEntries(clientSettingFields.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(view[k])).map((k) => [k, view[k]]));
  await recordAudit(deps, actor, { type: 'client.updated', clientId: id, details: changed });
  return view;
}

/** The longest a rotated-out secret may keep working: long enough for a staged rollout, short enough to matter. */
export const maxSecretOverlapSeconds = 7 * 24 * 3600;

/**
 * Gives a confidential client a new secret, returned here and never again. With `overlapSeconds`
 * the old secret keeps working that long, so the client's deployments can change over; without,
 * it stops at once (a leaked secret). A secret rotated out earlier stops now either way.
 */
export async function rotateClientSecret(
  deps: Uses<'clock' | 'ids', AuditStore & ClientsStore>,
  actor: Actor,
  id: string,
  overlapSeconds = 0,
): Promise<{ client: ClientView; secret: string }> {
  if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0 || overlapSeconds > maxSecretOverlapSeconds) {
    throw new InvalidInput(`overlap must be a whole number of seconds from 0 to ${maxSecretOverlapSeconds}`);
  }
  const current = await findClient(deps, id);
  if (isPublicClient(current)) throw new InvalidInput('a public client has no secret to rotate');
  const secret = deps.ids.secret();
  const overlapping = overlapSeconds > 0;
  const updated = await deps.store.updateClient(id, {
    secretHash: sha256(secret),
    previousSecretHash: overlapping ? current.secretHash : null,
    previousSecretExpiresAt: overlapping ? deps.clock.now().getTime() + overlapSeconds * 1000 : null,
  });
  if (!updated) throw noClient(id);
  await recordAudit(deps, actor, { type: 'client.secret_rotated', clientId: id, details: { overlap_seconds: overlapSeconds } });
  return { client: clientView(updated), secret };
}

/**
 * Deletes a client: its sessions end, and it goes on the revocation feed so that verifiers refuse the
 * access tokens it was issued, including client_credentials tokens, which belong to no session.
 */
export async function deleteClient(deps: Uses<'clock' | 'ids', ClientsStore>, actor: Actor, id: string): Promise<{ revokedFamilies: number }> {
  const audit = audited(deps, actor, [{ type: 'client.deleted', clientId: id, ended: 'count' }]);
  const revoked = await deps.store.deleteClient(id, deps.clock.now().getTime(), [{ type: 'client.deleted', data: { clientId: id } }], audit);
  if (revoked === null) throw noClient(id);
  return { revokedFamilies: revoked.length };
}

/** Disables a client as deleteClient ends it, keeping its record; `enableClient` lets it authenticate again. */
export async function disableClient(
  deps: Uses<'clock' | 'ids', ClientsStore>,
  actor: Actor,
  id: string,
): Promise<{ disabled: boolean; revokedFamilies: number }> {
  await findClient(deps, id);
  const audit = audited(deps, actor, [{ type: 'client.disabled', clientId: id, ended: 'count' }]);
  const revoked = await deps.store.disableClient(id, deps.clock.now().getTime(), [], audit);
  if (revoked === null) return { disabled: false, revokedFamilies: 0 };
  return { disabled: true, revokedFamilies: revoked.length };
}

/** Lets a disabled client authenticate again. Tokens issued before it was disabled stay refused. */
export async function enableClient(deps: Uses<'clock' | 'ids', AuditStore & ClientsStore>, actor: Actor, id: string): Promise<{ enabled: boolean }> {
  await findClient(deps, id);
  const enabled = await deps.store.enableClient(id);
  if (enabled) await recordAudit(deps, actor, { type: 'client.enabled', clientId: id });
  return { enabled };
}

function normalizeGrants(raw: string[]): GrantType[] {
  const unknown = raw.find((g) => !(grantTypes as readonly string[]).includes(g));
  if (unknown !== undefined) throw new InvalidInput(`unknown grant "${excerpt(unknown)}"; use ${grantTypes.join(', ')}`);
  const grants = new Set(raw as GrantType[]);
  // A login starts a refresh-token family; without this grant its refresh token could never be used.
  if (grants.has('password') || grants.has('authorization_code')) grants.add('refresh_token');
  if (grants.has('refresh_token') && !grants.has('password') && !grants.has('authorization_code')) {
    throw new InvalidInput('the refresh_token grant comes with the password or authorization_code grant');
  }
  return grantTypes.filter((g) => grants.has(g));
}

/** Up to 20 distinct URIs, each one that may be redirected to. */
function checkUris(uris: string[], what: string): string[] {
  const unique = [...new Set(uris)];
  if (unique.length > 20) throw new InvalidInput(`at most 20 ${what}s`);
  for (const uri of unique) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new InvalidInput(`${what}: ${problem}`);
  }
  return unique;
}

function isAbsoluteUri(value: string): boolean {
  try {
    return new URL(value).protocol.length > 1;
  } catch {
    return false;
  }
}
