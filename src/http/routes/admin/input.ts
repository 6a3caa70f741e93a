import type { Context } from 'hono';
import { decodeCursor } from '../../../domain/cursor.js';
import { InvalidRequest } from '../../../errors/oauth.js';
import { excerpt } from '../../../lib/excerpt.js';
import { parseJsonObject } from '../../json-object.js';

/** A JSON object body whose fields are read one by one, each checked for its type; unknown fields are refused. */
export class JsonFields {
  private constructor(private readonly body: Record<string, unknown>) {}

  /** Parses the body; an absent body is `{}` only when `optional`. */
  static async read(c: Context, allowed: readonly string[], { optional = false } = {}): Promise<JsonFields> {
    const text = await c.req.text();
    if (text.trim() === '' && optional) return new JsonFields({});
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') throw new InvalidRequest('content type must be application/json');
    const body = parseJsonObject(text);
    const unknown = Object.keys(body).find((k) => !allowed.includes(k));
    if (unknown !== undefined) throw new InvalidRequest(`unknown field "${excerpt(unknown)}"; allowed: ${allowed.join(', ')}`);
    return new JsonFields(body);
  }

  private get(name: string, check: (v: unknown) => boolean, kind: string, required: boolean): unknown {
    const value = this.body[name];
    if (value === undefined) {
      if (required) throw new InvalidRequest(`"${name}" is required`);
      return undefined;
    }
    if (!check(value)) throw new InvalidRequest(`"${name}" must be ${kind}`);
    return value;
  }

  string(name: string, required: true): string;
  string(name: string, required?: false): string | undefined;
  string(name: string, required = false): string | undefined {
    return this.get(name, (v) => typeof v === 'string', 'a string', required) as string | undefined;
  }

  nullableString(name: string): string | null | undefined {
    return this.get(name, (v) => v === null || typeof v === 'string', 'a string or null', false) as string | null | undefined;
  }

  boolean(name: string): boolean | undefined {
    return this.get(name, (v) => typeof v === 'boolean', 'true or false', false) as boolean | undefined;
  }

  nullableInteger(name: string): number | null | undefined {
    return this.get(name, (v) => v === null || Number.isSafeInteger(v), 'a whole number or null', false) as number | null | undefined;
  }

  stringArray(name: string): string[] | undefined {
    return this.get(name, (v) => Array.isArray(v) && v.every((s) => typeof s === 'string'), 'an array of strings', false) as string[] | undefined;
  }
}

export const defaultPageSize = 50;
export const maxPageSize = 500;

/** `?cursor=&limit=` of a listing. Cursors are opaque base64url; anything else is refused rather than ignored. */
export function pageQuery(c: Context): { cursor?: string; limit: number } {
  const cursor = c.req.query('cursor');
  const rawLimit = c.req.query('limit');
  if (cursor !== undefined && cursor !== '' && decodeCursor(cursor) === null) throw new InvalidRequest('cursor is not one this service issued');
  if (rawLimit !== undefined && !/^\d{1,4}$/.test(rawLimit)) throw new InvalidRequest(`limit must be a whole number from 1 to ${maxPageSize}`);
  const limit = rawLimit === undefined ? defaultPageSize : Number(rawLimit);
  if (limit < 1 || limit > maxPageSize) throw new InvalidRequest(`limit must be a whole number from 1 to ${maxPageSize}`);
  return { ...(cursor ? { cursor } : {}), limit };
}

/** `?reason=` of a revocation: free text an operator types, kept short and printable. */
export function reasonQuery(c: Context): string {
  const reason = c.req.query('reason');
  if (reason === undefined || reason === '') return 'admin';
  if (reason.length > 200 || /[\u0000-\u001f\u007f]/.test(reason)) throw new InvalidRequest('reason must be at most 200 printable characters');
  return reason;
}
