/**
 * Why a text an operator, a user or an upstream provider gives cannot be stored, or null. Every stored
 * text passes this: control characters (NUL among them, which PostgreSQL refuses and SQLite keeps),
 * line and paragraph separators, and lone UTF-16 surrogates (no encoding can store them, so a row
 * written with one could never be found again) are refused, and so is text over `max` characters.
 */
export function textProblem(field: string, value: string, max: number): string | null {
  if (value.length > max) return `${field} must be at most ${max} characters`;
  if (/\p{Cs}/u.test(value)) return `${field} must be well-formed Unicode`;
  if (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(value)) return `${field} must not contain control characters`;
  return null;
}
