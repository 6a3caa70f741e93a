import { factorSummary, hasFactor } from '../services/factors/summary.js';
import { formatScope } from '../domain/scope.js';
import { InvalidGrant, InvalidRequest } from '../errors/oauth.js';
import { grantScope, issueAccessToken, requestedResource, tokenResponse } from '../services/sessions/access-token.js';
import { resourcesOf, tokenTtl, userCeiling } from '../services/resources.js';
import { startFamily } from '../services/sessions/families.js';
import { authenticateUser, wrongCredentials } from '../services/login.js';
import type { Grant } from './types.js';

/** RFC 6749 §4.3, for first-party clients an operator allowed it. Each login starts a refresh-token family. */
export const password: Grant = {
  grantType: 'password',
  async handler({ deps, client, params, actor, dpopJkt = null }) {
    const username = params.get('username');
    const secret = params.get('password');
    if (!username) throw new InvalidRequest('username is required');
    if (secret === undefined || secret === '') throw new InvalidRequest('password is required');
    // Checked before the password so a bad request costs no argon2 time; they do not depend on the user.
    const resource = await requestedResource(deps, client, params);
    const audience = resource.identifier;

    const { user, authTime } = await authenticateUser(deps, actor, { username, password: secret, clientId: client.id, ip: actor.ip ?? null });

    // The password grant has no second step: a sign-in that needs one goes through the hosted pages.
    if (client.requireMfa || deps.config.mfa === 'required' || hasFactor(await factorSummary(deps, user.id))) {
      throw new InvalidGrant('this sign-in needs a second factor: use the hosted login page (authorization code grant)');
    }
    const ceiling = await userCeiling(deps, user);
    const scopes = grantScope(params.get('scope'), ceiling(resource));
    const scope = formatScope(scopes);
    // A first-party login: a refresh may later ask for any of the client's APIs, with what the user holds there.
    const grants = Object.fromEntries((await resourcesOf(deps, client)).map((r) => [r.identifier, ceiling(r)]));
    grants[audience] = scopes;
    const login = { type: 'login.succeeded', userId: user.id, clientId: client.id } as const;
    const started = await startFamily(deps, actor, { user, client, scope, audience, authTime, amr: 'pwd', dpopJkt, grants }, login);
    // The password changed, or the user was disabled, while it was being checked.
    if (started.kind === 'stale') throw new InvalidGrant(wrongCredentials);
    const { family, refreshToken } = started;
    const issued = await issueAccessToken(deps, {
      subject: user.id,
      clientId: client.id,
      scope,
      audience,
      sid: family.id,
      jkt: dpopJkt,
      ttl: tokenTtl(deps, resource),
      login: family,
    });
    return tokenResponse({ ...issued, scope, refreshToken });
  },
};
