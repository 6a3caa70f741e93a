import { Hono } from 'hono';
import { listAudit } from '../../../services/audit.js';
import type { Deps } from '../../../services/deps.js';
import { findUser } from '../../../services/users.js';
import type { AdminEnv } from '../../middleware/admin-auth.js';

/** GET /admin/audit?user=&type=&since=&cursor=&limit=: events newest first, one page at a time. */
export function adminAuditRoutes(deps: Deps) {
  return new Hono<AdminEnv>().get('/audit', async (c) => {
    const { user, type, since, cursor, limit } = c.req.query();
    const userId = user !== undefined && user !== '' ? (await findUser(deps, { id: user })).id : undefined;
    return c.json(await listAudit(deps, { userId, type, since, cursor, limit }));
  });
}
