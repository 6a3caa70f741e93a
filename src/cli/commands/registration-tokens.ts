import { createRegistrationToken, listRegistrationTokens, revokeRegistrationToken } from '../../services/registration-tokens.js';
import { UsageError, firstArg, table, textOption, type Command, type CommandContext } from '../command.js';

// `tessera registration-token …`: initial access tokens for POST /register when REGISTRATION=token (README, "Dynamic client registration").

function wholeNumber(ctx: Pick<CommandContext, 'options'>, name: string): number | null {
  const raw = textOption(ctx, name);
  if (raw === undefined) return null;
  if (!/^\d{1,15}$/.test(raw)) throw new UsageError(`--${name} takes a whole number`);
  return Number(raw);
}

export const registrationTokenCreate: Command = {
  words: ['registration-token', 'create'],
  usage: 'tessera registration-token create [--expires-in SECONDS] [--uses N]',
  summary: 'make an initial access token for dynamic client registration; prints it once',
  args: [],
  options: {
    'expires-in': { type: 'string', description: 'seconds until it stops working (default: until revoked)' },
    uses: { type: 'string', description: 'how many clients it may register (default: any number)' },
  },
  async run(ctx) {
    const result = await createRegistrationToken(ctx.deps, ctx.actor, { expiresIn: wholeNumber(ctx, 'expires-in'), uses: wholeNumber(ctx, 'uses') });
    const { registration_token: t, token } = result;
    const bounds = [t.expires_at ? `until ${t.expires_at}` : 'until revoked', t.max_uses === null ? 'any number of uses' : `${t.max_uses} use(s)`];
    const text = [`created registration token ${t.id} (${bounds.join(', ')})`, `token (shown once; send it as Authorization: Bearer to /register): ${token}`];
    return { json: result, text: text.join('\n') };
  },
};

export const registrationTokenList: Command = {
  words: ['registration-token', 'list'],
  usage: 'tessera registration-token list',
  summary: 'list initial access tokens, oldest first, with their uses and status (never the tokens)',
  args: [],
  options: {},
  async run(ctx) {
    const result = await listRegistrationTokens(ctx.deps);
    const rows = result.registration_tokens.map((t) => ({ ...t, uses: t.max_uses === null ? `${t.uses}` : `${t.uses}/${t.max_uses}` }));
    return { json: result, text: table(rows, ['id', 'status', 'uses', 'created_at', 'expires_at', 'revoked_at']) };
  },
};

export const registrationTokenRevoke: Command = {
  words: ['registration-token', 'revoke'],
  usage: 'tessera registration-token revoke ID',
  summary: 'stop an initial access token now; the clients it registered stay',
  args: ['ID'],
  options: {},
  async run(ctx) {
    const result = await revokeRegistrationToken(ctx.deps, ctx.actor, firstArg(ctx, 'ID'));
    return { json: result, text: `revoked registration token ${result.id}` };
  },
};
