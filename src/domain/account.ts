/** How recent a sign-in must be for a sensitive change on the account page (password, e-mail, a factor). */
export const reauthWindowMs = 5 * 60_000;

/** Whether a browser session whose password was checked at `authTime` may make a sensitive change at `now`. */
export const recentlySignedIn = (authTime: number, now: number): boolean => now - authTime <= reauthWindowMs;

/**
 * Whether unlinking one of `identities` leaves the user a way in: a password it knows, or another identity.
 * A user an upstream sign-in created knows no password until one is set.
 */
export const canUnlinkIdentity = (user: { passwordSet: boolean }, identities: number): boolean => user.passwordSet || identities > 1;
