import { createRemoteJWKSet, jwtVerify } from 'jose';
import { familyGrants, type Resource } from '../domain/apis.js';
import { claimAudiences, claimScopes, type ActClaim } from '../domain/claims.js';
import { formatScope } from '../domain/scope.js';
import type { Client, ResourceGrants } from '../domain/types.js';
import { InvalidRequest, InvalidTarget } from '../errors/oauth.js';
import { excerpt } from '../lib/excerpt.js';
import { recordAudit } from './audit.js';
import type { ApisStore, AuditStore, ClientsStore, RevocationFeedStore, SessionsStore, UpstreamStore, UsersStore } from '../store/types.js';
import type { Actor, Uses } from './deps.js';
import { pickResource, resourcesOf, tokenTtl, userCeiling } from './resources.js';
import { grantScope, issueAccessToken } from './sessions/access-token.js';
import { checkAccessToken, isLive, looksLikeJwt } from './sessions/check.js';
import { discover, openProviderSecret } from './upstream/client.js';

// RFC 8693 token exchange: a service holding a user's access token (or, where a provider allows it, the
// user's upstream id_token) gets one for another API, never broader, with `act` naming the service.

export const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';
export const idTokenType = 'urn:ietf:params:oauth:token-type:id_token';

export type ExchangeResponse = {
  access_token: string;
  issued_token_type: typeof accessTokenType;
  /** DPoP when the request carried a DPoP proof: the issued token is bound to its key (RFC 9449 §5). */
  token_type: 'Bearer' | 'DPoP';
  expires_in: number;
  scope: string;
};

/** Who the subject token speaks for, and what it may pass on. */
/** `scopes` null: an upstream id_token, which passes on whatever the user holds. */
type Subject = { userId: string; sid: string | null; scopes: string[] | null; grants: ResourceGrants; act: ActClaim | undefined; source: string };

const refused = (why: string) => new InvalidRequest(`subject_token ${why}`);

export async function exchangeToken(
  deps: Uses<
    'clock' | 'config' | 'ids' | 'keys' | 'log',
    ApisStore & AuditStore & ClientsStore & RevocationFeedStore & SessionsStore & UpstreamStore & UsersStore
  >,
  actor: Actor,
  client: Client,
  params: ReadonlyMap<string, string>,
  dpopJkt: string | null = null,
): Promise<ExchangeResponse> {
  const token = params.get('subject_token');
  const type = params.get('subject_token_type');
  if (!token) throw new InvalidRequest('subject_token is required');
  if (!type) throw new InvalidRequest('subject_token_type is required');
  if (params.has('actor_token') || params.has('actor_token_type'))
    throw new InvalidRequest('actor_token is not supported: the authenticated client is the actor');
  const requested = params.get('requested_token_type');
  if (requested !== undefined && requested !== accessTokenType) throw new InvalidRequest('only access tokens are issued (requested_token_type)');

  const resources = await resourcesOf(deps, client);
  const target = exchangeTarget(resources, client, params);
  let subject: Subject;
  if (type === accessTokenType) subject = await accessTokenSubject(deps, resources, token);
  else if (type === idTokenType) subject = await idTokenSubject(deps, token);
  else throw new InvalidRequest(`subject_token_type "${excerpt(type)}" is not supported`);

  const user = await deps.store.findUserById(subject.userId);
  if (!user || user.disabledAt !== null) throw refused('names a user who cannot sign in');
  // Never broader: the target's scopes the user holds now, among those the subject token carries or its login granted for the target.
  const offered = subject.scopes && new Set([...subject.scopes, ...(subject.grants[target.identifier] ?? [])]);
  const allowed = (await userCeiling(deps, user))(target).filter((s) => target.scopes.includes(s) && (offered === null || offered.has(s)));
  const scope = formatScope(grantScope(params.get('scope'), allowed));
  const act: ActClaim = subject.act ? { sub: client.id, act: subject.act } : { sub: client.id };
  const issued = await issueAccessToken(deps, {
    subject: user.id,
    clientId: client.id,
    scope,
    audience: target.identifier,
    sid: subject.sid,
    ttl: tokenTtl(deps, target),
    act,
    jkt: dpopJkt,
  });
  await recordAudit(deps, actor, {
    type: 'token.exchanged',
    userId: user.id,
    clientId: client.id,
    familyId: subject.sid,
    details: { subject_token_type: type, source: subject.source, audience: target.identifier, scope },
  });
  return {
    access_token: issued.accessToken,
    issued_token_type: accessTokenType,
    token_type: issued.jkt ? 'DPoP' : 'Bearer',
    expires_in: issued.expiresIn,
    scope,
  };
}

