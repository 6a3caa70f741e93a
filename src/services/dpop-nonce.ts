import { jwtVerify } from 'jose';
import { signingAlgs } from '../config/schema.js';
import type { KeyRing } from '../keys/key-ring.js';
import { epochSeconds } from '../lib/clock.js';
import type { Uses } from './deps.js';

// DPoP nonces (RFC 9449 §8) without state: a nonce is a time window signed with Tessera's signing key, so every
// instance on the store hands out and accepts the same ones. A nonce is good for its window and the next.

const typ = 'dpop-nonce+jwt';
/** Seconds a nonce is handed out for; it is accepted for twice as long. */
export const dpopNonceWindow = 300;

// The nonce of the current window, per key ring: signed once per window, not per response.
const issued = new WeakMap<KeyRing, { window: number; kid: string; nonce: string }>();

type NonceDeps = Uses<'config' | 'keys' | 'clock'>;

/** The nonce to hand out now (the DPoP-Nonce header). */
export async function currentDpopNonce(deps: NonceDeps): Promise<string> {
  const now = deps.clock.now();
  const window = Math.floor(epochSeconds(now) / dpopNonceWindow);
  const kid = deps.keys.jwks(now).keys[0]?.kid ?? '';
  const cached = issued.get(deps.keys);
  if (cached && cached.window === window && cached.kid === kid) return cached.nonce;
  const iat = window * dpopNonceWindow;
  const nonce = await deps.keys.sign({ iss: deps.config.issuer, iat, exp: iat + 2 * dpopNonceWindow }, now, { typ });
  issued.set(deps.keys, { window, kid, nonce });
  return nonce;
}

/** Whether `nonce` is one this service handed out and still accepts. */
export async function isValidDpopNonce(deps: NonceDeps, nonce: unknown): Promise<boolean> {
  if (typeof nonce !== 'string' || nonce.length > 2048) return false;
  const now = deps.clock.now();
  try {
    await jwtVerify(nonce, deps.keys.published(now).verifier, { issuer: deps.config.issuer, typ, algorithms: [...signingAlgs], currentDate: now });
    return true;
  } catch {
    return false;
  }
}
