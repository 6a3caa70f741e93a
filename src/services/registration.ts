import { registeredClientApis } from '../domain/apis.js';
import { isMetadataProblem, readClientMetadata, type ClientMetadata, type RegistrationMode } from '../domain/client-metadata.js';
import { InvalidInput } from '../errors/domain.js';
import { InvalidClientMetadata, InvalidRedirectUri, InvalidToken, MissingToken, TooManyRequests } from '../errors/oauth.js';
import { sha256 } from '../lib/hash.js';
import { createClient } from './clients.js';
import type { ApisStore, ClientsStore, LimitsStore, RegistrationTokensStore } from '../store/types.js';
import type { Actor, Uses } from './deps.js';

/** A POST /register: the client metadata (a JSON object, read when the request is admitted), the initial access token if one was sent, and who sent it. */
export type RegistrationRequest = {
  readMetadata: () => Promise<Record<string, unknown>>;
  /** The Bearer token of the Authorization header; null when there was none. */
  initialAccessToken: string | null;
  actor: Actor;
};

const windowMs = 3600_000;

/**
 * Dynamic client registration (RFC 7591 §3). Open mode counts every request per client IP, in
 * one-hour windows shared through the store, before reading it; token mode asks for the initial
 * access token before reading the request, checks the metadata, and only then counts a use of the token, so a request
 * refused for its metadata leaves the token as it was. The client is an ordinary third-party client
 * (it asks users for consent), marked `dynamic` for the operator, listing the APIs open to registration
 * at this moment (domain/apis.ts registeredClientApis); the operator may change that list later.
 */
export async function registerClient(
  deps: Uses<'clock' | 'config' | 'ids', ApisStore & ClientsStore & LimitsStore & RegistrationTokensStore>,
  mode: RegistrationMode,
  request: RegistrationRequest,
) {
  const now = deps.clock.now().getTime();
  if (mode === 'open') await countAttempt(deps, request.actor.ip ?? null, now);
  if (mode === 'token' && request.initialAccessToken === null) throw new MissingToken({ bearerOnly: true });

  const metadata = readClientMetadata(await request.readMetadata(), mode);
  if (isMetadataProblem(metadata)) {
    throw metadata.error === 'invalid_redirect_uri' ? new InvalidRedirectUri(metadata.description) : new InvalidClientMetadata(metadata.description);
  }

  let actor = { ...request.actor, name: 'registration' };
  if (mode === 'token') {
    const token = await deps.store.useRegistrationToken(sha256(request.initialAccessToken!), now);
    if (!token) throw new InvalidToken('the initial access token is unknown, expired, revoked or used up');
    actor = { ...actor, name: `registration:${token.id}` };
  }
  return clientInformation(await create(deps, actor, metadata), metadata, now);
}

async function countAttempt(deps: Uses<'config', LimitsStore>, ip: string | null, now: number): Promise<void> {
  const limit = deps.config.registrationRateLimitPerIp;
  if (limit === 0) return;
  const windowStart = now - (now % windowMs);
  const count = await deps.store.hitRateLimit(`register-ip:${ip ?? 'unknown'}`, windowStart);
  if (count > limit) throw new TooManyRequests((windowStart + windowMs - now) / 1000);
}

async function create(deps: Uses<'clock' | 'ids', ApisStore & ClientsStore>, actor: Actor, metadata: ClientMetadata) {
  try {
    return await createClient(deps, actor, {
      id: deps.ids.clientId(),
      public: metadata.tokenEndpointAuthMethod === 'none',
      grants: metadata.grantTypes,
      scopes: metadata.scopes,
      redirectUris: metadata.redirectUris,
      postLogoutRedirectUris: metadata.postLogoutRedirectUris,
      thirdParty: true,
      name: metadata.name,
      logoUri: metadata.logoUri,
      registeredBy: 'dynamic',
      ...registeredClientApis(await deps.store.listRegistrationApis(), metadata.grantTypes),
    });
  } catch (error) {
    // readClientMetadata checks what createClient does; should a rule of the client's settings still refuse it, it is the metadata's fault.
    if (error instanceof InvalidInput) throw new InvalidClientMetadata(error.message);
    throw error;
  }
}

/** RFC 7591 §3.2.1: the client's id, its secret once (never expiring: 0), and the metadata as registered. */
function clientInformation(created: Awaited<ReturnType<typeof createClient>>, metadata: ClientMetadata, now: number) {
  const { client, secret } = created;
  return {
    client_id: client.id,
    client_id_issued_at: Math.floor(now / 1000),
    ...(secret === null ? {} : { client_secret: secret, client_secret_expires_at: 0 }),
    ...(client.name === null ? {} : { client_name: client.name }),
    ...(client.logo_uri === null ? {} : { logo_uri: client.logo_uri }),
    redirect_uris: client.redirect_uris,
    ...(client.post_logout_redirect_uris.length > 0 ? { post_logout_redirect_uris: client.post_logout_redirect_uris } : {}),
    grant_types: client.grants,
    response_types: client.grants.includes('authorization_code') ? ['code'] : [],
    token_endpoint_auth_method: metadata.tokenEndpointAuthMethod,
    ...(client.scope === '' ? {} : { scope: client.scope }),
  };
}
