import { Hono } from 'hono';
import type { Deps } from '../../../services/deps.js';
import { listKeys, rotateKeys } from '../../../services/keys.js';
import type { AdminEnv } from '../../middleware/admin-auth.js';
import { JsonFields } from './input.js';

/** The admin side of `tessera keys list|rotate`; `{"immediate": true}` makes the new key sign at once. */
export function adminKeyRoutes(deps: Deps) {
  return new Hono<AdminEnv>()
    .get('/keys', async (c) => c.json({ keys: await listKeys(deps) }))
    .post('/keys/rotate', async (c) => {
      const body = await JsonFields.read(c, ['immediate']);
      return c.json({ key: await rotateKeys(deps, c.get('actor'), { immediate: body.boolean('immediate') ?? false }) });
    });
}
