import { identityScopes } from './authorize.js';
import { privilegedScopes, userScopeCeiling } from './scope.js';
import type { Client, Family, ResourceGrants, User } from './types.js';

// APIs as resources (RFC 8707), roles, and what a login may be granted for each: pure rules.

export type ApiScope = { name: string; description: string };

/** A service that verifies tokens: its tokens carry `aud` = `identifier` and only its scopes. */
export type Api = {
  id: string;
  identifier: string;
  name: string | null;
  scopes: ApiScope[];
  /** Seconds its access tokens live; null: ACCESS_TOKEN_TTL. */
  tokenTtl: number | null;
  /** Clients that register themselves (RFC 7591) get it in their API list (see `registeredClientApis`). */
  dynamicRegistration: boolean;
  createdAt: number;
};

/** A named set of API scopes, each `apiId:scope`, given to users. */
export type Role = { name: string; grants: string[]; createdAt: number };

/**
 * Something a client may ask tokens for. A registered API, or the client's own audience (`api` null):
 * its `audience`, else the issuer, with the client's scopes, as before APIs existed. That implicit API is
 * computed from the client, never stored.
 */
export type Resource = { identifier: string; api: Api | null; scopes: string[]; ttl: number | null };

export const implicitResource = (client: Pick<Client, 'audience' | 'scopes'>, issuer: string): Resource => ({
  identifier: client.audience ?? issuer,
  api: null,
  scopes: client.scopes,
  ttl: null,
});

export const apiResource = (api: Api): Resource => ({ identifier: api.identifier, api, scopes: api.scopes.map((s) => s.name), ttl: api.tokenTtl });

/** The resources of a client: its registered APIs (`apis`, those that still exist), then its implicit one unless an API took its identifier. */
export function clientResources(client: Pick<Client, 'audience' | 'scopes'>, apis: readonly Api[], issuer: string): Resource[] {
  const registered = apis.map(apiResource);
  const implicit = implicitResource(client, issuer);
  return registered.some((r) => r.identifier === implicit.identifier) ? registered : [...registered, implicit];
}

/** The resource a request without `resource` gets: the client's default API, else its implicit one. */
export function defaultResource(client: Pick<Client, 'defaultApi'>, resources: readonly Resource[]): Resource {
  return resources.find((r) => r.api !== null && r.api.id === client.defaultApi) ?? resources.find((r) => r.api === null) ?? resources[0]!;
}

/**
 * The API list and default of a client registering itself (RFC 7591), from the APIs open to registration
 * at that moment (Keycloak's realm default client scopes, per API): all of them, the default when there
 * is exactly one, else none (a request without `resource` gets the client's own audience, the issuer).
 * A client that registers for client_credentials gets none: it would hold an API's scopes with no user
 * behind them, which only the operator decides (`clients update --api`).
 */
export function registeredClientApis(open: readonly Pick<Api, 'id'>[], grants: readonly string[]): { apis: string[]; defaultApi: string | null } {
  if (grants.includes('client_credentials')) return { apis: [], defaultApi: null };
  const apis = open.map((a) => a.id);
  return { apis, defaultApi: apis.length === 1 ? apis[0]! : null };
}

/** `apiId:scope`, the form roles and a user's own list name an API scope in. */
export const qualifiedScope = (apiId: string, scope: string) => `${apiId}:${scope}`;

/** Splits `apiId:scope` at its first colon (API ids have none); null when there is no colon. */
export function splitQualifiedScope(grant: string): { apiId: string; scope: string } | null {
  const at = grant.indexOf(':');
  return at <= 0 || at === grant.length - 1 ? null : { apiId: grant.slice(0, at), scope: grant.slice(at + 1) };
}

/**
 * The scopes of `resource` this user may be granted. An API's scope only through one of the user's roles or
 * its own list (`apiId:scope`); the implicit resource keeps the rule of section 10 (privileged scopes only when
 * listed on the user).
 */
export function userResourceCeiling(resource: Resource, user: Pick<User, 'scopes'>, roleGrants: readonly string[]): string[] {
  if (resource.api === null) return userScopeCeiling(resource.scopes, user.scopes);
  const { id } = resource.api;
  const own = user.scopes ?? [];
  return resource.scopes.filter((s) => roleGrants.includes(qualifiedScope(id, s)) || own.includes(qualifiedScope(id, s)));
}

/**
 * What a browser sign-in grants (OpenID Connect Core §3.1.2.1: unknown or not allowed scopes narrow the grant,
 * never fail it). Each target gets the requested scopes it has within the user's ceiling (all of them, but the
 * identity scopes, when none were asked for); the implicit resource, when not a target, still gets the identity
 * and other of its scopes asked for, so `openid` works beside `resource`.
 */
export function signInGrants(input: {
  requested: readonly string[];
  targets: readonly Resource[];
  implicit: Resource;
  ceiling: (resource: Resource) => string[];
}): ResourceGrants {
  const { requested, targets, implicit, ceiling } = input;
  const grants: ResourceGrants = {};
  const scopesFor = (r: Resource) => {
    const allowed = ceiling(r);
    if (requested.length === 0) return allowed.filter((s) => !identityScopes.includes(s));
    return requested.filter((s) => allowed.includes(s) || (r.api === null && identityScopes.includes(s)));
  };
  for (const target of targets) grants[target.identifier] = scopesFor(target);
  if (!targets.some((t) => t.identifier === implicit.identifier) && requested.length > 0) {
    const own = scopesFor(implicit);
    if (own.length > 0) grants[implicit.identifier] = own;
  }
  return grants;
}

/** What a family may issue tokens for: its grants, or, for a family from before APIs, its one audience and scope. */
export const familyGrants = (family: Pick<Family, 'grants' | 'audience' | 'scope'>): ResourceGrants =>
  family.grants ?? { [family.audience]: family.scope === '' ? [] : family.scope.split(' ') };

/** Every scope of a grant, for the consent page and the audit log; API scopes as `identifier#scope` (a resource has no fragment). */
export function consentItems(grants: ResourceGrants, implicitIdentifier: string): string[] {
  return Object.entries(grants).flatMap(([identifier, scopes]) => (identifier === implicitIdentifier ? scopes : scopes.map((s) => `${identifier}#${s}`)));
}

/** The privileged scopes stay with the implicit resource's rule; an API may not define one (it would read as the operator's). */
export const isReservedScopeName = (name: string) => privilegedScopes.includes(name) || identityScopes.includes(name);
