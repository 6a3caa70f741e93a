import { Hono } from 'hono';
import type { Deps } from '../../../services/deps.js';
import { createRegistrationToken, listRegistrationTokens, revokeRegistrationToken } from '../../../services/registration-tokens.js';
import type { AdminEnv } from '../../middleware/admin-auth.js';
import { deletion } from './deletion.js';
import { JsonFields } from './input.js';

/** The admin side of `tessera registration-token …`. The token comes out once, in the creation answer. */
export function adminRegistrationTokenRoutes(deps: Deps) {
  return new Hono<AdminEnv>()
    .get('/registration-tokens', async (c) => c.json(await listRegistrationTokens(deps)))
    .post('/registration-tokens', async (c) => {
      const body = await JsonFields.read(c, ['expires_in', 'uses']);
      const result = await createRegistrationToken(deps, c.get('actor'), { expiresIn: body.nullableInteger('expires_in'), uses: body.nullableInteger('uses') });
      return c.json(result, 201);
    })
    .delete('/registration-tokens/:id', async (c) => c.json(deletion((await revokeRegistrationToken(deps, c.get('actor'), c.req.param('id'))).id)));
}
