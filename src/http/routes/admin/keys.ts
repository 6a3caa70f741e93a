import { Hono } from 'hono';
import { InvalidInput } from '../../../errors/domain.js';
import type { Deps } from '../../../services/deps.js';
import { listKeys, rotateKeys } from '../../../services/keys.js';
import type { AdminEnv } from '../../middleware/admin-auth.js';
import { JsonFields } from './input.js';

/**
 * The admin side of `tessera keys list|rotate`; `{"now": true}`, like `--now`, makes the new key sign at once.
 * `immediate` is the deprecated name of `now` (README, Changelog), still taken alone.
 */
export function adminKeyRoutes(deps: Deps) {
  return new Hono<AdminEnv>()
    .get('/keys', async (c) => c.json({ keys: await listKeys(deps) }))
    .post('/keys/rotate', async (c) => {
      const body = await JsonFields.read(c, ['now', 'immediate']);
      const [now, deprecated] = [body.boolean('now'), body.boolean('immediate')];
      if (now !== undefined && deprecated !== undefined) throw new InvalidInput('send "now" alone: "immediate" is its deprecated name');
      return c.json({ key: await rotateKeys(deps, c.get('actor'), { immediate: now ?? deprecated ?? false }) });
    });
}
