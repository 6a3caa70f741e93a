import { parseScope } from '../../domain/scope.js';
import { createClient, deleteClient, listClients } from '../../services/clients.js';
import { UsageError, table, type Command } from '../command.js';

const cliActor = { name: 'cli' };

export const clientsCreate: Command = {
  words: ['clients', 'create'],
  usage: 'tessera clients create ID [--public] [--grants g1,g2] [--scope "…"] [--audience URI] [--max-sessions N] [--refresh-cookie]',
  summary: 'register a client; a confidential one gets a secret, printed once',
  args: ['ID'],
  options: {
    public: { type: 'boolean', description: 'a public client (no secret; sends only client_id)' },
    grants: { type: 'string', description: 'comma-separated: password, client_credentials, refresh_token (password implies refresh_token)' },
    scope: { type: 'string', description: 'the scopes the client may request, space-separated' },
    audience: { type: 'string', description: 'the aud of its access tokens (default: the issuer)' },
    'max-sessions': { type: 'string', description: "per-user limit of live sessions; a new login beyond it ends the user's oldest" },
    'refresh-cookie': { type: 'boolean', description: 'send the refresh token only as an HttpOnly cookie' },
  },
  async run(ctx) {
    const id = ctx.args[0];
    if (!id) throw new UsageError('missing ID');
    const { grants, scope, audience } = ctx.options;
    const maxSessions = ctx.options['max-sessions'];
    if (maxSessions !== undefined && !/^\d+$/.test(String(maxSessions))) throw new UsageError('--max-sessions takes a whole number');
    const { client, secret } = await createClient(ctx.deps, cliActor, {
      id,
      public: ctx.options.public === true,
      grants: typeof grants === 'string' ? grants.split(',').map((g) => g.trim()).filter(Boolean) : undefined,
      scopes: typeof scope === 'string' ? parseScope(scope) : undefined,
      audience: typeof audience === 'string' ? audience : null,
      maxSessions: maxSessions === undefined ? null : Number(maxSessions),
      refreshCookie: ctx.options['refresh-cookie'] === true,
    });
    const lines = [`created ${client.public ? 'public' : 'confidential'} client ${client.id} (grants: ${client.grants.join(', ')})`];
    if (secret) lines.push(`client secret: ${secret}`, 'it is shown only now');
    return { json: { client, ...(secret ? { client_secret: secret } : {}) }, text: lines.join('\n') };
  },
};

export const clientsList: Command = {
  words: ['clients', 'list'],
  usage: 'tessera clients list',
  summary: 'list clients',
  args: [],
  options: {},
  async run(ctx) {
    const clients = await listClients(ctx.deps);
    const rows = clients.map((c) => ({
      ...c,
      type: c.public ? 'public' : 'confidential',
      grants: c.grants.join(','),
      scope: c.scope || '-',
      cookie: c.refresh_cookie ? 'yes' : 'no',
      created: c.created_at,
    }));
    return { json: { clients }, text: table(rows, ['id', 'type', 'grants', 'scope', 'audience', 'max_sessions', 'cookie', 'created']) };
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
    await deleteClient(ctx.deps, cliActor, id);
    return { json: { deleted: id }, text: `deleted client ${id}` };
  },
};
