import type { User } from './types.js';
import { textProblem } from './text.js';

/** The OpenID standard profile claims a user may have (OpenID Connect Core §5.1). */
export type Profile = Pick<User, 'name' | 'givenName' | 'familyName' | 'picture' | 'locale'>;

export const emptyProfile: Profile = { name: null, givenName: null, familyName: null, picture: null, locale: null };

const maxNameLength = 200;
const maxPictureLength = 2000;

/** Why a text cannot be a name (`name`, `given_name`, `family_name`), or null. */
export function nameProblem(field: string, value: string): string | null {
  if (value.trim() === '') return `${field} must not be empty`;
  return textProblem(field, value, maxNameLength);
}

/** Why a text cannot be a picture URL, or null: only https, so a page never loads one in clear or runs one. */
export function pictureProblem(value: string): string | null {
  const problem = textProblem('picture', value, maxPictureLength);
  if (problem) return problem;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'picture must be an https URL';
  }
  return url.protocol === 'https:' && url.hostname !== '' && !/[\s<>"]/.test(value) ? null : 'picture must be an https URL';
}

/** Why a text cannot be a locale, or null: a language tag as BCP 47 shapes it (`en`, `ko-KR`, `zh-Hant-TW`). */
export function localeProblem(value: string): string | null {
  return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,6}$/.test(value) && value.length <= 35 ? null : 'locale must be a language tag such as en or ko-KR';
}

/**
 * The profile claims of an upstream provider that pass the checks above; each other one is left out
 * (a provider's odd picture or locale is no reason to refuse the sign-in).
 */
export function profileFromClaims(claims: Record<string, unknown>): Profile {
  const take = (value: unknown, problem: (text: string) => string | null): string | null =>
    typeof value === 'string' && problem(value) === null ? value : null;
  return {
    name: take(claims.name, (v) => nameProblem('name', v)),
    givenName: take(claims.given_name, (v) => nameProblem('given_name', v)),
    familyName: take(claims.family_name, (v) => nameProblem('family_name', v)),
    picture: take(claims.picture, pictureProblem),
    locale: take(claims.locale, localeProblem),
  };
}
