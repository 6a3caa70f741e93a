import type { AuditStore, LimitsStore, UsersStore } from '../store/types.js';
import type { User } from '../domain/types.js';
import { normalizeUsername } from '../domain/username.js';
import { InvalidGrant, TooManyRequests } from '../errors/oauth.js';
import { sha256 } from '../lib/hash.js';
import { recordAudit } from './audit.js';
import type { Actor, Uses } from './deps.js';
import { maxLoginPasswordLength } from './users.js';

export type LoginAttempt = {
  username: string;
  password: string;
  /** The client the user logs in through, already authenticated; null on the account page, where no client sent the user. */
  clientId: string | null;
  /** The client IP (behind trusted proxies, the forwarded one); null when unknown. */
  ip: string | null;
};

/** One answer for every failure, so it never tells which part was wrong. */
export const wrongCredentials = 'wrong username or password';

const windowMs = 60_000;

/**
 * Checks a username and password: the use case behind every password login (the password grant,
 * the hosted login form). Returns the user and `authTime`, the instant the check began (a session
 * started from it is refused if the password changes after that instant), or throws InvalidGrant (wrong user, wrong password,
 * disabled user: one message, one argon2 verification each) or TooManyRequests.
 *
 * Failed checks are counted per normalised username (over all clients) and per client IP, in
 * one-minute windows shared through the store. Only failures count, so logins from many devices
 * never lock a user out, and the caller has already authenticated the client, so a request with a
 * bad client never reaches a user's counter. Once a counter is at its limit the attempt is refused
 * before argon2 runs, even with the right password. Concurrent attempts may each pass the check
 * before any of them counts, overshooting a limit by at most the attempts in flight.
 */
export async function authenticateUser(
  deps: Uses<'clock' | 'config' | 'dummyPasswordHash' | 'hasher' | 'ids', AuditStore & LimitsStore & UsersStore>,
  actor: Actor,
  attempt: LoginAttempt,
): Promise<{ user: User; authTime: number }> {
  const username = normalizeUsername(attempt.username);
  const began = deps.clock.now().getTime();
  const limits = await checkAttemptLimits(deps, username, attempt.ip);
  // Longer than any password can be: refused without asking argon2 to hash it.
  if (attempt.password.length > maxLoginPasswordLength) throw new InvalidGrant(wrongCredentials);

  const user = await deps.store.findUserByUsername(username);
  // An unknown user costs one argon2 verification too, so timing does not tell which part was wrong.
  const matches = await deps.hasher.verify(user?.passwordHash ?? deps.dummyPasswordHash, attempt.password);
  if (user && matches && user.disabledAt === null) return { user, authTime: began };

  await limits.countFailure();
  await recordAudit(deps, actor, {
    type: 'login.failed',
    userId: user?.id ?? null,
    clientId: attempt.clientId,
    details: { reason: !user ? 'unknown_user' : !matches ? 'wrong_password' : 'user_disabled' },
  });
  throw new InvalidGrant(wrongCredentials);
}

/**
 * The failed-attempt limits of one sign-in (contract section 10), per normalised username and per client
 * IP in one-minute windows: throws TooManyRequests once either is reached; `countFailure` counts a failed
 * check (a wrong password, or a wrong second-factor code, which counts the same).
 */
export async function checkAttemptLimits(
  deps: Uses<'clock' | 'config', LimitsStore>,
  username: string,
  ip: string | null,
): Promise<{ countFailure(): Promise<void> }> {
  const now = deps.clock.now().getTime();
  const windowStart = now - (now % windowMs);
  const counters = [
    // Hashed, so the counters hold no usernames and stay small whatever was sent.
    { key: `login-user:${sha256(username)}`, limit: deps.config.loginRateLimitPerUser },
    { key: `login-ip:${ip ?? 'unknown'}`, limit: deps.config.loginRateLimitPerIp },
  ].filter((counter) => counter.limit > 0);
  for (const { key, limit } of counters) {
    if ((await deps.store.peekRateLimit(key, windowStart)) >= limit) throw new TooManyRequests((windowStart + windowMs - now) / 1000);
  }
  return {
    async countFailure() {
      for (const { key } of counters) await deps.store.hitRateLimit(key, windowStart);
    },
  };
}
