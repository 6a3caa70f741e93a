import { textProblem } from './text.js';

const maxEmailLength = 254;

/** Why a text cannot be kept as an e-mail address, or null: one @, something before it, a dotted domain after it, nothing that could break a header or a page. */
export function emailProblem(email: string): string | null {
  if (email.length > maxEmailLength || !/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>".]+$/.test(email)) {
    return `email must look like name@example.com (at most ${maxEmailLength} characters)`;
  }
  return textProblem('email', email, maxEmailLength);
}
