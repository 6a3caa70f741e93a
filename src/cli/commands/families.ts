import { listUserFamilies, revokeFamilyById, revokeUserFamilies } from '../../services/sessions/families.js';
import { findUser } from '../../services/users.js';
import { UsageError, fit, table, textOption, type Command, type CommandContext } from '../command.js';
import { pageOptions, pageSpec, pageText } from './paging.js';

function userOption(ctx: CommandContext): string | undefined {
  return textOption(ctx, 'user') || undefined;
}

type FamilyView = Awaited<ReturnType<typeof listUserFamilies>>['families'][number];

// Family ids are 40 characters and must stay whole (they are what `families revoke` takes), so a
// family takes two lines to fit 120 columns: its facts, then why it ended and where it logged in from.
const width = 120;
const clientWidth = 12;
const minute = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')}Z` : null);

function familiesText(families: FamilyView[]): string {
  const rows = families.map((f) => ({
    id: f.id,
    client: fit(f.client_id, clientWidth),
    status: f.status,
    created: minute(f.created_at),
    last_used: minute(f.last_used_at),
    expires: minute(f.expires_at),
  }));
  const [header, ...lines] = table(rows, ['id', 'client', 'status', 'created', 'last_used', 'expires']).split('\n');
  if (families.length === 0) return header!;
  const detail = (f: FamilyView) =>
    [f.revoke_reason && `reason: ${f.revoke_reason}`, f.provider && `via: ${f.provider}`, f.ip && `ip: ${f.ip}`, f.user_agent && `user agent: ${f.user_agent}`]
      .filter(Boolean)
      .join('  ');
  const withDetails = lines.flatMap((line, i) => {
    const more = detail(families[i]!);
    return more ? [line, `  ${fit(more, width - 2)}`] : [line];
  });
  return [header, ...withDetails].join('\n');
}

export const familiesList: Command = {
  words: ['families', 'list'],
  usage: 'tessera families list --user NAME [--limit N] [--cursor C]',
  summary: "list a user's sessions (refresh-token families), newest first",
  args: [],
  options: { user: { type: 'string', description: 'the username (required)' }, ...pageSpec },
  async run(ctx) {
    const name = userOption(ctx);
    if (!name) throw new UsageError('--user NAME is required');
    const user = await findUser(ctx.deps, { username: name });
    const page = await listUserFamilies(ctx.deps, user.id, pageOptions(ctx));
    const text = familiesText(page.families);
    return { json: page, text: pageText(text, page.next_cursor) };
  },
};

export const familiesRevoke: Command = {
  words: ['families', 'revoke'],
  usage: 'tessera families revoke FAMILY_ID [--reason TEXT] | tessera families revoke --user NAME [--reason TEXT]',
  summary: 'end one session, or with --user every session of a user (log out everywhere)',
  args: ['[FAMILY_ID]'],
  options: {
    user: { type: 'string', description: 'revoke every live session of this user instead of one family' },
    reason: { type: 'string', description: 'recorded as the revocation reason (default "admin")' },
  },
  async run(ctx) {
    const name = userOption(ctx);
    const familyId = ctx.args[0];
    if (name !== undefined && familyId !== undefined) throw new UsageError('give FAMILY_ID or --user NAME, not both');
    const reason = textOption(ctx, 'reason');
    if (name !== undefined) {
      const user = await findUser(ctx.deps, { username: name });
      const { revoked } = await revokeUserFamilies(ctx.deps, ctx.actor, user.id, reason);
      return { json: { user_id: user.id, revoked }, text: `revoked ${revoked.length} session(s) of ${user.username}` };
    }
    if (familyId === undefined) throw new UsageError('missing FAMILY_ID (or --user NAME)');
    const { revoked } = await revokeFamilyById(ctx.deps, ctx.actor, familyId, reason);
    return { json: { family_id: familyId, revoked }, text: revoked ? `revoked ${familyId}` : `${familyId} was already revoked` };
  },
};
