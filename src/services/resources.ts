import { clientResources, defaultResource, userResourceCeiling, type Api, type Resource } from '../domain/apis.js';
import type { Client, User } from '../domain/types.js';
import { InvalidTarget } from '../errors/oauth.js';
import { excerpt } from '../lib/excerpt.js';
import type { ApisStore } from '../store/types.js';
import type { Uses } from './deps.js';

// Which resource (RFC 8707) a request is for, and what of it a user may be granted.

type ResourceDeps = Uses<'config', ApisStore>;

/** The resources a client may ask tokens for: its listed APIs that still exist, and its own audience. */
export async function resourcesOf(deps: ResourceDeps, client: Client): Promise<Resource[]> {
  const apis = (await Promise.all(client.apis.map((id) => deps.store.findApi(id)))).filter((a): a is Api => a !== null);
  return clientResources(client, apis, deps.config.issuer);
}

/** `requested` (a `resource` parameter) among `resources`, or the client's default when absent; invalid_target otherwise. */
export function pickResource(resources: readonly Resource[], client: Client, requested: string | undefined): Resource {
  if (requested === undefined) return defaultResource(client, resources);
  if (requested.includes(' ')) throw new InvalidTarget('one resource per token request');
  const found = resources.find((r) => r.identifier === requested);
  if (!found) throw new InvalidTarget(`resource "${excerpt(requested)}" is unknown or not allowed for this client`);
  return found;
}

/** The scopes of a resource a user may be granted (roles and the user's own list), reading the user's roles once. */
export async function userCeiling(deps: { store: ApisStore }, user: User): Promise<(resource: Resource) => string[]> {
  const roleGrants = await deps.store.userRoleGrants(user.id);
  return (resource) => userResourceCeiling(resource, user, roleGrants);
}

/** The resource a granted identifier names now: null when it is no longer the client's (an API deleted or taken off it). */
export const resourceNamed = (resources: readonly Resource[], identifier: string): Resource | null =>
  resources.find((r) => r.identifier === identifier) ?? null;

/** How long an access token for `resource` lives, in seconds. */
export const tokenTtl = (deps: Uses<'config'>, resource: Pick<Resource, 'ttl'> | null) => resource?.ttl ?? deps.config.accessTokenTtl;
