import { isReservedScopeName, type Api, type ApiScope } from '../domain/apis.js';
import { pageById } from '../domain/cursor.js';
import { isValidScopeToken } from '../domain/scope.js';
import { textProblem } from '../domain/text.js';
import { Conflict, InvalidInput, NotFound } from '../errors/domain.js';
import { excerpt } from '../lib/excerpt.js';
import type { ApiChanges, ApisStore, AuditStore, ClientsStore } from '../store/types.js';
import { audited } from './audit.js';
import type { Actor, Uses } from './deps.js';
import { pageInput, type PageInput } from './inputs.js';

// The operator's side of APIs (RFC 8707 resources): `tessera apis …` and /admin/apis.

type ApiDeps = Uses<'clock' | 'ids' | 'config', ApisStore & ClientsStore & AuditStore>;

export type NewApi = {
  id: string;
  identifier: string;
  name?: string | null;
  scopes?: ApiScope[];
  tokenTtl?: number | null;
  /** Clients registering themselves at /register get it (default false). */
  dynamicRegistration?: boolean;
};
export type ApiUpdate = Partial<Omit<NewApi, 'id'>>;

const iso = (ms: number) => new Date(ms).toISOString();

export const apiView = (a: Api) => ({
  id: a.id,
  identifier: a.identifier,
  name: a.name,
  scopes: a.scopes.map((s) => ({ name: s.name, description: s.description })),
  token_ttl: a.tokenTtl,
  dynamic_registration: a.dynamicRegistration,
  created_at: iso(a.createdAt),
});

export type ApiView = ReturnType<typeof apiView>;

/** An API id: lowercase, no colon (roles name its scopes as `id:scope`). */
export const apiIdPattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** RFC 8707 §2: an absolute URI without a fragment. */
export function resourceUriProblem(value: string): string | null {
  if (textProblem('identifier', value, 2000) !== null || /\s/.test(value)) return 'identifier must be an absolute URI of at most 2000 printable characters';
  try {
    const url = new URL(value);
    if (url.hash !== '' || value.includes('#')) return 'identifier must not have a fragment (RFC 8707)';
    return null;
  } catch {
    return 'identifier must be an absolute URI of at most 2000 printable characters';
  }
}

function checkSettings(deps: Uses<'config'>, input: Required<Omit<NewApi, 'id'>>): ApiChanges {
  const problem = resourceUriProblem(input.identifier);
  if (problem) throw new InvalidInput(problem);
  if (input.identifier === deps.config.issuer) throw new InvalidInput('identifier must not be the issuer: tokens for Tessera itself are not an API');
  if (input.name !== null && (input.name.trim() === '' || textProblem('name', input.name, 100) !== null))
    throw new InvalidInput('name must be 1-100 printable characters');
  const names = new Set<string>();
  for (const scope of input.scopes) {
    if (!isValidScopeToken(scope.name) || scope.name.length > 100) throw new InvalidInput(`invalid scope "${excerpt(scope.name)}"`);
    if (isReservedScopeName(scope.name)) throw new InvalidInput(`scope "${scope.name}" is Tessera's own; an API cannot define it`);
    if (names.has(scope.name)) throw new InvalidInput(`scope "${excerpt(scope.name)}" is listed twice`);
    names.add(scope.name);
    if (textProblem('description', scope.description, 300) !== null) throw new InvalidInput('a scope description must be at most 300 printable characters');
  }
  if (input.scopes.length > 200) throw new InvalidInput('an API has at most 200 scopes');
  const ttl = input.tokenTtl;
  if (ttl !== null && (!Number.isInteger(ttl) || ttl < 1 || ttl > 86_400))
    throw new InvalidInput('token TTL must be a whole number of seconds from 1 to 86400');
  return { identifier: input.identifier, name: input.name, scopes: input.scopes, tokenTtl: ttl, dynamicRegistration: input.dynamicRegistration };
}

/** A client lists at most this many APIs, and a client registering itself gets every API open to registration. */
export const maxClientApis = 50;

/** Opening `id` to registration must leave a registered client's list within `maxClientApis`. */
async function checkRegistrationRoom(deps: { store: ApisStore }, id: string) {
  const open = (await deps.store.listRegistrationApis()).filter((a) => a.id !== id);
  if (open.length >= maxClientApis)
    throw new InvalidInput(`at most ${maxClientApis} APIs may be open to dynamic registration (a client lists at most ${maxClientApis})`);
}

const identifierTaken = (identifier: string) => new Conflict(`an API with identifier "${excerpt(identifier)}" already exists`);

