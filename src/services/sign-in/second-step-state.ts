import { createLocalJWKSet, jwtVerify } from 'jose';
import type { AuthorizationRequest } from '../../domain/authorize.js';
import { epochSeconds } from '../../lib/clock.js';
import { sha256 } from '../../lib/hash.js';
import type { Uses } from '../deps.js';

// Between the first step (a password, an upstream provider, a browser session asked to step up) and the
// second, what was proved rides in the page's form, signed with the active key like the pending request
// (pending-request.ts), and bound to the browser that saw the page (the hash of its CSRF cookie).

const typ = 'tessera-second-step+jwt';
/** How long the second-step page stays usable. */
const ttl = 300;

export type SecondStepState = {
  request: AuthorizationRequest;
  userId: string;
  authTime: number;
  amr: string[];
  provider: string | null;
  /** The hash of the browser's CSRF token: the form works only in the browser it was shown in. */
  browser: string;
  /** True once a factor was enrolled in this sign-in (forced enrollment): it continues without asking one more. */
  passed: boolean;
};

type KeyDeps = Uses<'config' | 'keys' | 'clock'>;

export const browserBinding = (csrfToken: string) => sha256(`second-step:${csrfToken}`);

export async function sealSecondStep(deps: KeyDeps, state: SecondStepState): Promise<string> {
  const now = deps.clock.now();
  const iat = epochSeconds(now);
  return deps.keys.sign({ iss: deps.config.issuer, aud: `${deps.config.issuer}/login/second-step`, iat, exp: iat + ttl, ...state }, now, { typ });
}

/** The state a form carried, or null when it is missing, altered, expired, not ours or from another browser. */
export async function openSecondStep(deps: KeyDeps, sealed: string | undefined, csrfToken: string | undefined): Promise<SecondStepState | null> {
  if (!sealed || sealed.length > 16_384 || !csrfToken) return null;
  const now = deps.clock.now();
  try {
    const { payload } = await jwtVerify(sealed, createLocalJWKSet(deps.keys.jwks(now)), {
      issuer: deps.config.issuer,
      audience: `${deps.config.issuer}/login/second-step`,
      typ,
      algorithms: ['RS256', 'ES256', 'EdDSA'],
      currentDate: now,
    });
    const state = payload as unknown as SecondStepState;
    if (typeof state.userId !== 'string' || !Array.isArray(state.amr) || state.browser !== browserBinding(csrfToken)) return null;
    return state;
  } catch {
    return null;
  }
}
