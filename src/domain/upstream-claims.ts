import { emailProblem } from './email.js';
import { profileFromClaims, type Profile } from './profile.js';
import { textProblem } from './text.js';

/** What Tessera takes from a verified upstream id_token: the account's `sub` and the claims that pass their checks. */
export type UpstreamIdentity = {
  sub: string;
  email: string | null;
  /** The provider says it verified `email`; false without one. */
  emailVerified: boolean;
  preferredUsername: string | null;
  profile: Profile;
};

/** OpenID Connect Core §2: a `sub` is at most 255 ASCII characters long. */
const maxSubjectLength = 255;
const maxPreferredUsernameLength = 255;

/**
 * The identity in a verified id_token's claims, or why there is none. The `sub` names the account, so
 * one that cannot be stored faithfully refuses the sign-in; any other claim that fails its check is
 * left out as if the provider had not sent it.
 */
export function readUpstreamIdentity(claims: Record<string, unknown>): UpstreamIdentity | { problem: string } {
  const { sub } = claims;
  if (typeof sub !== 'string' || sub === '') return { problem: 'sub is missing' };
  const problem = textProblem('sub', sub, maxSubjectLength);
  if (problem) return { problem };
  const email = typeof claims.email === 'string' && emailProblem(claims.email) === null ? claims.email : null;
  const username = claims.preferred_username;
  return {
    sub,
    email,
    emailVerified: email !== null && claims.email_verified === true,
    preferredUsername: typeof username === 'string' && textProblem('preferred_username', username, maxPreferredUsernameLength) === null ? username : null,
    profile: profileFromClaims(claims),
  };
}
