import type { ApiScope } from '../../domain/apis.js';
import { parseScope } from '../../domain/scope.js';
import { createApi, deleteApi, listApis, showApi, updateApi, type ApiView } from '../../services/apis.js';
import { createRole, deleteRole, listRoles, showRole } from '../../services/roles.js';
import { UsageError, firstArg, table, textOption, type Command, type CommandContext } from '../command.js';
import { pageOptions, pageSpec, pageText } from './paging.js';

// `tessera apis …` and `tessera roles …`: the services tokens are for (RFC 8707), and who gets their scopes.

const apiOptions = {
  identifier: { type: 'string', description: 'the aud of its tokens and the resource= that asks for them: an absolute URI' },
  scope: { type: 'string', description: 'its scopes, space-separated, e.g. "orders:read orders:write"' },
  describe: { type: 'string', multiple: true, description: "a scope's description for the consent page, as SCOPE=TEXT (repeatable)" },
  'token-ttl': { type: 'string', description: 'seconds its access tokens live (default ACCESS_TOKEN_TTL); update: none for the default' },
  name: { type: 'string', description: 'what the consent page calls it (default: its id)' },
  'dynamic-registration': { type: 'boolean', description: 'clients registering themselves at /register (RFC 7591) get it in their API list' },
} as const;

const updateOptions = {
  ...apiOptions,
  'no-dynamic-registration': { type: 'boolean', description: 'clients registering from now on do not get it (those registered keep it)' },
} as const;

/** --dynamic-registration / --no-dynamic-registration; undefined when neither is given. */
function dynamicRegistrationOf(ctx: CommandContext): boolean | undefined {
  const open = ctx.options['dynamic-registration'] === true;
  const closed = ctx.options['no-dynamic-registration'] === true;
  if (open && closed) throw new UsageError('give --dynamic-registration or --no-dynamic-registration, not both');
  return open ? true : closed ? false : undefined;
}

/** `--scope` with `--describe SCOPE=TEXT`; undefined when neither changes the scopes. */
function scopesOf(ctx: CommandContext, current: ApiView | null): ApiScope[] | undefined {
  const raw = textOption(ctx, 'scope');
  const described = ctx.options.describe;
  if (raw === undefined && !Array.isArray(described)) return undefined;
  const names = raw === undefined ? (current?.scopes.map((s) => s.name) ?? []) : parseScope(raw);
  const descriptions = new Map(current?.scopes.map((s) => [s.name, s.description]) ?? []);
  for (const entry of Array.isArray(described) ? described : []) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new UsageError('--describe takes SCOPE=TEXT');
    const name = entry.slice(0, at);
    if (!names.includes(name)) throw new UsageError(`--describe names "${name}", which is not one of the API's scopes`);
    descriptions.set(name, entry.slice(at + 1));
  }
  return names.map((name) => ({ name, description: descriptions.get(name) ?? '' }));
}

function ttlOf(ctx: CommandContext): number | null | undefined {
  const raw = textOption(ctx, 'token-ttl');
  if (raw === undefined) return undefined;
  if (raw === 'none') return null;
  if (!/^\d{1,6}$/.test(raw)) throw new UsageError('--token-ttl takes a whole number of seconds');
  return Number(raw);
}

const describeApi = (api: ApiView) =>
  [
    `${api.id}: ${api.identifier}${api.name ? ` (${api.name})` : ''}, tokens live ${api.token_ttl === null ? 'ACCESS_TOKEN_TTL' : `${api.token_ttl} s`}` +
      (api.dynamic_registration ? ', open to dynamic registration' : ''),
    ...api.scopes.map((s) => `  ${s.name}${s.description ? ` — ${s.description}` : ''}`),
  ].join('\n');

export const apisCreate: Command = {
  words: ['apis', 'create'],
  usage: 'tessera apis create ID --identifier URI [--scope "a b"] [--describe SCOPE=TEXT]… [--token-ttl S] [--name TEXT] [--dynamic-registration]',
  summary: 'register an API: its tokens carry aud=URI and only its scopes',
  args: ['ID'],
  options: apiOptions,
  async run(ctx) {
    const identifier = textOption(ctx, 'identifier');
    if (!identifier) throw new UsageError('--identifier is required');
    const api = await createApi(ctx.deps, ctx.actor, {
      id: firstArg(ctx, 'ID'),
      identifier,
      name: textOption(ctx, 'name') ?? null,
      scopes: scopesOf(ctx, null) ?? [],
      tokenTtl: ttlOf(ctx) ?? null,
      dynamicRegistration: dynamicRegistrationOf(ctx) ?? false,
    });
    return { json: { api }, text: `created API ${describeApi(api)}` };
  },
};

