import { auditEventTypes } from '../../domain/audit-types.js';
import { listAudit } from '../../services/audit.js';
import { NotFound } from '../../errors/domain.js';
import type { Deps } from '../../services/deps.js';
import { findUser } from '../../services/users.js';
import { table, textOption, type Command } from '../command.js';
import { pageOptions, pageSpec, pageText } from './paging.js';

export const audit: Command = {
  words: ['audit'],
  usage: 'tessera audit [--user NAME|ID] [--type T] [--since ISO] [--limit N] [--cursor C]',
  summary: 'read the audit log, newest first',
  args: [],
  options: {
    user: { type: 'string', description: 'only events about this user: a username, or the id of a deleted user (usr_…)' },
    type: { type: 'string', description: `only events of this type: ${auditEventTypes.join(', ')}` },
    since: { type: 'string', description: 'only events at or after this time: 2024-05-01 or 2024-05-01T12:00:00Z' },
    ...pageSpec,
  },
  async run(ctx) {
    const user = textOption(ctx, 'user');
    const userId = user !== undefined ? await auditedUserId(ctx.deps, user) : undefined;
    const page = await listAudit(ctx.deps, { ...pageOptions(ctx), userId, type: textOption(ctx, 'type'), since: textOption(ctx, 'since') });
    const rows = page.events.map((e) => ({
      at: e.at,
      type: e.type,
      actor: e.actor,
      user: e.user_id,
      client: e.client_id,
      family: e.family_id,
      ip: e.ip,
      user_agent: e.user_agent,
      details: Object.keys(e.details).length ? JSON.stringify(e.details) : null,
    }));
    const text = table(rows, ['at', 'type', 'actor', 'user', 'client', 'family', 'ip', 'user_agent', 'details']);
    return { json: page, text: pageText(text, page.next_cursor) };
  },
};

const userIdPattern = /^usr_[A-Za-z0-9-]{1,64}$/;

/**
 * The user whose events to list. A deleted user has no name any more (it is free for someone else), but its
 * events keep its id (README, "Manage users"), so a user id (`usr_…`) that is no current username is taken as it is.
 */
async function auditedUserId(deps: Deps, user: string): Promise<string> {
  try {
    return (await findUser(deps, { username: user })).id;
  } catch (error) {
    if (error instanceof NotFound && userIdPattern.test(user)) return user;
    throw error;
  }
}
