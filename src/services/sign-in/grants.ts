import { consentItems, implicitResource, signInGrants, type Resource } from '../../domain/apis.js';
import type { AuthorizationRequest } from '../../domain/authorize.js';
import type { Client, ResourceGrants, User } from '../../domain/types.js';
import type { ApisStore } from '../../store/types.js';
import type { Uses } from '../deps.js';
import { pickResource, resourcesOf, userCeiling } from '../resources.js';

/** One API on the consent page: its name (null: the client's own access) and the scopes asked of it, with their descriptions. */
export type ConsentGroup = { name: string | null; identifier: string; scopes: { name: string; description: string | null }[] };

/**
 * What a browser sign-in would grant this user: per resource (RFC 8707), the first token's resource
 * (`audience`), and the same as consent items (the implicit resource's scopes bare, an API's as
 * `identifier#scope`) and as the consent page shows them.
 */
export type SignInGrant = { grants: ResourceGrants; audience: string; items: string[]; groups: ConsentGroup[] };

export async function signInGrant(deps: Uses<'config', ApisStore>, request: AuthorizationRequest, client: Client, user: User): Promise<SignInGrant> {
  const resources = await resourcesOf(deps, client);
  const asked = request.resources ?? [];
  // A resource taken off the client since the request was checked is left out, as an unknown scope is.
  const targets = asked.length > 0 ? resources.filter((r) => asked.includes(r.identifier)) : [pickResource(resources, client, undefined)];
  const implicit = implicitResource(client, deps.config.issuer);
  const grants = signInGrants({ requested: request.scopes, targets, implicit, ceiling: await userCeiling(deps, user) });
  const audience = targets[0]?.identifier ?? implicit.identifier;
  if (grants[audience] === undefined) grants[audience] = [];
  const groups = Object.entries(grants).map(([identifier, scopes]) => consentGroup(resources.find((r) => r.identifier === identifier) ?? implicit, scopes));
  return { grants, audience, items: consentItems(grants, implicit.identifier), groups };
}

function consentGroup(resource: Resource, scopes: string[]): ConsentGroup {
  const described = (name: string) => resource.api?.scopes.find((s) => s.name === name)?.description || null;
  return {
    name: resource.api ? (resource.api.name ?? resource.api.id) : null,
    identifier: resource.identifier,
    scopes: scopes.map((name) => ({ name, description: described(name) })),
  };
}
