import { Hono } from 'hono';
import { auditEventTypes, isAuditEventType } from '../../../domain/audit-types.js';
import { InvalidRequest } from '../../../errors/oauth.js';
import { parseIsoTime } from '../../../lib/iso-time.js';
import { listAudit } from '../../../services/audit.js';
import type { Deps } from '../../../services/deps.js';
import { findUser } from '../../../services/users.js';
import type { AdminEnv } from '../../middleware/admin-auth.js';
import { pageQuery } from './input.js';

/** GET /admin/audit?user=&type=&since=&cursor=&limit=: events newest first, one page at a time. */
export function adminAuditRoutes(deps: Deps) {
  return new Hono<AdminEnv>().get('/audit', async (c) => {
    const page = pageQuery(c);
    const { user, type, since } = c.req.query();
    let sinceSeconds: number | undefined;
    if (since !== undefined && since !== '') {
      const parsed = parseIsoTime(since);
      if (parsed === null) throw new InvalidRequest('since must be an ISO 8601 date or date-time with offset, e.g. 2024-05-01T12:00:00Z');
      sinceSeconds = parsed;
    }
    if (type !== undefined && type !== '' && !isAuditEventType(type)) throw new InvalidRequest(`type must be one of ${auditEventTypes.join(', ')}`);
    const userId = user !== undefined && user !== '' ? (await findUser(deps, { id: user })).id : undefined;
    return c.json(
      await listAudit(deps, {
        ...page,
        ...(userId !== undefined ? { userId } : {}),
        ...(type !== undefined && type !== '' ? { type } : {}),
        ...(sinceSeconds !== undefined ? { since: sinceSeconds } : {}),
      }),
    );
  });
}
