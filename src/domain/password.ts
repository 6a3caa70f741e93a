import { dictionary } from '@zxcvbn-ts/language-common';

/** ASVS 5.0 V6.2: at least 8 characters, at most 256 (64 is the least a verifier must allow), any characters, no composition rules. */
export const minPasswordLength = 8;
export const maxPasswordLength = 256;

/**
 * Passwords people pick most, as found in breaches: zxcvbn-ts's ranked list (about 49,000, from the leaked
 * password corpora), shipped with the package, so no password leaves the process to be checked. Compared
 * without regard to case: `Password1` is as guessable as `password1`.
 */
const common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/** Why a new password is refused: each has a message on every page and for the operator. */
export type PasswordProblem = 'too_short' | 'too_long' | 'common';

/** Length is counted in characters (code points), so a password in Hangul is as long as it looks. */
export function passwordRule(password: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < minPasswordLength) return 'too_short';
  if (length > maxPasswordLength) return 'too_long';
  if (common.has(password.toLowerCase())) return 'common';
  return null;
}

/** The operator's (CLI, admin API) wording of a refusal; the pages have theirs in each language. */
export const passwordProblemMessages: Record<PasswordProblem, string> = {
  too_short: `password must be at least ${minPasswordLength} characters`,
  too_long: `password must be at most ${maxPasswordLength} characters`,
  common: 'password is one of the most common or breached passwords, which attackers try first; choose another',
};
