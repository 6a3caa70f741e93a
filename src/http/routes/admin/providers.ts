import { Hono } from 'hono';
import type { Deps } from '../../../services/deps.js';
import { addProvider, listProviders, removeProvider, unlinkIdentity } from '../../../services/upstream/providers.js';
import { findUser } from '../../../services/users.js';
import type { AdminEnv } from '../../middleware/admin-auth.js';
import { deletion } from './deletion.js';
import { JsonFields, pageQuery } from './input.js';

/** The admin side of `tessera providers …` and `tessera users unlink`. The client secret goes in and never comes out. */
export function adminProviderRoutes(deps: Deps) {
  return new Hono<AdminEnv>()
    .get('/providers', async (c) => c.json(await listProviders(deps, pageQuery(c))))
    .post('/providers', async (c) => {
      const body = await JsonFields.read(c, ['id', 'issuer', 'client_id', 'client_secret', 'name', 'scope', 'signup', 'link_by_email', 'allow_token_exchange']);
      const provider = await addProvider(deps, c.get('actor'), {
        id: body.string('id', true),
        issuer: body.string('issuer', true),
        clientId: body.string('client_id', true),
        clientSecret: body.string('client_secret', true),
        name: body.nullableString('name'),
        scope: body.nullableString('scope'),
        signup: body.boolean('signup'),
        linkByEmail: body.boolean('link_by_email'),
        allowTokenExchange: body.boolean('allow_token_exchange'),
      });
      return c.json({ provider }, 201);
    })
    .delete('/providers/:id', async (c) => {
      const removed = await removeProvider(deps, c.get('actor'), c.req.param('id'));
      return c.json(deletion(removed.provider, { unlinkedIdentities: removed.unlinked_identities }));
    })
    .delete('/users/:id/identities/:provider', async (c) => {
      const { id } = await findUser(deps, { id: c.req.param('id') });
      const { provider } = await unlinkIdentity(deps, c.get('actor'), id, c.req.param('provider'));
      return c.json(deletion(provider, { unlinkedIdentities: 1 }));
    });
}
