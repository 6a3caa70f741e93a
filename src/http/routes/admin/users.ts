import { Hono } from 'hono';
import { parseScope } from '../../../domain/scope.js';
import { InvalidInput } from '../../../errors/domain.js';
import type { Deps } from '../../../services/deps.js';
import { requestEmailVerification, requestPasswordResetFor } from '../../../services/self-service/operator.js';
import { setUserRoles } from '../../../services/roles.js';
import { listUserFamilies, revokeUserFamilies } from '../../../services/sessions/families.js';
import { createUser, deleteUser, disableUser, enableUser, findUser, listUsers, setPassword, updateUser } from '../../../services/users.js';
import { listUserIdentities } from '../../../services/upstream/providers.js';
import { userView } from '../../../services/views.js';
import { factorsView, resetFactors } from '../../../services/factors/operator.js';
import type { AdminEnv } from '../../middleware/admin-auth.js';
import { queryParams } from '../../params.js';
import { deletion } from './deletion.js';
import { JsonFields, pageQuery } from './input.js';

/** Users and their sessions: the admin side of `tessera users …` and `tessera families … --user`. */
export function adminUserRoutes(deps: Deps) {
  return new Hono<AdminEnv>()
    .get('/users', async (c) => {
      return c.json(await listUsers(deps, { username: queryParams(c).get('username'), ...pageQuery(c) }));
    })
    .get('/users/:id', async (c) => {
      const user = await findUser(deps, { id: c.req.param('id') });
      return c.json({
        user: userView(user),
        identities: await listUserIdentities(deps, user.id),
        roles: await deps.store.listUserRoles(user.id),
        factors: await factorsView(deps, user.id),
      });
    })
    .put('/users/:id/roles', async (c) => {
      const body = await JsonFields.read(c, ['roles']);
      const roles = body.stringArray('roles');
      if (roles === undefined) throw new InvalidInput('"roles" is required');
      const { id } = await findUser(deps, { id: c.req.param('id') });
      return c.json({ user_id: id, roles: await setUserRoles(deps, c.get('actor'), id, roles) });
    })
    .delete('/users/:id/factors', async (c) => {
      const { id } = await findUser(deps, { id: c.req.param('id') });
      const { removed } = await resetFactors(deps, c.get('actor'), id);
      return c.json(deletion(id, { deleted: removed > 0 }));
    })
    .delete('/users/:id', async (c) => {
      const { id } = await findUser(deps, { id: c.req.param('id') });
      return c.json(deletion(id, await deleteUser(deps, c.get('actor'), id)));
    })
    .post('/users', async (c) => {
      const body = await JsonFields.read(c, ['username', 'password', 'scope', 'email', 'email_verified']);
      const scope = body.nullableString('scope');
      const user = await createUser(deps, c.get('actor'), {
        username: body.string('username', true),
        password: body.string('password', true),
        scopes: typeof scope === 'string' ? parseScope(scope) : null,
        email: body.nullableString('email'),
        emailVerified: body.boolean('email_verified'),
      });
      return c.json({ user }, 201);
    })
    .patch('/users/:id', async (c) => {
      const body = await JsonFields.read(c, ['name', 'given_name', 'family_name', 'picture', 'locale', 'email', 'email_verified']);
      const changes = {
        name: body.nullableString('name'),
        givenName: body.nullableString('given_name'),
        familyName: body.nullableString('family_name'),
        picture: body.nullableString('picture'),
        locale: body.nullableString('locale'),
        email: body.nullableString('email'),
        emailVerified: body.boolean('email_verified'),
      };
      return c.json({ user: await updateUser(deps, c.get('actor'), c.req.param('id'), changes) });
    })
    .put('/users/:id/password', async (c) => {
      const body = await JsonFields.read(c, ['password']);
      const password = body.string('password', true);
      const { id } = await findUser(deps, { id: c.req.param('id') });
      const result = await setPassword(deps, c.get('actor'), id, password);
      return c.json({ user_id: id, revoked_families: result.revokedFamilies });
    })
    .post('/users/:id/verify-email', async (c) => {
      const { id } = await findUser(deps, { id: c.req.param('id') });
      return c.json(await requestEmailVerification(deps, c.get('actor'), id), 202);
    })
    .post('/users/:id/password-reset', async (c) => {
      const { id } = await findUser(deps, { id: c.req.param('id') });
      return c.json(await requestPasswordResetFor(deps, c.get('actor'), id), 202);
    })
    .post('/users/:id/disable', async (c) => {
      const { id } = await findUser(deps, { id: c.req.param('id') });
      const result = await disableUser(deps, c.get('actor'), id);
      return c.json({ user_id: id, disabled: true, revoked_families: result.revokedFamilies });
    })
    .post('/users/:id/enable', async (c) => {
      const { id } = await findUser(deps, { id: c.req.param('id') });
      return c.json({ user_id: id, ...(await enableUser(deps, c.get('actor'), id)) });
    })
    .get('/users/:id/families', async (c) => {
      const { id } = await findUser(deps, { id: c.req.param('id') });
      return c.json(await listUserFamilies(deps, id, pageQuery(c)));
    })
    .delete('/users/:id/families', async (c) => {
      const { id } = await findUser(deps, { id: c.req.param('id') });
      const { revoked } = await revokeUserFamilies(deps, c.get('actor'), id, queryParams(c).get('reason'));
      return c.json(deletion(id, { deleted: revoked.length > 0, revokedFamilies: revoked.length }));
    });
}
