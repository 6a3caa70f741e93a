import { textProblem } from './text.js';
import type { User } from './types.js';

// The OpenID standard profile claims an operator may set on a user (OpenID Connect Core §5.1).

export type ProfileFields = Pick<User, 'name' | 'givenName' | 'familyName' | 'picture' | 'locale'>;

/** Each field's name on the wire, for messages the operator recognises. */
export const profileWireNames: Record<keyof ProfileFields, string> = {
  name: 'name',
  givenName: 'given_name',
  familyName: 'family_name',
  picture: 'picture',
  locale: 'locale',
};

const maxNameLength = 256;
const maxPictureLength = 2000;

/** RFC 5646 in outline: a 2–8 letter language, then subtags of 1–8 letters or digits (`en`, `ko-KR`, `zh-Hant-TW`). */
const languageTag = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

/** Why a profile field cannot take `value`, or null. Null clears a field and is always fine. */
export function profileFieldProblem(field: keyof ProfileFields, value: string | null): string | null {
  if (value === null) return null;
  const wire = profileWireNames[field];
  if (value.trim() === '') return `${wire} must not be blank (send null to clear it)`;
  if (field === 'picture') return textProblem(wire, value, maxPictureLength) ?? (isHttpsUrl(value) ? null : 'picture must be an https URL');
  if (field === 'locale') return value.length <= 35 && languageTag.test(value) ? null : 'locale must be a BCP 47 language tag such as en or ko-KR';
  return textProblem(wire, value, maxNameLength);
}

function isHttpsUrl(value: string): boolean {
  if (!/^https:\/\/[^\s"<>\\]+$/i.test(value)) return false;
  try {
    return new URL(value).hostname !== '';
  } catch {
    return false;
  }
}
