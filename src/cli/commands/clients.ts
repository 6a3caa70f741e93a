import { readFileSync } from 'node:fs';
import { parseScope } from '../../domain/scope.js';
import { createClient, deleteClient, disableClient, enableClient, listClients, rotateClientSecret, showClient, updateClient } from '../../services/clients.js';
import { UsageError, table, type Command, type CommandContext } from '../command.js';
import { pageOptions, pageSpec, pageText } from './paging.js';

/** `--grants password,refresh_token`, as a list; undefined when not given. */
const grantList = (grants: string | boolean | string[] | undefined) =>
  typeof grants === 'string'
    ? grants
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean)
    : undefined;

/** `none` clears a setting that has a default (audience: the issuer; max sessions: no limit). */
const orNone = (value: string | boolean | string[] | undefined) => (value === 'none' ? null : typeof value === 'string' ? value : undefined);

/** A repeatable option (`--redirect-uri A --redirect-uri B`); undefined when not given. */
const listOption = (ctx: CommandContext, name: string) => {
  const values = ctx.options[name];
  return Array.isArray(values) ? values : undefined;
};

const securitySpec = {
  jwks: { type: 'string', description: 'a JSON file with the public keys (a JWKS): the client authenticates with private_key_jwt, no secret' },
  'jwks-uri': { type: 'string', description: 'where the client publishes its public keys (https; http only on loopback): private_key_jwt, no secret' },
  'require-par': { type: 'boolean', description: 'its authorization requests must be pushed to /par first (RFC 9126)' },
  profile: { type: 'string', description: 'fapi2: the FAPI 2.0 Security Profile (PAR, PKCE, private_key_jwt, DPoP, no password grant); none: no profile' },
} as const;

/** The --jwks file's text, --jwks-uri, --require-par/--no-require-par and --profile, as createClient and updateClient take them. */
function securityOptions(ctx: CommandContext) {
  const { jwks, profile } = ctx.options;
  const uri = ctx.options['jwks-uri'];
  if (ctx.options['require-par'] && ctx.options['no-require-par']) throw new UsageError('give --require-par or --no-require-par, not both');
  return {
    jwks: typeof jwks === 'string' ? readJwksFile(jwks) : undefined,
    jwksUri: typeof uri === 'string' ? uri : undefined,
    requirePar: ctx.options['require-par'] ? true : ctx.options['no-require-par'] ? false : undefined,
    profile: typeof profile === 'string' ? profile : undefined,
  };
}

function readJwksFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the JWKS file ${path}`);
  }
}

const apiOptions = {
  api: { type: 'string', multiple: true, description: 'an API (by id) it may ask tokens for with resource=; repeat for several (update: replaces the list)' },
  'default-api': { type: 'string', description: 'the API a request without resource gets (update: none for its own audience)' },
  'allow-token-exchange': { type: 'boolean', description: "may exchange a user's token for another API's (RFC 8693)" },
} as const;

/** `--api`, `--default-api`, `--allow-token-exchange` as createClient and updateClient take them. */
const apiSettings = (ctx: CommandContext) => ({
  apis: listOption(ctx, 'api'),
  defaultApi: orNone(ctx.options['default-api']),
  ...(ctx.options['allow-token-exchange'] ? { allowTokenExchange: true } : {}),
});

export const clientsCreate: Command = {
  words: ['clients', 'create'],
  usage:
    'tessera clients create ID [--public] [--grants g1,g2] [--scope "…"] [--audience URI] [--max-sessions N] [--refresh-cookie] [--redirect-uri URI]… [--post-logout-redirect-uri URI]… [--third-party] [--name TEXT] [--logo-uri URL] [--require-dpop] [--jwks FILE|--jwks-uri URL] [--require-par] [--profile fapi2] [--api ID]… [--default-api ID] [--allow-token-exchange] [--require-mfa]',
  summary: 'register a client; a confidential one gets a secret, printed once',
  args: ['ID'],
  options: {
    public: { type: 'boolean', description: 'a public client (no secret; sends only client_id)' },
    grants: {
      type: 'string',
      description: 'comma-separated: password, client_credentials, authorization_code, refresh_token (password and authorization_code imply refresh_token)',
    },
    scope: { type: 'string', description: 'the scopes the client may request, space-separated' },
    audience: { type: 'string', description: 'the aud of its access tokens (default: the issuer)' },
    'max-sessions': { type: 'string', description: "per-user limit of live sessions; a new login beyond it ends the user's oldest" },
    'refresh-cookie': { type: 'boolean', description: 'send the refresh token only as an HttpOnly cookie' },
    'redirect-uri': { type: 'string', multiple: true, description: 'where /authorize may send the browser back (authorization_code)' },
    'post-logout-redirect-uri': { type: 'string', multiple: true, description: 'where /logout may send the browser afterwards' },
    'third-party': { type: 'boolean', description: 'not your own app: users are asked for consent, and the password grant is refused' },
    'require-mfa': { type: 'boolean', description: 'every sign-in to it needs a second factor (users without one enroll first)' },
    name: { type: 'string', description: 'what the sign-in and consent pages call it (default: its id)' },
    'logo-uri': { type: 'string', description: 'an https URL of its logo, stored for the app (the hosted pages do not load it)' },
    'require-dpop': { type: 'boolean', description: 'every token request must carry a DPoP proof, so its tokens are all key-bound (RFC 9449)' },
    ...securitySpec,
    ...apiOptions,
  },
  async run(ctx) {
    const id = ctx.args[0];
    if (!id) throw new UsageError('missing ID');
    const { grants, scope, audience } = ctx.options;
    const maxSessions = ctx.options['max-sessions'];
    if (maxSessions !== undefined && !/^\d+$/.test(String(maxSessions))) throw new UsageError('--max-sessions takes a whole number');
    const { client, secret } = await createClient(ctx.deps, ctx.actor, {
      id,
      public: ctx.options.public === true,
      grants: grantList(grants),
      scopes: typeof scope === 'string' ? parseScope(scope) : undefined,
      audience: typeof audience === 'string' ? audience : null,
      maxSessions: maxSessions === undefined ? null : Number(maxSessions),
      refreshCookie: ctx.options['refresh-cookie'] === true,
      redirectUris: listOption(ctx, 'redirect-uri'),
      postLogoutRedirectUris: listOption(ctx, 'post-logout-redirect-uri'),
      thirdParty: ctx.options['third-party'] === true,
      requireMfa: ctx.options['require-mfa'] === true,
      name: typeof ctx.options.name === 'string' ? ctx.options.name : null,
      logoUri: typeof ctx.options['logo-uri'] === 'string' ? ctx.options['logo-uri'] : null,
      dpopBoundAccessTokens: ctx.options['require-dpop'] === true ? true : undefined,
      ...securityOptions(ctx),
      ...apiSettings(ctx),
    });
    const lines = [`created ${client.public ? 'public' : 'confidential'} client ${client.id} (grants: ${client.grants.join(', ')})`];
    if (secret) lines.push(`client secret: ${secret}`, 'it is shown only now');
    return { json: { client, ...(secret ? { client_secret: secret } : {}) }, text: lines.join('\n') };
  },
};

export const clientsList: Command = {
  words: ['clients', 'list'],
  usage: 'tessera clients list [--limit N] [--cursor C]',
  summary: 'list clients, by id',
  args: [],
  options: { ...pageSpec },
  async run(ctx) {
    const page = await listClients(ctx.deps, pageOptions(ctx));
    const rows = page.clients.map((c) => ({
      ...c,
      name: c.name ?? '-',
      type: c.public ? 'public' : 'confidential',
      grants: c.grants.join(','),
      scope: c.scope || '-',
      cookie: c.refresh_cookie ? 'yes' : 'no',
      party: c.third_party ? 'third' : 'first',
      redirect_uris: c.redirect_uris.join(' ') || '-',
      created: c.created_at,
      by: c.registered_by,
    }));
    const text = table(rows, ['id', 'type', 'grants', 'scope', 'audience', 'max_sessions', 'cookie', 'party', 'by', 'redirect_uris', 'created', 'name']);
    return { json: page, text: pageText(text, page.next_cursor) };
  },
};

export const clientsDelete: Command = {
  words: ['clients', 'delete'],
  usage: 'tessera clients delete ID',
  summary: 'delete a client and end every session it holds',
  args: ['ID'],
  options: {},
  async run(ctx) {
    const id = ctx.args[0];
    if (!id) throw new UsageError('missing ID');
    await deleteClient(ctx.deps, ctx.actor, id);
    return { json: { deleted: id }, text: `deleted client ${id}` };
  },
};

export const clientsShow: Command = {
  words: ['clients', 'show'],
  usage: 'tessera clients show ID',
  summary: 'show one client (never its secret)',
  args: ['ID'],
  options: {},
  async run(ctx) {
    const client = await showClient(ctx.deps, ctx.args[0]!);
    const fields: [string, string][] = [
      ['id', client.id],
      ['type', client.public ? 'public' : 'confidential'],
      ['grants', client.grants.join(', ')],
      ['scope', client.scope || '-'],
      ['audience', client.audience ?? '(the issuer)'],
      ['apis', client.apis.join(', ') || '-'],
      ['default api', client.default_api ?? '(its audience)'],
      ['max sessions', client.max_sessions === null ? 'no limit' : String(client.max_sessions)],
      ['refresh cookie', client.refresh_cookie ? 'yes' : 'no'],
      ['party', client.third_party ? 'third (users are asked for consent)' : 'first'],
      ['redirect URIs', client.redirect_uris.join(' ') || '-'],
      ['logout URIs', client.post_logout_redirect_uris.join(' ') || '-'],
      ['name', client.name ?? '(its id)'],
      ['logo URI', client.logo_uri ?? '-'],
      ['auth method', client.token_endpoint_auth_method],
      ['jwks', client.jwks_uri ?? (client.jwks ? `${client.jwks.keys.length} key(s) inline` : '-')],
      ['require PAR', client.require_pushed_authorization_requests ? 'yes' : 'no'],
      ['require DPoP', client.dpop_bound_access_tokens ? 'yes' : 'no'],
      ['profile', client.profile ?? '-'],
      ['created', client.created_at ?? '-'],
      ['disabled', client.disabled_at ?? 'no'],
      ...(client.previous_secret_expires_at ? [['old secret', `accepted until ${client.previous_secret_expires_at}`] as [string, string]] : []),
    ];
    return { json: { client }, text: fields.map(([k, v]) => `${k.padEnd(14)} ${v}`).join('\n') };
  },
};

export const clientsUpdate: Command = {
  words: ['clients', 'update'],
  usage:
    'tessera clients update ID [--grants g1,g2] [--scope "…"] [--audience URI|none] [--max-sessions N|none] [--refresh-cookie|--no-refresh-cookie] [--redirect-uri URI]… [--post-logout-redirect-uri URI]… [--third-party|--first-party] [--name TEXT|none] [--logo-uri URL|none] [--require-dpop|--no-require-dpop] [--jwks FILE|--jwks-uri URL] [--require-par|--no-require-par] [--profile fapi2|none] [--api ID]… [--default-api ID|none] [--allow-token-exchange|--no-token-exchange] [--require-mfa|--no-require-mfa]',
  summary: "change a client's settings; sessions already started keep the scope they were granted",
  args: ['ID'],
  options: {
    grants: { type: 'string', description: 'comma-separated: password, client_credentials, authorization_code, refresh_token' },
    scope: { type: 'string', description: 'the scopes the client may request, space-separated' },
    audience: { type: 'string', description: 'the aud of its access tokens; none: the issuer' },
    'max-sessions': { type: 'string', description: 'per-user limit of live sessions; none: no limit' },
    'refresh-cookie': { type: 'boolean', description: 'send the refresh token only as an HttpOnly cookie' },
    'no-refresh-cookie': { type: 'boolean', description: 'send the refresh token in the response body again' },
    'redirect-uri': { type: 'string', multiple: true, description: 'replaces the redirect URIs with those given' },
    'post-logout-redirect-uri': { type: 'string', multiple: true, description: 'replaces the post-logout redirect URIs with those given' },
    'third-party': { type: 'boolean', description: 'not your own app: users are asked for consent, the password grant is refused' },
    'first-party': { type: 'boolean', description: 'your own app: no consent page' },
    'require-mfa': { type: 'boolean', description: 'every sign-in to it needs a second factor' },
    'no-require-mfa': { type: 'boolean', description: 'a second factor only for users who have one' },
    name: { type: 'string', description: 'what the sign-in and consent pages call it; none: its id' },
    'logo-uri': { type: 'string', description: 'an https URL of its logo; none: no logo' },
    'require-dpop': { type: 'boolean', description: 'every token request must carry a DPoP proof (RFC 9449)' },
    'no-require-dpop': { type: 'boolean', description: 'token requests may go without a DPoP proof again' },
    ...securitySpec,
    'no-require-par': { type: 'boolean', description: 'authorization requests may come straight to /authorize again' },
    ...apiOptions,
    'no-token-exchange': { type: 'boolean', description: 'take the token-exchange grant away' },
  },
  async run(ctx) {
    const { grants, scope } = ctx.options;
    const audience = orNone(ctx.options.audience);
    const maxSessions = orNone(ctx.options['max-sessions']);
    if (typeof maxSessions === 'string' && !/^\d+$/.test(maxSessions)) throw new UsageError('--max-sessions takes a whole number or none');
    if (ctx.options['refresh-cookie'] && ctx.options['no-refresh-cookie']) throw new UsageError('give --refresh-cookie or --no-refresh-cookie, not both');
    if (ctx.options['third-party'] && ctx.options['first-party']) throw new UsageError('give --third-party or --first-party, not both');
    if (ctx.options['require-dpop'] && ctx.options['no-require-dpop']) throw new UsageError('give --require-dpop or --no-require-dpop, not both');
    const client = await updateClient(ctx.deps, ctx.actor, ctx.args[0]!, {
      grants: grantList(grants),
      scopes: typeof scope === 'string' ? parseScope(scope) : undefined,
      audience: typeof audience === 'boolean' ? undefined : audience,
      maxSessions: typeof maxSessions === 'string' ? Number(maxSessions) : maxSessions === null ? null : undefined,
      refreshCookie: ctx.options['refresh-cookie'] ? true : ctx.options['no-refresh-cookie'] ? false : undefined,
      redirectUris: listOption(ctx, 'redirect-uri'),
      postLogoutRedirectUris: listOption(ctx, 'post-logout-redirect-uri'),
      thirdParty: ctx.options['third-party'] ? true : ctx.options['first-party'] ? false : undefined,
      requireMfa: ctx.options['require-mfa'] ? true : ctx.options['no-require-mfa'] ? false : undefined,
      name: orNone(ctx.options.name),
      logoUri: orNone(ctx.options['logo-uri']),
      dpopBoundAccessTokens: ctx.options['require-dpop'] ? true : ctx.options['no-require-dpop'] ? false : undefined,
      ...securityOptions(ctx),
      ...apiSettings(ctx),
      ...(ctx.options['no-token-exchange'] ? { allowTokenExchange: false } : {}),
    });
    return { json: { client }, text: `updated client ${client.id}` };
  },
};

export const clientsRotateSecret: Command = {
  words: ['clients', 'rotate-secret'],
  usage: 'tessera clients rotate-secret ID [--overlap SECONDS]',
  summary: 'give a confidential client a new secret, printed once; the old one stops now or after --overlap',
  args: ['ID'],
  options: {
    overlap: { type: 'string', description: 'seconds the old secret keeps working, at most 604800 (7 days); default 0' },
  },
  async run(ctx) {
    const overlap = ctx.options.overlap;
    if (overlap !== undefined && !/^\d{1,9}$/.test(String(overlap))) throw new UsageError('--overlap takes a whole number of seconds');
    const { client, secret } = await rotateClientSecret(ctx.deps, ctx.actor, ctx.args[0]!, overlap === undefined ? 0 : Number(overlap));
    const until = client.previous_secret_expires_at;
    const lines = [
      `new secret for ${client.id}: ${secret}`,
      'it is shown only now',
      until ? `the old secret works until ${until}` : 'the old secret no longer works',
    ];
    return { json: { client, client_secret: secret }, text: lines.join('\n') };
  },
};

export const clientsDisable: Command = {
  words: ['clients', 'disable'],
  usage: 'tessera clients disable ID',
  summary: 'stop a client authenticating, end its sessions and refuse the access tokens it was issued',
  args: ['ID'],
  options: {},
  async run(ctx) {
    const id = ctx.args[0];
    if (!id) throw new UsageError('missing ID');
    const { disabled, revokedFamilies } = await disableClient(ctx.deps, ctx.actor, id);
    const text = disabled ? `disabled client ${id}; ended ${revokedFamilies} session(s)` : `client ${id} was already disabled`;
    return { json: { client_id: id, disabled, revoked_families: revokedFamilies }, text };
  },
};

export const clientsEnable: Command = {
  words: ['clients', 'enable'],
  usage: 'tessera clients enable ID',
  summary: 'let a disabled client authenticate again (tokens issued before it was disabled stay refused)',
  args: ['ID'],
  options: {},
  async run(ctx) {
    const id = ctx.args[0];
    if (!id) throw new UsageError('missing ID');
    const { enabled } = await enableClient(ctx.deps, ctx.actor, id);
    return { json: { client_id: id, enabled }, text: enabled ? `enabled client ${id}` : `client ${id} was not disabled` };
  },
};
