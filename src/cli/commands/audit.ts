import { auditEventTypes, isAuditEventType } from '../../domain/audit-types.js';
import { parseIsoTime } from '../../lib/iso-time.js';
import { listAudit } from '../../services/audit.js';
import { findUser } from '../../services/users.js';
import { UsageError, table, type Command } from '../command.js';
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
    const { user, type, since } = ctx.options;
    if (typeof type === 'string' && !isAuditEventType(type)) throw new UsageError(`unknown event type "${type}"; tessera audit --help lists them`);
    let sinceSeconds: number | undefined;
    if (typeof since === 'string') {
      const parsed = parseIsoTime(since);
      if (parsed === null) throw new UsageError('--since takes an ISO 8601 date or date-time with offset, e.g. 2024-05-01T12:00:00Z');
      sinceSeconds = parsed;
    }
    const userId = typeof user === 'string' ? (await findUser(ctx.deps, { username: user })).id : undefined;
    const page = await listAudit(ctx.deps, {
      ...pageOptions(ctx),
      ...(userId !== undefined ? { userId } : {}),
      ...(typeof type === 'string' ? { type } : {}),
      ...(sinceSeconds !== undefined ? { since: sinceSeconds } : {}),
    });
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
