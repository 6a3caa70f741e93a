import { auditEventTypes, isAuditEventType, type AuditEventType } from '../domain/audit-types.js';
import { decodeCursor } from '../domain/cursor.js';
import { textProblem } from '../domain/text.js';
import { InvalidInput } from '../errors/domain.js';
import { parseIsoTime } from '../lib/iso-time.js';

/**
 * What an operator types, as the CLI options and the admin API's query parameters both carry it:
 * text, or nothing. The rules live here once so `tessera …` and `/admin/…` refuse the same input
 * with the same words. An empty value counts as not given.
 */
type Text = string | undefined;

const given = (raw: Text): raw is string => raw !== undefined && raw !== '';

export const defaultPageSize = 50;
export const maxPageSize = 500;

/** One page of a listing: at most `limit` items after `cursor` (the previous page's `next_cursor`). */
export type PageRequest = { cursor?: string; limit: number };
export type PageInput = { cursor?: Text; limit?: Text };

/** A whole number from 1 to `max`, or `fallback` when not given. */
export function limitInput(raw: Text, { fallback, max }: { fallback: number; max: number }): number {
  if (raw === undefined) return fallback;
  const limit = /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
  if (limit < 1 || limit > max) throw new InvalidInput(`limit must be a whole number from 1 to ${max}`);
  return limit;
}

/** `limit` and `cursor` of a listing. Cursors are opaque; one this service did not issue is refused rather than ignored. */
export function pageInput(raw: PageInput): PageRequest {
  const limit = limitInput(raw.limit, { fallback: defaultPageSize, max: maxPageSize });
  if (!given(raw.cursor)) return { limit };
  if (decodeCursor(raw.cursor) === null) throw new InvalidInput('cursor is not one this service issued');
  return { cursor: raw.cursor, limit };
}

/** Why an operator revoked sessions, kept in the audit log and the family listing: short, printable text ("admin" when not given). */
export function revocationReasonInput(raw: Text): string {
  if (!given(raw)) return 'admin';
  if (textProblem('reason', raw, 200) !== null) throw new InvalidInput('reason must be at most 200 printable characters');
  return raw;
}

/** An instant as `2024-05-01` (midnight UTC) or `2024-05-01T12:00:00Z`, in epoch milliseconds. */
export function sinceInput(raw: Text): number | undefined {
  if (!given(raw)) return undefined;
  const at = parseIsoTime(raw);
  if (at === null) throw new InvalidInput('since must be an ISO 8601 date or date-time with offset, e.g. 2024-05-01T12:00:00Z');
  return at;
}

export function auditTypeInput(raw: Text): AuditEventType | undefined {
  if (!given(raw)) return undefined;
  if (!isAuditEventType(raw)) throw new InvalidInput(`type must be one of ${auditEventTypes.join(', ')}`);
  return raw;
}
