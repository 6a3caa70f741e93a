import { textProblem } from './text.js';

const maxEmailLength = 254;

/** Why a text cannot be kept as an e-mail address, or null: one @, something before it, a dotted domain after it, nothing that could break a header or a page. */
export function emailProblem(email: string): string | null {
  if (email.length > maxEmailLength || !/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>".]+$/.test(email)) {
    return `email must look like name@example.com (at most ${maxEmailLength} characters)`;
  }
  return textProblem('email', email, maxEmailLength);
}

/**
 * What addresses are compared by: ASCII letters folded to lower case, nothing else. A full Unicode
 * lower-casing (JavaScript's, PostgreSQL's) folds the Kelvin sign U+212A to `k`, which would make
 * another mailbox's address equal to a user's.
 */
export const emailKey = (email: string): string => email.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
