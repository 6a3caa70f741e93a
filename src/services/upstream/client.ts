import * as oidc from 'openid-client';
import type { Config } from '../../config/schema.js';
import { textProblem } from '../../domain/text.js';
import type { Provider } from '../../domain/upstream.js';
import { openStoredSecret, storeSecret } from '../../lib/seal.js';
import type { Uses } from '../deps.js';

// Tessera as a relying party: openid-client does discovery, PKCE, state, nonce and every id_token
// check (issuer, audience, expiry, nonce, signature against the provider's JWKS). Nothing here
// reads a JWT by hand.

/** Why a provider could not be used; `message` is one line an operator or a log reader can act on. */
export class UpstreamError extends Error {
  constructor(
    readonly reason: 'unreachable' | 'timeout' | 'bad_metadata' | 'rejected' | 'secret_unreadable',
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

/** Loopback issuers may be plain http (a provider on the same machine, or in tests); every other one must be https. */
export function issuerProblem(issuer: string): string | null {
  const text = textProblem('issuer', issuer, 2000);
  if (text) return text;
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'issuer must be a URL, e.g. https://accounts.google.com';
  }
  if (url.search || url.hash || url.username || url.password) return 'issuer must have no query, fragment or credentials';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return null;
  return 'issuer must be an https URL (plain http only on loopback)';
}

const isLoopback = (host: string) => host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

const secretContext = (providerId: string) => `tessera provider ${providerId} client secret`;
/** The client secret as stored: sealed with KEY_ENCRYPTION_KEY when it is set. */
export const storedSecret = (config: Pick<Config, 'keyEncryptionKey'>, providerId: string, secret: string): string =>
  storeSecret(config.keyEncryptionKey, secret, secretContext(providerId));

export function openProviderSecret(config: Pick<Config, 'keyEncryptionKey'>, provider: Provider): string {
  const opened = openStoredSecret(config.keyEncryptionKey, provider.clientSecret, secretContext(provider.id));
  if (opened === null)
    throw new UpstreamError('secret_unreadable', `the client secret of provider ${provider.id} is encrypted with another KEY_ENCRYPTION_KEY (or none is set)`);
  return opened;
}

/** Discovery (OpenID Connect Discovery 1.0) of `issuer` for this client, within the configured timeout. */
export async function discover(config: Pick<Config, 'upstreamTimeout'>, issuer: string, clientId: string, clientSecret: string): Promise<oidc.Configuration> {
  const url = new URL(issuer);
  const insecure = url.protocol === 'http:' ? [oidc.allowInsecureRequests] : [];
  let discovered: oidc.Configuration;
  try {
    // The client authenticates as the provider says it can: Basic is the default (RFC 8414 §2), Kakao takes only the form post.
    discovered = await oidc.discovery(url, clientId, undefined, undefined, { timeout: config.upstreamTimeout, execute: insecure });
  } catch (error) {
    const failure = describeFailure(error, issuer, config.upstreamTimeout);
    if (failure.reason !== 'rejected') throw failure;
    throw new UpstreamError('bad_metadata', `${issuer} did not answer with valid OpenID provider metadata (${failure.detail})`);
  }
  const metadata = discovered.serverMetadata();
  const missing = (['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const).filter((name) => typeof metadata[name] !== 'string');
  if (missing.length > 0) throw new UpstreamError('bad_metadata', `the metadata of ${issuer} lacks ${missing.join(', ')}`);
  const methods = metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
  const auth = methods.includes('client_secret_basic') ? oidc.ClientSecretBasic(clientSecret) : oidc.ClientSecretPost(clientSecret);
  const configuration = new oidc.Configuration(metadata, clientId, undefined, auth);
  configuration.timeout = config.upstreamTimeout;
  for (const allow of insecure) allow(configuration);
  // OpenID Connect Core §3.1.3.7 lets a client skip the id_token signature when TLS vouches for the
  // token endpoint, and openid-client does unless asked: Tessera checks it against the JWKS always.
  oidc.enableNonRepudiationChecks(configuration);
  return configuration;
}

/** One line for an operator: the provider cannot be reached, is too slow, or its answer was refused (and why). */
export function describeFailure(error: unknown, issuer: string, timeout: number): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const name = error instanceof Error ? error.name : '';
  const code = (error as { code?: unknown }).code;
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'OAUTH_TIMEOUT' || code === 'OAUTH_ABORT')
    return new UpstreamError('timeout', `${issuer} did not answer within ${timeout}s`);
  if (error instanceof TypeError && error.message === 'fetch failed') {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return new UpstreamError('unreachable', `${issuer} cannot be reached (${cause?.code ?? cause?.message ?? 'network error'})`);
  }
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 200);
  return new UpstreamError('rejected', `${issuer}: ${message}`, message);
}

const cacheTtlMs = 3_600_000;
type Cached = { configuration: Promise<oidc.Configuration>; at: number };
/** Per store (so per service, and per test), per provider as configured: discovery runs once an hour, not per sign-in. */
const cache = new WeakMap<object, Map<string, Cached>>();

/** The provider's openid-client Configuration, discovered at most once an hour; a failed discovery is not kept. */
export function providerConfiguration(deps: Uses<'config'> & { store: object }, provider: Provider, now: number): Promise<oidc.Configuration> {
  const entries = cache.get(deps.store) ?? new Map<string, Cached>();
  cache.set(deps.store, entries);
  const key = JSON.stringify([provider.id, provider.issuer, provider.clientId, provider.createdAt]);
  const hit = entries.get(key);
  if (hit && now - hit.at < cacheTtlMs) return hit.configuration;
  const configuration = Promise.resolve()
    .then(() => discover(deps.config, provider.issuer, provider.clientId, openProviderSecret(deps.config, provider)))
    .catch((error: unknown) => {
      entries.delete(key);
      throw error;
    });
  entries.set(key, { configuration, at: now });
  return configuration;
}
