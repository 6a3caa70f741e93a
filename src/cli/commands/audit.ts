import { auditEventTypes } from '../../domain/audit-types.js';
import { listAudit } from '../../services/audit.js';
import { findUser } from '../../services/users.js';
import { table, textOption, type Command } from '../command.js';
import { pageOptions, pageSpec } from './paging.js';

export const audit: Command = {
  words: ['audit'],
  usage: 'tessera audit [--user NAME] [--type T] [--since ISO] [--limit N] [--cursor C]',
  summary: 'read the audit log, newest first',
  args: [],
  options: {
    user: { type: 'string', description: 'only events about this user (username)' },
    type: { type: 'string', description: `only events of this type: ${auditEventTypes.join(', ')}` },
    since: { type: 'string', description: 'only events at or after this time: 2024-05-01 or 2024-05-01T12:00:00Z' },
    ...pageSpec,
  },
  async run(ctx) {
    const user = textOption(ctx, 'user');
    const userId = user !== undefined ? (await findUser(ctx.deps, { username: user })).id : undefined;
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
    return { json: page, text: page.next_cursor ? `${text}\nmore: --cursor ${page.next_cursor}` : text };
  },
};
