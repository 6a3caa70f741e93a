import { createLocalJWKSet, errors, type JWTVerifyGetKey, type JSONWebKeySet } from 'jose';
import { parseClientJwks } from '../domain/client-keys.js';
import type { Client } from '../domain/types.js';
import type { Uses } from './deps.js';

// The keys a private_key_jwt client signs with: inline, or fetched from its jwks_uri and cached per process.

/** How long fetched keys serve before they are fetched again. */
export const jwksCacheMs = 300_000;
/** An unknown kid refetches the keys at most this often per client, so forged kids cannot make Tessera hammer the client's server. */
export const jwksRefetchCooldownMs = 10_000;
const maxResponseBytes = 64 * 1024;

/** Why the keys behind a jwks_uri could not be had; the caller answers invalid_client. */
export class ClientKeysUnavailable extends Error {}

type Entry = { uri: string; keys: JSONWebKeySet; fetchedAt: number };
type Cache = Map<string, Entry>;

// One cache per store, so two services in one process (tests) never share keys.
const caches = new WeakMap<object, Cache>();

function cacheOf(deps: Uses<never> & { store: object }): Cache {
  const cache = caches.get(deps.store) ?? new Map<string, Entry>();
  caches.set(deps.store, cache);
  return cache;
}

/** A key resolver for jose's jwtVerify over the client's keys; a kid not among cached keys refetches them (rate-limited). */
export async function clientKeyResolver(deps: Uses<'clock' | 'config' | 'log'> & { store: object }, client: Client): Promise<JWTVerifyGetKey> {
  if (client.jwks !== null) return createLocalJWKSet(JSON.parse(client.jwks) as JSONWebKeySet);
  const uri = client.jwksUri!;
  const cache = cacheOf(deps);
  const now = deps.clock.now().getTime();
  let entry = cache.get(client.id);
  if (!entry || entry.uri !== uri || now - entry.fetchedAt >= jwksCacheMs) entry = await refetch(deps, cache, client.id, uri, now);
  const current = entry;
  return async (header, token) => {
    try {
      return await createLocalJWKSet(current.keys)(header, token);
    } catch (error) {
      const unknownKey = error instanceof errors.JWKSNoMatchingKey;
      if (!unknownKey || now - current.fetchedAt < jwksRefetchCooldownMs) throw error;
      const fresh = await refetch(deps, cache, client.id, uri, now);
      return createLocalJWKSet(fresh.keys)(header, token);
    }
  };
}

async function refetch(deps: Uses<'config' | 'log'>, cache: Cache, clientId: string, uri: string, now: number): Promise<Entry> {
  try {
    const entry = { uri, keys: await fetchJwks(uri, deps.config.upstreamTimeout), fetchedAt: now };
    cache.set(clientId, entry);
    return entry;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    deps.log.warn({ client_id: clientId, jwks_uri: uri, reason }, 'client keys could not be fetched');
    // A failed fetch also waits out the cooldown before the next try.
    const stale = cache.get(clientId);
    if (stale && stale.uri === uri) cache.set(clientId, { ...stale, fetchedAt: now });
    throw new ClientKeysUnavailable(reason);
  }
}

async function fetchJwks(uri: string, timeoutSeconds: number): Promise<JSONWebKeySet> {
  const response = await fetch(uri, { signal: AbortSignal.timeout(timeoutSeconds * 1000), redirect: 'error', headers: { accept: 'application/json' } });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`${uri} answered ${response.status}`);
  }
  const text = await boundedText(response, maxResponseBytes);
  if (text === null) throw new Error(`${uri} answered more than ${maxResponseBytes} bytes`);
  const parsed = parseClientJwks(text);
  if ('problem' in parsed) throw new Error(`${uri}: ${parsed.problem}`);
  return JSON.parse(parsed.jwks) as JSONWebKeySet;
}

/** The body as text, read no further than `max` bytes: null when it is longer, so a hostile server cannot fill the memory. */
async function boundedText(response: Response, max: number): Promise<string | null> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) {
      await response.body.cancel().catch(() => {});
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
