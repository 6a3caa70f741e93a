import { implicitResource } from '../domain/apis.js';
import { formatScope, parseScope } from '../domain/scope.js';
import type { AuthorizationCode, Client, ResourceGrants } from '../domain/types.js';
import { InvalidDpopProof, InvalidGrant, InvalidRequest, InvalidTarget } from '../errors/oauth.js';
import type { Uses } from '../services/deps.js';
import type { ApisStore } from '../store/types.js';
import { resourceNamed, resourcesOf, tokenTtl } from '../services/resources.js';
import { issueAccessToken, tokenResponse } from '../services/sessions/access-token.js';
import { checkCode, consumeCode } from '../services/codes.js';
import { startFamily } from '../services/sessions/families.js';
import { issueIdToken } from '../services/id-token.js';
import type { Grant } from './types.js';

/**
 * RFC 6749 §4.1.3 with PKCE (RFC 7636): a code from /authorize starts a family like a password login,
 * and with scope `openid` the answer carries an id_token (OpenID Connect Core §3.1.3.3).
 */
export const authorizationCode: Grant = {
  grantType: 'authorization_code',
  async handler({ deps, client, params, actor, dpopJkt = null }) {
    const code = params.get('code');
    const redirectUri = params.get('redirect_uri');
    const verifier = params.get('code_verifier');
    if (!code) throw new InvalidRequest('code is required');
    if (!redirectUri) throw new InvalidRequest('redirect_uri is required');
    if (!verifier) throw new InvalidRequest('code_verifier is required (PKCE)');

    const record = await checkCode(deps, actor, { code, client, redirectUri, verifier });
    // RFC 9449 §10: a code bound with dpop_jkt is redeemed only with a proof by that key; refused before it is used up.
    if (record.dpopJkt !== null && record.dpopJkt !== dpopJkt) {
      throw new InvalidDpopProof(
        dpopJkt === null
          ? 'this authorization code needs a DPoP proof by the key named in dpop_jkt'
          : 'the DPoP proof is by another key than the one dpop_jkt named',
      );
    }
    const user = await deps.store.findUserById(record.userId);
    if (!user || user.disabledAt !== null) throw new InvalidGrant('the user of this authorization code cannot sign in');

    const { grants, audience, ttl } = await firstToken(deps, client, record, params.get('resource'));
    const scope = formatScope(grants[audience]!);
    // The family is stored before the code is used up, so a concurrent replay always finds the family
    // to end. A password change since the user signed in (authTime) refuses it.
    const browser = record.browserSessionId === null ? null : await deps.store.findBrowserSession(record.browserSessionId);
    const familyInput = { user, client, scope, audience, authTime: record.authTime, provider: record.provider, amr: record.amr, dpopJkt, browser, grants };
    const login = {
      type: 'login.succeeded',
      userId: user.id,
      clientId: client.id,
      details: { grant: 'authorization_code', provider: record.provider },
    } as const;
    const started = await startFamily(deps, actor, familyInput, login);
    if (started.kind === 'stale') throw new InvalidGrant('the sign-in behind this authorization code no longer holds (password changed or user disabled)');
    const { family, refreshToken } = started;
    await consumeCode(deps, actor, record, family.id);

    const { accessToken, expiresIn } = await issueAccessToken(deps, {
      subject: user.id,
      clientId: client.id,
      scope,
      audience,
      sid: family.id,
      jkt: dpopJkt,
      ttl,
      login: family,
    });
    const scopes = parseScope(record.scope);
    const idToken = Object.values(grants).some((s) => s.includes('openid'))
      ? await issueIdToken(deps, {
          user,
          scopes,
          clientId: client.id,
          nonce: record.nonce,
          authTime: record.authTime,
          amr: record.amr,
          sid: family.id,
          accessToken,
        })
      : undefined;
    return tokenResponse({ accessToken, expiresIn, scope, refreshToken, idToken, jkt: dpopJkt });
  },
};

/**
 * What the code's login grants (a code from before APIs: its scope for the client's own audience) and which
 * of them the first access token is for: `resource` when given (RFC 8707 §2.2), else the one chosen at /authorize.
 */
async function firstToken(deps: Uses<'config', ApisStore>, client: Client, record: AuthorizationCode, requested: string | undefined) {
  const own = implicitResource(client, deps.config.issuer).identifier;
  const grants: ResourceGrants = record.grants ?? { [own]: parseScope(record.scope) };
  const audience = requested ?? record.audience ?? own;
  if (grants[audience] === undefined) throw new InvalidTarget('resource was not granted at the authorization request');
  const resource = resourceNamed(await resourcesOf(deps, client), audience);
  if (!resource) throw new InvalidTarget('resource is no longer allowed for this client');
  return { grants, audience, ttl: tokenTtl(deps, resource) };
}
