import { Hono } from 'hono';
import { listAudit } from '../../../services/audit.js';
import type { Deps } from '../../../services/deps.js';
import { findUser } from '../../../services/users.js';
import type { AdminEnv } from '../../middleware/admin-auth.js';
import { queryParams } from '../../params.js';

/** GET /admin/audit?user=&type=&since=&cursor=&limit=: events newest first, one page at a time. */
export function adminAuditRoutes(deps: Deps) {
  return new Hono<AdminEnv>().get('/audit', async (c) => {
    const query = queryParams(c);
    const [user, type, since, cursor, limit] = ['user', 'type', 'since', 'cursor', 'limit'].map((name) => query.get(name));
    const userId = user !== undefined ? (await findUser(deps, { id: user })).id : undefined;
    return c.json(await listAudit(deps, { userId, type, since, cursor, limit }));
  });
}
