import { addProvider, listProviders, removeProvider, unlinkIdentity } from '../../services/upstream/providers.js';
import { findUser } from '../../services/users.js';
import { UsageError, firstArg, table, type Command, type CommandContext } from '../command.js';
import { pageOptions, pageSpec, pageText } from './paging.js';

// `tessera providers …`: the upstream OpenID providers of "Continue with NAME" (README, "Sign in with
// Google / Kakao / another provider"), and `tessera users unlink`.

const text = (ctx: CommandContext, name: string): string | undefined => {
  const value = ctx.options[name];
  return typeof value === 'string' ? value : undefined;
};

export const providersAdd: Command = {
  words: ['providers', 'add'],
  usage:
    'tessera providers add ID --issuer URL --client-id X --client-secret-stdin [--name TEXT] [--scope "openid email profile"] [--no-signup] [--link-by-email] [--allow-token-exchange]',
  summary: 'add an upstream OpenID provider (discovered now); prints the redirect URI to register there',
  args: ['ID'],
  options: {
    issuer: { type: 'string', description: "the provider's issuer, e.g. https://accounts.google.com (required)" },
    'client-id': { type: 'string', description: 'the client id Tessera got from the provider (required)' },
    'client-secret-stdin': { type: 'boolean', description: 'read the client secret from standard input (required; never an argument)' },
    name: { type: 'string', description: 'what "Continue with NAME" says (default: the id, capitalised)' },
    scope: { type: 'string', description: 'the scopes asked of the provider (default: openid email profile)' },
    'no-signup': { type: 'boolean', description: 'a first sign-in with an identity linked to nobody is refused instead of creating a user' },
    'link-by-email': { type: 'boolean', description: 'link a new identity to the user with the same e-mail address, when the provider says it is verified' },
    'allow-token-exchange': { type: 'boolean', description: "services may exchange this provider's id_tokens for Tessera access tokens (RFC 8693)" },
  },
  async run(ctx) {
    const id = firstArg(ctx, 'ID');
    const issuer = text(ctx, 'issuer');
    const clientId = text(ctx, 'client-id');
    if (!issuer) throw new UsageError('--issuer is required');
    if (!clientId) throw new UsageError('--client-id is required');
    if (!ctx.options['client-secret-stdin']) throw new UsageError('--client-secret-stdin is required: secrets are never taken as arguments');
    const provider = await addProvider(ctx.deps, ctx.actor, {
      id,
      issuer,
      clientId,
      // One trailing newline is what `echo` and heredocs add.
      clientSecret: (await ctx.readStdin()).replace(/\r?\n$/, ''),
      name: text(ctx, 'name') ?? null,
      scope: text(ctx, 'scope') ?? null,
      signup: ctx.options['no-signup'] !== true,
      linkByEmail: ctx.options['link-by-email'] === true,
      allowTokenExchange: ctx.options['allow-token-exchange'] === true,
    });
    const lines = [
      `added provider ${provider.id} (${provider.name}, ${provider.issuer})`,
      `register this redirect URI at the provider: ${provider.redirect_uri}`,
    ];
    return { json: { provider }, text: lines.join('\n') };
  },
};

export const providersList: Command = {
  words: ['providers', 'list'],
  usage: 'tessera providers list [--limit N] [--cursor C]',
  summary: 'list upstream providers with their redirect URIs, by id',
  args: [],
  options: { ...pageSpec },
  async run(ctx) {
    const page = await listProviders(ctx.deps, pageOptions(ctx));
    const rows = page.providers.map((p) => ({ ...p, signup: p.signup ? 'yes' : 'no', link_by_email: p.link_by_email ? 'yes' : 'no' }));
    const text = table(rows, ['id', 'name', 'issuer', 'client_id', 'signup', 'link_by_email', 'redirect_uri']);
    return { json: page, text: pageText(text, page.next_cursor) };
  },
};

export const providersRemove: Command = {
  words: ['providers', 'remove'],
  usage: 'tessera providers remove ID',
  summary: 'remove an upstream provider and unlink its identities (the users stay)',
  args: ['ID'],
  options: {},
  async run(ctx) {
    const result = await removeProvider(ctx.deps, ctx.actor, firstArg(ctx, 'ID'));
    return {
      json: result,
      text: `removed provider ${result.provider}; ${result.unlinked_identities} identit${result.unlinked_identities === 1 ? 'y' : 'ies'} unlinked`,
    };
  },
};

export const usersUnlink: Command = {
  words: ['users', 'unlink'],
  usage: 'tessera users unlink NAME --provider ID',
  summary: "unlink a user's identity at an upstream provider",
  args: ['NAME'],
  options: { provider: { type: 'string', description: 'the provider id (required)' } },
  async run(ctx) {
    const providerId = text(ctx, 'provider');
    if (!providerId) throw new UsageError('--provider is required');
    const user = await findUser(ctx.deps, { username: firstArg(ctx, 'NAME') });
    const result = await unlinkIdentity(ctx.deps, ctx.actor, user.id, providerId);
    return { json: result, text: `unlinked ${user.username} from provider ${providerId}` };
  },
};
