import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import type { Config } from '../config/schema.js';
import type { SigningKeyRecord } from '../domain/types.js';
import { Conflict } from '../errors/store.js';
import { epochSeconds } from '../lib/clock.js';
import { isSealed, unseal } from '../lib/seal.js';
import type { Store } from '../store/types.js';
import { generateSigningKey, privateKeyContext } from './generate.js';
import { keyStates, scheduledRotation, type KeyStates } from './lifecycle.js';

export class KeyRingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyRingError';
  }
}

export type KeyRingConfig = Pick<Config, 'signingAlg' | 'keyEncryptionKey' | 'accessTokenTtl' | 'jwksMaxAge' | 'keyRotationInterval' | 'issuer'>;

export type RotationResult = { key: SigningKeyRecord; immediate: boolean };

/** How long another instance may take to notice a key change (its reload period). */
export const keyReloadSeconds = (config: Pick<Config, 'jwksMaxAge'>): number => Math.max(1, Math.min(30, Math.floor(config.jwksMaxAge / 2)));

export type KeyRing = ReturnType<typeof createKeyRing>;

/**
 * The signing keys, read from the store. `refresh` reloads them, creates the first key, schedules
 * rotations and prunes dead keys; everything else works from the loaded copy.
 */
export function createKeyRing(store: Store, config: KeyRingConfig) {
  let records: SigningKeyRecord[] = [];
  const privateKeys = new Map<string, CryptoKey | Uint8Array>();
  const times = { accessTokenTtl: config.accessTokenTtl, reloadSlack: keyReloadSeconds(config) };

  const statesAt = (now: Date): KeyStates => keyStates(records, epochSeconds(now), times);

  async function insert(seq: number, activatesAt: number, now: Date): Promise<SigningKeyRecord | null> {
    const key = await generateSigningKey(config.signingAlg, { seq, activatesAt, createdAt: epochSeconds(now) }, config.keyEncryptionKey);
    try {
      await store.insertSigningKey(key);
      return key;
    } catch (error) {
      if (error instanceof Conflict) return null; // another instance took this seq first; its key serves
      throw error;
    }
  }

  async function privateKeyFor(record: SigningKeyRecord): Promise<CryptoKey | Uint8Array> {
    const cached = privateKeys.get(record.kid);
    if (cached) return cached;
    const json = openPrivateJwk(record, config.keyEncryptionKey);
    const key = await importJWK(JSON.parse(json) as JWK, record.alg);
    privateKeys.set(record.kid, key);
    return key;
  }

  const ring = {
    async refresh(now: Date): Promise<void> {
      records = await store.listSigningKeys();
      const plan = scheduledRotation(statesAt(now), epochSeconds(now), config.keyRotationInterval, config.jwksMaxAge);
      if (plan) {
        await insert(plan.seq, plan.activatesAt, now);
        records = await store.listSigningKeys();
      }
      const states = statesAt(now);
      for (const dead of states.expired) await store.deleteSigningKey(dead.kid);
      if (states.expired.length > 0) records = await store.listSigningKeys();
      // Opening the active key now turns a wrong KEY_ENCRYPTION_KEY into a startup error, not a failed login.
      if (states.active) await privateKeyFor(states.active);
    },

    /**
     * Publishes a new key that signs after one JWKS cache lifetime, or at once when `immediate`
     * (an emergency: verifiers holding a cached JWKS refetch on the unknown kid).
     */
    async rotate(now: Date, { immediate }: { immediate: boolean }): Promise<RotationResult> {
      for (let attempt = 0; attempt < 5; attempt++) {
        records = await store.listSigningKeys();
        const seq = (records.at(-1)?.seq ?? 0) + 1;
        const key = await insert(seq, epochSeconds(now) + (immediate ? 0 : config.jwksMaxAge), now);
        if (key) {
          records = await store.listSigningKeys();
          return { key, immediate };
        }
      }
      throw new KeyRingError('could not rotate: other instances kept rotating at the same time');
    },

    states: statesAt,

    isReady(now: Date): boolean {
      return statesAt(now).active !== null;
    },

    /** The published keys: next, active and retired. */
    jwks(now: Date): { keys: JWK[] } {
      const { active, next, retired } = statesAt(now);
      const published = [...next, ...(active ? [active] : []), ...retired].sort((a, b) => b.seq - a.seq);
      return { keys: published.map((k) => JSON.parse(k.publicJwk) as JWK) };
    },

    async sign(claims: JWTPayload, now: Date): Promise<string> {
      const active = statesAt(now).active;
      if (!active) throw new KeyRingError('no active signing key');
      return new SignJWT(claims)
        .setProtectedHeader({ alg: active.alg, typ: 'at+jwt', kid: active.kid })
        .sign(await privateKeyFor(active));
    },

    /** Verifies one of our own access tokens (signature, typ, iss, exp); throws a jose error otherwise. */
    async verify(token: string, now: Date): Promise<JWTPayload> {
      const { payload } = await jwtVerify(token, createLocalJWKSet(ring.jwks(now)), {
        issuer: config.issuer,
        typ: 'at+jwt',
        algorithms: ['RS256', 'ES256', 'EdDSA'],
        currentDate: now,
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      });
      return payload;
    },
  };
  return ring;
}

export function openPrivateJwk(record: SigningKeyRecord, keyEncryptionKey: Uint8Array | null): string {
  if (!isSealed(record.privateJwk)) return record.privateJwk;
  if (!keyEncryptionKey) throw new KeyRingError(`signing key ${record.kid} is encrypted: set KEY_ENCRYPTION_KEY`);
  const json = unseal(keyEncryptionKey, record.privateJwk, privateKeyContext(record.kid));
  if (json === null) throw new KeyRingError(`KEY_ENCRYPTION_KEY does not open signing key ${record.kid}: wrong key`);
  return json;
}
