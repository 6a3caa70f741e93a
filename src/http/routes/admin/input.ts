import type { Context } from 'hono';
import { InvalidInput } from '../../../errors/domain.js';
import { excerpt } from '../../../lib/excerpt.js';
import { jsonBody, queryParams } from '../../params.js';

/** A JSON object body whose fields are read one by one, each checked for its type; unknown fields are refused. */
export class JsonFields {
  private constructor(private readonly body: Record<string, unknown>) {}

  /** Parses the body under the policy of params.ts; an empty body is `{}`. */
  static async read(c: Context, allowed: readonly string[]): Promise<JsonFields> {
    const body = await jsonBody(c);
    const unknown = Object.keys(body).find((k) => !allowed.includes(k));
    if (unknown !== undefined) throw new InvalidInput(`unknown field "${excerpt(unknown)}"; allowed: ${allowed.join(', ')}`);
    return new JsonFields(body);
  }

  private get(name: string, check: (v: unknown) => boolean, kind: string, required: boolean): unknown {
    const value = this.body[name];
    if (value === undefined) {
      if (required) throw new InvalidInput(`"${name}" is required`);
      return undefined;
    }
    if (!check(value)) throw new InvalidInput(`"${name}" must be ${kind}`);
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

  nullableObject(name: string): Record<string, unknown> | null | undefined {
    const isObject = (v: unknown) => v === null || (typeof v === 'object' && !Array.isArray(v));
    return this.get(name, isObject, 'an object or null', false) as Record<string, unknown> | null | undefined;
  }

  /** An array of `{ name, description? }` objects, or of names alone (an API's scopes). */
  describedNames(name: string): { name: string; description: string }[] | undefined {
    const isItem = (v: unknown) =>
      typeof v === 'string' ||
      (typeof v === 'object' &&
        v !== null &&
        !Array.isArray(v) &&
        Object.keys(v).every((k) => k === 'name' || k === 'description') &&
        typeof (v as { name?: unknown }).name === 'string' &&
        ['string', 'undefined'].includes(typeof (v as { description?: unknown }).description));
    const list = this.get(name, (v) => Array.isArray(v) && v.every(isItem), 'an array of names or { name, description } objects', false) as
      | (string | { name: string; description?: string })[]
      | undefined;
    return list?.map((item) => (typeof item === 'string' ? { name: item, description: '' } : { name: item.name, description: item.description ?? '' }));
  }

  stringArray(name: string): string[] | undefined {
    return this.get(name, (v) => Array.isArray(v) && v.every((s) => typeof s === 'string'), 'an array of strings', false) as string[] | undefined;
  }
}

/** `cursor` and `limit` of a listing's query string, as the listing services take them. */
export function pageQuery(c: Context): { cursor?: string; limit?: string } {
  const query = queryParams(c);
  return { cursor: query.get('cursor'), limit: query.get('limit') };
}
