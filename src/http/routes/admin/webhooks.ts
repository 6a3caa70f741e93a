import { Hono } from 'hono';
import type { Deps } from '../../../services/deps.js';
import { addWebhook, listDeliveries, listWebhooks, removeWebhook, testWebhook } from '../../../services/webhooks/endpoints.js';
import type { AdminEnv } from '../../middleware/admin-auth.js';
import { deletion } from './deletion.js';
import { JsonFields, pageQuery } from './input.js';

/** The admin side of `tessera webhooks …`. A secret comes out once, when Tessera made it. */
export function adminWebhookRoutes(deps: Deps) {
  return new Hono<AdminEnv>()
    .get('/webhooks', async (c) => c.json(await listWebhooks(deps, pageQuery(c))))
    .post('/webhooks', async (c) => {
      const body = await JsonFields.read(c, ['url', 'events', 'secret']);
      const result = await addWebhook(deps, c.get('actor'), {
        url: body.string('url', true),
        events: body.stringArray('events') ?? [],
        secret: body.nullableString('secret'),
      });
      return c.json(result, 201);
    })
    .delete('/webhooks/:id', async (c) => {
      const id = c.req.param('id');
      await removeWebhook(deps, c.get('actor'), id);
      return c.json(deletion(id));
    })
    .post('/webhooks/:id/test', async (c) => c.json(await testWebhook(deps, c.req.param('id'))))
    .get('/webhooks/:id/deliveries', async (c) => c.json(await listDeliveries(deps, c.req.param('id'), pageQuery(c))));
}
