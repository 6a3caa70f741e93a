import { constants, createHash, createPrivateKey, sign as signBytes, type KeyObject } from 'node:crypto';
import { createLocalJWKSet, errors, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { signingAlgs, type Config } from '../config/schema.js';
import type { SigningKeyRecord } from '../domain/types.js';
import { Conflict } from '../errors/domain.js';
import type { Store } from '../store/types.js';
import { assertKeysOpen, openPrivateJwk, unencryptedKids } from './encryption.js';
import { TokenRejected } from '../errors/token-rejected.js';
import { KeyRingError } from './errors.js';
import { freshKeyPair, generateSigningKey, type KeyPairSource } from './generate.js';
import { activeKey, keyStates, prePublishTime, scheduledRotation, type KeyStates, type LifecycleTimes } from './lifecycle.js';

export { KeyRingError } from './errors.js';

export type KeyRingConfig = Pick<Config, 'signingAlg' | 'keyEncryptionKey' | 'accessTokenTtl' | 'jwksMaxAge' | 'keyRotationInterval' | 'issuer'>;

/**
 * `immediate`: the key signs at once, skipping pre-publication. `concurrent`: another instance
 * rotated at the same moment and its key serves this request too.
 */
export type RotationResult = {
  key: SigningKeyRecord;
  immediate: boolean;
  concurrent: boolean;
  prePublishSeconds: number;
  /** Kids of keys that were published but not signing yet and never will now: an immediate key overtook them. */
  droppedPending: string[];
};

/** Where the key ring tells operators about changes of the signing key (pino's signature). */
export type KeyLog = { info(details: Record<string, unknown>, message: string): void };

const silent: KeyLog = { info: () => {} };

const iso = (ms: number) => new Date(ms).toISOString();

/** How often an instance reloads the keys: the longest it may take to notice another instance's change. */
export const keyReloadSeconds = (config: Pick<Config, 'jwksMaxAge'>): number => Math.max(1, Math.min(30, Math.floor(config.jwksMaxAge / 2)));

export type KeyRing = ReturnType<typeof createKeyRing>;

/** The published key set as served: the JWKS, its JSON and its entity tag, built once per change of the set. */
export type PublishedKeys = { jwks: { keys: JWK[] }; json: string; etag: string; verifier: ReturnType<typeof createLocalJWKSet> };

const base64url = (text: string) => Buffer.from(text).toString('base64url');

/**
 * A compact JWS (RFC 7515 §7.1), signed synchronously with node:crypto: on a busy core this beats
 * WebCrypto, whose thread-pool job shares the core and costs a round trip to it (README, "Benchmarks").
 * ES256 signatures are the raw r||s pair (RFC 7518 §3.4), PS256 is RSASSA-PSS with a salt as long as the
 * SHA-256 hash (RFC 7518 §3.5), EdDSA signs the input itself (RFC 8037 §3.1).
 */
function signJws(encodedHeader: string, payload: JWTPayload, key: KeyObject, alg: string): string {
  const input = `${encodedHeader}.${base64url(JSON.stringify(payload))}`;
  const signature = alg === 'EdDSA' ? signBytes(null, Buffer.from(input), key) : signBytes('sha256', Buffer.from(input), signingKeyOptions(key, alg));
  return `${input}.${signature.toString('base64url')}`;
}

function signingKeyOptions(key: KeyObject, alg: string) {
  if (alg === 'ES256') return { key, dsaEncoding: 'ieee-p1363' as const };
  if (alg === 'PS256') return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  return key;
}

/**
 * The signing keys, read from the store. `refresh` reloads them, creates the first key, schedules
 * rotations and prunes dead keys; `reload` only reads them; everything else works from the loaded copy. `keyPairs` supplies the
 * material of new keys (fresh ones unless a test hands out fixtures).
 */
export function createKeyRing(store: Store, config: KeyRingConfig, { keyPairs = freshKeyPair, log = silent }: { keyPairs?: KeyPairSource; log?: KeyLog } = {}) {
  let records: SigningKeyRecord[] = [];
  // The key this instance last saw signing, so each change is logged once, when this instance first meets it.
  let signingKid: string | null = null;
  // Why the last refresh failed; null while refreshes succeed (readiness reports it).
  let refreshFailure: Error | null = null;
  const privateKeys = new Map<string, KeyObject>();
  // The encoded JWS header of each loaded key, per typ: the same bytes for every token it signs.
  const headers = new WeakMap<SigningKeyRecord, Map<string, string>>();
  let published: (PublishedKeys & { records: SigningKeyRecord[]; kids: string }) | null = null;
  // Key times are stored as epoch milliseconds, so the lifecycle works in milliseconds too.
  const times: LifecycleTimes = { accessTokenTtl: config.accessTokenTtl * 1000, reloadSlack: keyReloadSeconds(config) * 1000 };
  const prePublish = prePublishTime(config.jwksMaxAge * 1000, times);

  const statesAt = (now: Date): KeyStates => keyStates(records, now.getTime(), times);
  const load = async () => {
    records = await store.listSigningKeys();
    // A missing or wrong KEY_ENCRYPTION_KEY fails here, before this instance adds keys the others cannot open.
    assertKeysOpen(records, config.keyEncryptionKey);
  };

  /** The one conditional write: inserting a seq fails for every instance but the first. */
  async function insert(seq: number, activatesAt: number, now: Date): Promise<SigningKeyRecord | null> {
    const key = await generateSigningKey(config.signingAlg, { seq, activatesAt, createdAt: now.getTime() }, config.keyEncryptionKey, keyPairs);
    try {
      await store.insertSigningKey(key, [{ type: 'key.rotated', data: { kid: key.kid, alg: key.alg, activatesAt } }]);
      log.info({ kid: key.kid, alg: key.alg, seq, activates_at: iso(activatesAt) }, 'signing key created');
      return key;
    } catch (error) {
      if (error instanceof Conflict) return null;
      throw error;
    }
  }

  /** Logs a change of the key that signs: the new one activated and the one before it retired. */
  function notice(active: SigningKeyRecord | null): void {
    if (active === null || active.kid === signingKid) return;
    if (signingKid === null) log.info({ kid: active.kid, alg: active.alg }, 'signing with key');
    else {
      log.info({ kid: active.kid, alg: active.alg, activated_at: iso(active.activatesAt) }, 'signing key activated');
      log.info({ kid: signingKid, successor: active.kid }, 'signing key retired: published until its tokens have expired');
    }
    signingKid = active.kid;
  }

  function privateKeyFor(record: SigningKeyRecord): KeyObject {
    const cached = privateKeys.get(record.kid);
    if (cached) return cached;
    const key = createPrivateKey({ key: JSON.parse(openPrivateJwk(record, config.keyEncryptionKey)) as JWK & { kty: string }, format: 'jwk' });
    privateKeys.set(record.kid, key);
    return key;
  }

  function encodedHeader(record: SigningKeyRecord, typ: string): string {
    let byTyp = headers.get(record);
    if (!byTyp) {
      byTyp = new Map();
      headers.set(record, byTyp);
    }
    let header = byTyp.get(typ);
    if (header === undefined) {
      header = base64url(JSON.stringify({ alg: record.alg, typ, kid: record.kid }));
      byTyp.set(typ, header);
    }
    return header;
  }

  /** Reloads the keys, creates the first key or the scheduled successor, and prunes dead keys. */
  async function refreshAt(now: Date): Promise<void> {
    await load();
    const plan = scheduledRotation(statesAt(now), now.getTime(), config.keyRotationInterval * 1000, prePublish);
    if (plan) {
      await insert(plan.seq, plan.activatesAt, now); // null: another instance planned the same successor first
      await load();
    }
    const states = statesAt(now);
    for (const dead of states.expired) {
      await store.deleteSigningKey(dead.kid);
      log.info({ kid: dead.kid }, 'signing key removed: no token it signed is still valid');
    }
    if (states.expired.length > 0) await load();
    for (const kid of privateKeys.keys()) if (!records.some((r) => r.kid === kid)) privateKeys.delete(kid);
    // Importing the keys that will sign now, not at the first login, surfaces a broken key at startup.
    for (const key of [...(states.active ? [states.active] : []), ...states.next]) privateKeyFor(key);
    notice(states.active);
  }

  const ring = {
    prePublishSeconds: prePublish / 1000,

    async refresh(now: Date): Promise<void> {
      try {
        await refreshAt(now);
        refreshFailure = null;
      } catch (error) {
        refreshFailure = error as Error;
        throw error;
      }
    },

    /** Why the last refresh from the store failed, or null when it succeeded (or none ran yet). */
    refreshFailure: (): Error | null => refreshFailure,

    /** Reads the keys again, writing nothing: what a listing needs (rotation and pruning are refresh's). */
    reload: load,

    /**
     * Publishes a new key that signs after the pre-publication time, or at once when `immediate`
     * (an emergency: verifiers holding a cached JWKS must refetch on the unknown kid).
     */
    async rotate(now: Date, { immediate }: { immediate: boolean }): Promise<RotationResult> {
      const at = now.getTime();
      for (let attempt = 0; attempt < 5; attempt++) {
        await load();
        const pending = statesAt(now).next;
        const seq = Math.max(0, ...records.map((r) => r.seq)) + 1;
        const key = await insert(seq, immediate ? at : at + prePublish, now);
        await load();
        const winner = key ?? records.find((r) => r.seq === seq);
        // An emergency needs a key that signs now; a scheduled winner is not enough.
        if (winner && (key || !immediate || winner.activatesAt <= at)) {
          // A pending key that an immediate one overtakes would sign for less than nothing: it is left out of the JWKS now.
          const { expired } = statesAt(now);
          const droppedPending = pending.filter((p) => expired.some((e) => e.kid === p.kid)).map((p) => p.kid);
          for (const kid of droppedPending) log.info({ kid, successor: winner.kid }, 'pending signing key dropped: it will never sign');
          notice(statesAt(now).active);
          const prePublishSeconds = Math.max(0, winner.activatesAt - at) / 1000;
          return { key: winner, immediate: winner.activatesAt <= at, concurrent: key === null, prePublishSeconds, droppedPending };
        }
      }
      throw new KeyRingError('rotation_contended', 'could not rotate: other instances kept rotating at the same time; try again');
    },

    states: statesAt,

    /** Kids of keys stored in clear although KEY_ENCRYPTION_KEY is set (`tessera keys encrypt` seals them). */
    unencryptedKeys: (): string[] => (config.keyEncryptionKey ? unencryptedKids(records) : []),

    isReady(now: Date): boolean {
      return statesAt(now).active !== null;
    },

    /** The published keys, newest first: next, active and retired. */
    jwks(now: Date): { keys: JWK[] } {
      return ring.published(now).jwks;
    },

    /** The published keys with their served form; rebuilt only when the loaded rows or the published set change. */
    published(now: Date): PublishedKeys {
      const { active, next, retired } = statesAt(now);
      const keys = [...next, ...(active ? [active] : []), ...retired].sort((a, b) => b.seq - a.seq);
      const kids = keys.map((k) => k.kid).join(' ');
      if (published?.records !== records || published.kids !== kids) {
        const jwks = { keys: keys.map((k) => JSON.parse(k.publicJwk) as JWK) };
        const json = JSON.stringify(jwks);
        const etag = `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;
        published = { records, kids, jwks, json, etag, verifier: createLocalJWKSet(jwks) };
      }
      return published;
    },

    /** Signs with the active key; `typ` is `at+jwt` (RFC 9068) unless another kind of token is asked for, e.g. an id_token's `JWT`. */
    async sign(claims: JWTPayload, now: Date, { typ = 'at+jwt' }: { typ?: string } = {}): Promise<string> {
      const active = activeKey(records, now.getTime());
      if (!active) throw new KeyRingError('no_active_key', 'no active signing key');
      // A scheduled successor starts signing here, at its activation time, whenever the last refresh ran.
      if (active.kid !== signingKid) notice(active);
      return signJws(encodedHeader(active, typ), claims, privateKeyFor(active), active.alg);
    },

    /** Verifies one of our own access tokens (signature, typ, iss, exp); throws TokenRejected otherwise. */
    async verify(token: string, now: Date): Promise<JWTPayload> {
      try {
        const { payload } = await jwtVerify(token, ring.published(now).verifier, {
          issuer: config.issuer,
          typ: 'at+jwt',
          algorithms: [...signingAlgs],
          currentDate: now,
          requiredClaims: ['exp', 'iat', 'sub', 'jti'],
        });
        return payload;
      } catch (error) {
        throw new TokenRejected(error instanceof errors.JWTExpired ? 'expired' : 'invalid');
      }
    },
  };
  return ring;
}
