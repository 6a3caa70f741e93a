import { textProblem } from './text.js';
import type { User } from './types.js';

/** The OpenID standard profile claims a user may have (OpenID Connect Core §5.1). */
export type Profile = Pick<User, 'name' | 'givenName' | 'familyName' | 'picture' | 'locale'>;

export const emptyProfile: Profile = { name: null, givenName: null, familyName: null, picture: null, locale: null };

/** Each field's name on the wire, for messages the operator recognises. */
export const profileWireNames: Record<keyof Profile, string> = {
  name: 'name',
  givenName: 'given_name',
  familyName: 'family_name',
  picture: 'picture',
  locale: 'locale',
};

const maxNameLength = 256;
const maxUrlLength = 2000;

/** RFC 5646 in outline: a 2–8 letter language, then subtags of 1–8 letters or digits (`en`, `ko-KR`, `zh-Hant-TW`). */
const languageTag = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

/** Why a text cannot be a name (`name`, `given_name`, `family_name`), or null. */
export function nameProblem(field: string, value: string): string | null {
  if (value.trim() === '') return `${field} must not be blank (send null to clear it)`;
  return textProblem(field, value, maxNameLength);
}

/** Why a text cannot be an https URL shown or handed to clients (a picture, a logo), or null: never in clear, never a script. */
export function httpsUrlProblem(field: string, value: string): string | null {
  const problem = textProblem(field, value, maxUrlLength);
  if (problem) return problem;
  if (!/^https:\/\/[^\s"<>\\]+$/i.test(value) || !URL.canParse(value) || new URL(value).hostname === '') return `${field} must be an https URL`;
  return null;
}

/** Why a text cannot be a locale, or null. */
export function localeProblem(value: string): string | null {
  return value.length <= 35 && languageTag.test(value) ? null : 'locale must be a BCP 47 language tag such as en or ko-KR';
}

/** Why a profile field cannot take `value`, or null. Null clears a field and is always fine. */
export function profileFieldProblem(field: keyof Profile, value: string | null): string | null {
  if (value === null) return null;
  const wire = profileWireNames[field];
  if (field === 'picture') return httpsUrlProblem(wire, value);
  if (field === 'locale') return localeProblem(value);
  return nameProblem(wire, value);
}

/**
 * The profile claims of an upstream provider that pass the checks above; each other one is left out
 * (a provider's odd picture or locale is no reason to refuse the sign-in).
 */
export function profileFromClaims(claims: Record<string, unknown>): Profile {
  const take = (field: keyof Profile): string | null => {
    const value = claims[profileWireNames[field]];
    return typeof value === 'string' && profileFieldProblem(field, value) === null ? value : null;
  };
  return { name: take('name'), givenName: take('givenName'), familyName: take('familyName'), picture: take('picture'), locale: take('locale') };
}
