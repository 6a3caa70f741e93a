import { createLocalJWKSet, createRemoteJWKSet, customFetch, errors, type JWTVerifyGetKey } from 'jose';

export type IssuerKeysOptions = {
  url: string;
  fetch: typeof fetch;
  now: () => Date;
  /** Minimum time between refetches for an unknown kid, and between retries while the JWKS is unreachable. */
  cooldownMs: number;
  /** After this long the JWKS is refetched before use. */
  cacheMaxAgeMs: number;
};

/** Whether the error says the JWKS could not be fetched, rather than something about the token's key. */
const isFetchFailure = (error: unknown) =>
  !(error instanceof errors.JOSEError) || error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error.code === 'ERR_JOSE_GENERIC';

/**
 * The issuer's public keys: fetched and cached by jose, refetched for an unknown `kid` at most once per
 * cooldown. Once its cache is older than cacheMaxAge, jose refuses every token if the refetch fails; here
 * the keys last fetched stay in use while the JWKS cannot be reached (retried once per cooldown), so a
 * Tessera outage does not take every service that verifies its tokens down with it.
 */
export function issuerKeys(options: IssuerKeysOptions): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(options.url), {
    cooldownDuration: options.cooldownMs,
    cacheMaxAge: options.cacheMaxAgeMs,
    [customFetch]: (url, init) => options.fetch(url, init),
  });
  let stale: { keys: ReturnType<typeof createLocalJWKSet>; retryAt: number; failure: unknown } | undefined;

  const fromStale = async (current: NonNullable<typeof stale>, ...args: Parameters<JWTVerifyGetKey>) => {
    try {
      return await current.keys(...args);
    } catch (error) {
      // An unknown kid might be a new key we cannot fetch: that is the outage, not a bad token.
      throw error instanceof errors.JWKSNoMatchingKey ? current.failure : error;
    }
  };

  return async (header, token) => {
    const nowMs = options.now().getTime();
    if (stale && nowMs < stale.retryAt) return fromStale(stale, header, token);
    try {
      const key = await remote(header, token);
      stale = undefined;
      return key;
    } catch (error) {
      const last = remote.jwks();
      if (!last || !isFetchFailure(error)) throw error;
      stale = { keys: createLocalJWKSet(last), retryAt: nowMs + options.cooldownMs, failure: error };
      return fromStale(stale, header, token);
    }
  };
}