/** RFC 8693 §2.1: `resource` (an identifier) or `audience` (an identifier or an API id) names the target; the client's default without. */
function exchangeTarget(resources: readonly Resource[], client: Client, params: ReadonlyMap<string, string>): Resource {
  const resource = params.get('resource');
  const audience = params.get('audience');
  const byAudience = audience === undefined ? undefined : resources.find((r) => r.identifier === audience || r.api?.id === audience);
  if (audience !== undefined && !byAudience) throw new InvalidTarget(`audience "${excerpt(audience)}" is unknown or not allowed for this client`);
  const byResource = resource === undefined ? undefined : pickResource(resources, client, resource);
  if (byResource && byAudience && byResource !== byAudience) throw new InvalidTarget('resource and audience name different APIs');
  return byResource ?? byAudience ?? pickResource(resources, client, undefined);
}

/** One of our access tokens, live, from a login, and meant for one of this client's APIs (the service received it). */
async function accessTokenSubject(
  deps: Uses<'clock' | 'keys', ClientsStore & RevocationFeedStore & SessionsStore & UsersStore>,
  resources: readonly Resource[],
  token: string,
): Promise<Subject> {
  if (!looksLikeJwt(token)) throw refused('is not an access token issued here');
  const verdict = await checkAccessToken(deps, token);
  if (verdict === 'invalid') throw refused('is not an access token issued here');
  if (!isLive(verdict)) throw refused(`is ${verdict}`);
  const { claims, family } = verdict;
  if (!family) throw refused("must be a user's access token (from a login)");
  if (!claimAudiences(claims).some((a) => resources.some((r) => r.identifier === a))) throw refused('was not issued for an API of this client');
  return {
    userId: claims.sub,
    sid: family.id,
    scopes: claimScopes(claims),
    grants: familyGrants(family),
    act: isActClaim(claims.act) ? claims.act : undefined,
    source: 'access_token',
  };
}

const isActClaim = (value: unknown): value is ActClaim =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ActClaim).sub === 'string' &&
  ((value as ActClaim).act === undefined || isActClaim((value as ActClaim).act));

/**
 * An id_token of an upstream provider (section 9) that allows exchange: verified against that provider's JWKS
 * (issuer, audience = Tessera's client id there, expiry) and mapped to the user its identity is linked to.
 */
async function idTokenSubject(deps: Uses<'clock' | 'config' | 'log', UpstreamStore>, token: string): Promise<Subject> {
  if (!looksLikeJwt(token)) throw refused('is not a JWT');
  let issuer: unknown;
  try {
    issuer = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).iss;
  } catch {
    throw refused('is not a JWT');
  }
  const provider = (await deps.store.listProviders()).find((p) => p.issuer === issuer && p.allowTokenExchange);
  if (!provider) throw refused('comes from an issuer whose id_tokens may not be exchanged');
  let sub: string;
  try {
    const metadata = (await discover(deps.config, provider.issuer, provider.clientId, openProviderSecret(deps.config, provider))).serverMetadata();
    const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri!));
    const { payload } = await jwtVerify(token, jwks, { issuer: provider.issuer, audience: provider.clientId, currentDate: deps.clock.now() });
    if (typeof payload.sub !== 'string') throw new Error('no sub');
    sub = payload.sub;
  } catch (error) {
    deps.log.info(
      { provider: provider.id, reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown' },
      'upstream id_token refused for exchange',
    );
    throw refused(`is not a valid id_token of provider ${provider.id}`);
  }
  const identity = await deps.store.findIdentity(provider.id, sub);
  if (!identity) throw refused(`names an identity at ${provider.id} that is linked to no user`);
  return { userId: identity.userId, sid: null, scopes: null, grants: {}, act: undefined, source: `provider:${provider.id}` };
}
