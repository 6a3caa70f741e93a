import { Hono } from 'hono';
import type { Deps } from '../../../services/deps.js';
import { revokeFamilyById } from '../../../services/families.js';
import type { AdminEnv } from '../../middleware/admin-auth.js';
import { queryParams } from '../../params.js';

/** DELETE /admin/families/{id}: ends one session; `revoked` is false when it had already ended. */
export function adminFamilyRoutes(deps: Deps) {
  return new Hono<AdminEnv>().delete('/families/:id', async (c) => {
    return c.json(await revokeFamilyById(deps, c.get('actor'), c.req.param('id'), queryParams(c).get('reason')));
  });
}
