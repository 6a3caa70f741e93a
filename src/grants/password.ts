import { factorSummary, hasFactor } from '../services/factors/summary.js';
import { formatScope, userScopeCeiling } from '../domain/scope.js';
import { InvalidGrant, InvalidRequest } from '../errors/oauth.js';
import { grantAudience, grantScope, issueAccessToken, tokenResponse } from '../services/sessions/access-token.js';
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
    const audience = grantAudience(params.get('audience'), client, deps.config.issuer);

    const { user, authTime } = await authenticateUser(deps, actor, { username, password: secret, clientId: client.id, ip: actor.ip ?? null });

    // The password grant has no second step: a sign-in that needs one goes through the hosted pages.
    if (client.requireMfa || deps.config.mfa === 'required' || hasFactor(await factorSummary(deps, user.id))) {
      throw new InvalidGrant('this sign-in needs a second factor: use the hosted login page (authorization code grant)');
    }
    const scope = formatScope(grantScope(params.get('scope'), userScopeCeiling(client.scopes, user.scopes)));
    const login = { type: 'login.succeeded', userId: user.id, clientId: client.id } as const;
    const started = await startFamily(deps, actor, { user, client, scope, audience, authTime, amr: 'pwd', dpopJkt }, login);
    // The password changed, or the user was disabled, while it was being checked.
    if (started.kind === 'stale') throw new InvalidGrant(wrongCredentials);
    const { family, refreshToken } = started;
    const issued = await issueAccessToken(deps, { subject: user.id, clientId: client.id, scope, audience, sid: family.id, jkt: dpopJkt, login: family });
    return tokenResponse({ ...issued, scope, refreshToken });
  },
};
