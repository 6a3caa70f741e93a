import { Hono } from 'hono';
import type { Deps } from '../../../services/deps.js';
import { revokeFamilyById } from '../../../services/sessions/families.js';
import type { AdminEnv } from '../../middleware/admin-auth.js';
import { queryParams } from '../../params.js';
import { deletion } from './deletion.js';

/** DELETE /admin/families/{id}: ends one session; `deleted` is false when it had already ended. */
export function adminFamilyRoutes(deps: Deps) {
  return new Hono<AdminEnv>().delete('/families/:id', async (c) => {
    const id = c.req.param('id');
    const { revoked } = await revokeFamilyById(deps, c.get('actor'), id, queryParams(c).get('reason'));
    return c.json(deletion(id, { deleted: revoked, revokedFamilies: revoked ? 1 : 0 }));
  });
}
