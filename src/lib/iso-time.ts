const isoPattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/i;

/**
 * An ISO 8601 date (`2024-05-01`, midnight UTC) or date-time with its offset (`2024-05-01T12:00:00Z`)
 * as epoch milliseconds; null for anything else, including a time without an offset, whose zone would be a guess.
 */
export function parseIsoTime(text: string): number | null {
  if (!isoPattern.test(text)) return null;
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isNaN(ms) ? null : ms;
}
