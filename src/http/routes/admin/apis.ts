import { Hono } from 'hono';
import { createApi, deleteApi, listApis, showApi, updateApi } from '../../../services/apis.js';
import type { Deps } from '../../../services/deps.js';
import { createRole, deleteRole, listRoles, showRole } from '../../../services/roles.js';
import type { AdminEnv } from '../../middleware/admin-auth.js';
import { deletion } from './deletion.js';
import { JsonFields, pageQuery } from './input.js';

const apiSettings = ['identifier', 'name', 'scopes', 'token_ttl', 'dynamic_registration'];

const settingsOf = (body: JsonFields) => ({
  identifier: body.string('identifier'),
  name: body.nullableString('name'),
  scopes: body.describedNames('scopes'),
  tokenTtl: body.nullableInteger('token_ttl'),
  dynamicRegistration: body.boolean('dynamic_registration'),
});

/** The admin side of `tessera apis …` and `tessera roles …`. */
export function adminApiRoutes(deps: Deps) {
  return new Hono<AdminEnv>()
    .get('/apis', async (c) => c.json(await listApis(deps, pageQuery(c))))
    .post('/apis', async (c) => {
      const body = await JsonFields.read(c, ['id', ...apiSettings]);
      const api = await createApi(deps, c.get('actor'), { id: body.string('id', true), ...settingsOf(body), identifier: body.string('identifier', true) });
      return c.json({ api }, 201);
    })
    .get('/apis/:id', async (c) => c.json({ api: await showApi(deps, c.req.param('id')) }))
    .patch('/apis/:id', async (c) => {
      const api = await updateApi(deps, c.get('actor'), c.req.param('id'), settingsOf(await JsonFields.read(c, apiSettings)));
      return c.json({ api });
    })
    .delete('/apis/:id', async (c) => {
      const id = c.req.param('id');
      await deleteApi(deps, c.get('actor'), id);
      return c.json(deletion(id));
    })
    .get('/roles', async (c) => c.json(await listRoles(deps, pageQuery(c))))
    .post('/roles', async (c) => {
      const body = await JsonFields.read(c, ['name', 'grants']);
      const role = await createRole(deps, c.get('actor'), { name: body.string('name', true), grants: body.stringArray('grants') ?? [] });
      return c.json({ role }, 201);
    })
    .get('/roles/:name', async (c) => c.json({ role: await showRole(deps, c.req.param('name')) }))
    .delete('/roles/:name', async (c) => {
      const name = c.req.param('name');
      await deleteRole(deps, c.get('actor'), name);
      return c.json(deletion(name));
    });
}
