import type { Family, RefreshToken } from './types.js';

/** When a new token of a family expires: idle TTL (seconds) from now (ms), never past the family's absolute end. */
export const refreshTokenExpiry = (now: number, idleTtlSeconds: number, family: Pick<Family, 'expiresAt'>): number =>
  Math.min(now + idleTtlSeconds * 1000, family.expiresAt);

export type PresentedTokenState = { kind: 'revoked' } | { kind: 'expired' } | { kind: 'unused' } | { kind: 'retry' } | { kind: 'reuse' };

/**
 * What a presented refresh token means (README, "Refresh tokens, for client authors"). `successor` is the token it was
 * exchanged for, when it was.
 */
export function classifyPresentedToken(input: {
  token: RefreshToken;
  family: Family;
  successor: RefreshToken | null;
  /** Epoch milliseconds, like every stored instant. */
  now: number;
  /** The retry window in milliseconds: a 2 s window is 2000 ms, not "this second or the next". */
  grace: number;
}): PresentedTokenState {
  const { token, family, successor, now, grace } = input;
  if (family.revokedAt !== null) return { kind: 'revoked' };
  // Expiry comes before reuse: the background cleanup deletes expired rows, and an expired token
  // must get the same answer whether or not its row is still there.
  if (now >= family.expiresAt || now >= token.expiresAt) return { kind: 'expired' };
  if (token.usedAt === null) return { kind: 'unused' };
  const withinGrace = grace > 0 && now - token.usedAt <= grace;
  const successorUnused = successor !== null && successor.usedAt === null && now < successor.expiresAt;
  return withinGrace && successorUnused ? { kind: 'retry' } : { kind: 'reuse' };
}

/** Whether a presented refresh token would be accepted now (introspection): fresh, or a retry within the window. */
export const isExchangeable = (state: PresentedTokenState): boolean => state.kind === 'unused' || state.kind === 'retry';
