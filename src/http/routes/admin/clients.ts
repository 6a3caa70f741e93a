import { Hono } from 'hono';
import { parseScope } from '../../../domain/scope.js';
import {
  createClient,
  deleteClient,
  disableClient,
  enableClient,
  listClients,
  rotateClientSecret,
  showClient,
  updateClient,
} from '../../../services/clients.js';
import type { Deps } from '../../../services/deps.js';
import { clientSettingFields } from '../../../services/views.js';
import type { AdminEnv } from '../../middleware/admin-auth.js';
import { deletion } from './deletion.js';
import { JsonFields, pageQuery } from './input.js';

const clientFields = ['id', 'public', ...clientSettingFields];

/**
 * The admin side of `tessera clients …`. A confidential client's secret is in the creation answer only.
 * Disabling (like deleting) ends the client's sessions and puts it on the revocation feed.
 */
export function adminClientRoutes(deps: Deps) {
  return new Hono<AdminEnv>()
    .get('/clients', async (c) => c.json(await listClients(deps, pageQuery(c))))
    .post('/clients', async (c) => {
      const body = await JsonFields.read(c, clientFields);
      const { client, secret } = await createClient(deps, c.get('actor'), { id: body.string('id', true), public: body.boolean('public'), ...settingsOf(body) });
      return c.json({ client, ...(secret ? { client_secret: secret } : {}) }, 201);
    })
    .get('/clients/:id', async (c) => c.json({ client: await showClient(deps, c.req.param('id')) }))
    .patch('/clients/:id', async (c) => {
      const client = await updateClient(deps, c.get('actor'), c.req.param('id'), settingsOf(await JsonFields.read(c, clientSettingFields)));
      return c.json({ client });
    })
    .post('/clients/:id/secret', async (c) => {
      const body = await JsonFields.read(c, ['overlap_seconds']);
      const overlap = body.nullableInteger('overlap_seconds');
      const { client, secret } = await rotateClientSecret(deps, c.get('actor'), c.req.param('id'), overlap ?? 0);
      return c.json({ client, client_secret: secret });
    })
    .delete('/clients/:id', async (c) => {
      const id = c.req.param('id');
      return c.json(deletion(id, await deleteClient(deps, c.get('actor'), id)));
    })
    .post('/clients/:id/disable', async (c) => {
      const id = c.req.param('id');
      const { disabled, revokedFamilies } = await disableClient(deps, c.get('actor'), id);
      return c.json({ client_id: id, disabled, revoked_families: revokedFamilies });
    })
    .post('/clients/:id/enable', async (c) => {
      const id = c.req.param('id');
      return c.json({ client_id: id, ...(await enableClient(deps, c.get('actor'), id)) });
    });
}

/** A client's settings from an admin request body, as createClient and updateClient take them. */
function settingsOf(body: JsonFields) {
  const scope = body.string('scope');
  return {
    grants: body.stringArray('grants'),
    scopes: scope === undefined ? undefined : parseScope(scope),
    audience: body.nullableString('audience'),
    maxSessions: body.nullableInteger('max_sessions'),
    refreshCookie: body.boolean('refresh_cookie'),
    redirectUris: body.stringArray('redirect_uris'),
    postLogoutRedirectUris: body.stringArray('post_logout_redirect_uris'),
    thirdParty: body.boolean('third_party'),
    name: body.nullableString('name'),
    logoUri: body.nullableString('logo_uri'),
    dpopBoundAccessTokens: body.boolean('dpop_bound_access_tokens'),
    requireMfa: body.boolean('require_mfa'),
    ...securityOf(body),
    apis: body.stringArray('apis'),
    defaultApi: body.nullableString('default_api'),
  };
}

/** private_key_jwt keys (a JWKS object or a jwks_uri), PAR and the security profile (README, "FAPI 2.0"). */
function securityOf(body: JsonFields) {
  const jwks = body.nullableObject('jwks');
  return {
    jwks: jwks === undefined || jwks === null ? jwks : JSON.stringify(jwks),
    jwksUri: body.nullableString('jwks_uri'),
    requirePar: body.boolean('require_pushed_authorization_requests'),
    profile: body.nullableString('profile'),
  };
}