export const apisList: Command = {
  words: ['apis', 'list'],
  usage: 'tessera apis list [--limit N] [--cursor C]',
  summary: 'list APIs, by id',
  args: [],
  options: pageSpec,
  async run(ctx) {
    const page = await listApis(ctx.deps, pageOptions(ctx));
    const rows = page.apis.map((a) => ({
      ...a,
      scope: a.scopes.map((s) => s.name).join(' ') || '-',
      token_ttl: a.token_ttl ?? 'default',
      registration: a.dynamic_registration ? 'open' : '-',
    }));
    return { json: page, text: pageText(table(rows, ['id', 'identifier', 'scope', 'token_ttl', 'registration', 'name']), page.next_cursor) };
  },
};

export const apisShow: Command = {
  words: ['apis', 'show'],
  usage: 'tessera apis show ID',
  summary: 'show one API with its scopes',
  args: ['ID'],
  options: {},
  async run(ctx) {
    const api = await showApi(ctx.deps, firstArg(ctx, 'ID'));
    return { json: { api }, text: describeApi(api) };
  },
};

export const apisUpdate: Command = {
  words: ['apis', 'update'],
  usage:
    'tessera apis update ID [--identifier URI] [--scope "a b"] [--describe SCOPE=TEXT]… [--token-ttl S|none] [--name TEXT|none] [--dynamic-registration|--no-dynamic-registration]',
  summary: 'change an API; tokens already issued keep their audience and scopes until they expire',
  args: ['ID'],
  options: updateOptions,
  async run(ctx) {
    const id = firstArg(ctx, 'ID');
    const current = await showApi(ctx.deps, id);
    const name = textOption(ctx, 'name');
    const api = await updateApi(ctx.deps, ctx.actor, id, {
      identifier: textOption(ctx, 'identifier'),
      name: name === 'none' ? null : name,
      scopes: scopesOf(ctx, current),
      tokenTtl: ttlOf(ctx),
      dynamicRegistration: dynamicRegistrationOf(ctx),
    });
    return { json: { api }, text: `updated API ${describeApi(api)}` };
  },
};

export const apisDelete: Command = {
  words: ['apis', 'delete'],
  usage: 'tessera apis delete ID',
  summary: 'delete an API and take it off the clients that list it',
  args: ['ID'],
  options: {},
  async run(ctx) {
    const id = firstArg(ctx, 'ID');
    await deleteApi(ctx.deps, ctx.actor, id);
    return { json: { id, deleted: true }, text: `deleted API ${id}` };
  },
};

export const rolesCreate: Command = {
  words: ['roles', 'create'],
  usage: 'tessera roles create NAME --grants "api:scope …"',
  summary: 'create a role: a named set of API scopes, given to users with users update --role',
  args: ['NAME'],
  options: { grants: { type: 'string', description: 'the scopes it grants, space-separated, each API:SCOPE, e.g. "orders:orders:read"' } },
  async run(ctx) {
    const role = await createRole(ctx.deps, ctx.actor, { name: firstArg(ctx, 'NAME'), grants: parseScope(textOption(ctx, 'grants')) });
    return { json: { role }, text: `created role ${role.name}: ${role.grants.join(' ') || '(no scopes)'}` };
  },
};

export const rolesList: Command = {
  words: ['roles', 'list'],
  usage: 'tessera roles list [--limit N] [--cursor C]',
  summary: 'list roles, by name',
  args: [],
  options: pageSpec,
  async run(ctx) {
    const page = await listRoles(ctx.deps, pageOptions(ctx));
    const rows = page.roles.map((r) => ({ ...r, grants: r.grants.join(' ') || '-' }));
    return { json: page, text: pageText(table(rows, ['name', 'grants', 'created_at']), page.next_cursor) };
  },
};

export const rolesShow: Command = {
  words: ['roles', 'show'],
  usage: 'tessera roles show NAME',
  summary: 'show one role',
  args: ['NAME'],
  options: {},
  async run(ctx) {
    const role = await showRole(ctx.deps, firstArg(ctx, 'NAME'));
    return { json: { role }, text: `${role.name}: ${role.grants.join(' ') || '(no scopes)'}` };
  },
};

export const rolesDelete: Command = {
  words: ['roles', 'delete'],
  usage: 'tessera roles delete NAME',
  summary: 'delete a role and take it from every user; sessions already started keep what they were granted',
  args: ['NAME'],
  options: {},
  async run(ctx) {
    const name = firstArg(ctx, 'NAME');
    await deleteRole(ctx.deps, ctx.actor, name);
    return { json: { name, deleted: true }, text: `deleted role ${name}` };
  },
};
