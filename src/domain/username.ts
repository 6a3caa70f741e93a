import { textProblem } from './text.js';

/** Usernames compare after NFKC normalisation and case folding, so `Ａlice` and `alice` are one user. */
export const normalizeUsername = (raw: string): string => raw.normalize('NFKC').toLowerCase().normalize('NFKC').trim();

export function usernameProblem(normalized: string): string | null {
  if (normalized.length === 0) return 'username must not be empty';
  return textProblem('username', normalized, 128);
}

/**
 * A username made from what an upstream provider says (its preferred_username, an e-mail's local part),
 * or '' when none can be: only [a-z0-9._-] after normalising, so a derived name never merely looks like
 * another (a Cyrillic `а` in `аlice`). Other letters and digits give up the whole name rather than be
 * dropped; spaces and punctuation become `-`.
 */
export function upstreamUsernameBase(raw: string | null): string {
  if (raw === null) return '';
  const name = normalizeUsername(raw)
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .slice(0, 64)
    .replace(/^[-.]+|[-.]+$/g, '');
  return /^[a-z0-9._-]+$/.test(name) ? name : '';
}
