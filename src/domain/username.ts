/** Usernames compare after NFKC normalisation and case folding, so `Ａlice` and `alice` are one user. */
export const normalizeUsername = (raw: string): string => raw.normalize('NFKC').toLowerCase().normalize('NFKC').trim();

export function usernameProblem(normalized: string): string | null {
  if (normalized.length === 0) return 'username must not be empty';
  if (normalized.length > 128) return 'username must be at most 128 characters';
  if (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(normalized)) return 'username must not contain control characters';
  return null;
}