export async function createApi(deps: ApiDeps, actor: Actor, input: NewApi): Promise<ApiView> {
  if (!apiIdPattern.test(input.id)) throw new InvalidInput('API id must be 1-64 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit');
  const settings = checkSettings(deps, {
    identifier: input.identifier,
    name: input.name ?? null,
    scopes: input.scopes ?? [],
    tokenTtl: input.tokenTtl ?? null,
    dynamicRegistration: input.dynamicRegistration ?? false,
  });
  if (settings.dynamicRegistration) await checkRegistrationRoom(deps, input.id);
  const api: Api = { id: input.id, ...(settings as Omit<Api, 'id' | 'createdAt'>), createdAt: deps.clock.now().getTime() };
  if (await deps.store.findApiByIdentifier(api.identifier)) throw identifierTaken(api.identifier);
  const view = apiView(api);
  const audit = audited(deps, actor, [
    {
      type: 'api.created',
      details: { id: view.id, identifier: view.identifier, scopes: view.scopes.map((s) => s.name), dynamic_registration: view.dynamic_registration },
    },
  ]);
  try {
    await deps.store.insertApi(api, [{ type: 'api.created', data: { apiId: api.id, identifier: api.identifier } }], audit);
  } catch (error) {
    if (error instanceof Conflict) throw new Conflict(`API "${input.id}" or identifier "${excerpt(api.identifier)}" already exists`);
    throw error;
  }
  return view;
}

export async function listApis(deps: ApiDeps, page: PageInput) {
  const { items, nextCursor } = pageById(await deps.store.listApis(), pageInput(page));
  return { apis: items.map(apiView), next_cursor: nextCursor };
}

const noApi = (id: string) => new NotFound(`no API "${excerpt(id)}"`);

export async function findApiOrFail(deps: { store: ApisStore }, id: string): Promise<Api> {
  const api = await deps.store.findApi(id);
  if (!api) throw noApi(id);
  return api;
}

export const showApi = async (deps: ApiDeps, id: string) => apiView(await findApiOrFail(deps, id));

/** Changes an API; tokens issued before keep their audience and scopes until they expire. */
export async function updateApi(deps: ApiDeps, actor: Actor, id: string, update: ApiUpdate): Promise<ApiView> {
  const current = await findApiOrFail(deps, id);
  if (Object.values(update).every((v) => v === undefined)) throw new InvalidInput('nothing to change: give at least one setting');
  const settings = checkSettings(deps, {
    identifier: update.identifier ?? current.identifier,
    name: update.name === undefined ? current.name : update.name,
    scopes: update.scopes ?? current.scopes,
    tokenTtl: update.tokenTtl === undefined ? current.tokenTtl : update.tokenTtl,
    dynamicRegistration: update.dynamicRegistration ?? current.dynamicRegistration,
  });
  if (settings.dynamicRegistration && !current.dynamicRegistration) await checkRegistrationRoom(deps, id);
  const other = settings.identifier === current.identifier ? null : await deps.store.findApiByIdentifier(settings.identifier!);
  if (other) throw identifierTaken(settings.identifier!);
  const now = deps.clock.now().getTime();
  const next = apiView({ ...current, ...settings });
  const audit = audited(deps, actor, [
    {
      type: 'api.updated',
      details: {
        id,
        identifier: next.identifier,
        scopes: next.scopes.map((s) => s.name),
        token_ttl: next.token_ttl,
        dynamic_registration: next.dynamic_registration,
      },
    },
  ]);
  let updated: Api | null;
  try {
    updated = await deps.store.updateApi(id, settings, now, [{ type: 'api.updated', data: { apiId: id, identifier: settings.identifier! } }], audit);
  } catch (error) {
    if (error instanceof Conflict) throw identifierTaken(settings.identifier!);
    throw error;
  }
  if (!updated) throw noApi(id);
  const view = apiView(updated);
  return view;
}

/** Deletes an API and takes it off every client that listed it; tokens already issued for it live out their lifetime. */
export async function deleteApi(deps: ApiDeps, actor: Actor, id: string): Promise<void> {
  const now = deps.clock.now().getTime();
  const audit = audited(deps, actor, [{ type: 'api.deleted', details: { id } }]);
  if (!(await deps.store.deleteApi(id, now, [{ type: 'api.deleted', data: { apiId: id } }], audit))) throw noApi(id);
  for (const client of await deps.store.listClients()) {
    if (!client.apis.includes(id)) continue;
    await deps.store.updateClient(client.id, { apis: client.apis.filter((a) => a !== id), defaultApi: client.defaultApi === id ? null : client.defaultApi });
  }
}

/** A client's API list and default, as given: each an existing API, the default among them. */
export async function checkClientApis(deps: { store: ApisStore }, apis: readonly string[], defaultApi: string | null) {
  const unique = [...new Set(apis)];
  if (unique.length > maxClientApis) throw new InvalidInput(`a client may list at most ${maxClientApis} APIs`);
  for (const id of unique) if (!(await deps.store.findApi(id))) throw new InvalidInput(`no API "${excerpt(id)}"`);
  if (defaultApi !== null && !unique.includes(defaultApi)) throw new InvalidInput(`the default API "${excerpt(defaultApi)}" must be one of the client's APIs`);
  return { apis: unique, defaultApi };
}
