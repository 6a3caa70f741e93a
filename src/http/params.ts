import type { Context } from 'hono';
import { InvalidRequest } from '../errors/oauth.js';
import { excerpt } from '../lib/excerpt.js';
import { requestHeader } from './request-info.js';

/*
 * The one request-parameter policy, for query strings, form bodies and JSON bodies alike. Every fault
 * is invalid_request (RFC 6749 §3.1, §3.2, §5.2); where the answer goes depends on the endpoint:
 *
 * | fault                                           | /token /refresh /revoke /introspect /userinfo, /admin, /revocations | /authorize before client_id and redirect_uri are good | /authorize after | /login /consent /logout |
 * | ----------------------------------------------- | ------------------------------- | ------------------ | ----------------------------------------- | ---------------- |
 * | wrong Content-Type on a body                    | 400 JSON invalid_request        | 400 error page     | 400 error page (the body is not read)     | 400 error page   |
 * | a parameter sent twice (form, query, JSON key)  | 400 JSON invalid_request        | 400 error page     | redirect error=invalid_request            | 400 error page   |
 * | broken percent-encoding (%zz, bad UTF-8)        | 400 JSON invalid_request        | 400 error page     | redirect error=invalid_request            | 400 error page   |
 * | JSON that is not one object (where JSON is taken) | 400 JSON invalid_request      | —                  | —                                         | —                |
 * | a parameter given as an array or number in JSON | 400 JSON invalid_request        | —                  | —                                         | —                |
 * | body over 64 KiB                                | 413 JSON invalid_request everywhere: it is refused before any endpoint reads it (RFC 9110 §15.5.14) |
 *
 * The pages' 400 names the same fault in its detail line as the JSON error_description does. An empty
 * body is no parameters, whatever its Content-Type, and an empty value counts as absent (RFC 6749 §3.1).
 */

/** The parameters of a request, each at most once; empty values are absent. */
export type Params = ReadonlyMap<string, string>;

/** Parameters as read, with those that broke the policy (name → why) kept apart: /authorize must know which. */
export type ParamsRead = { values: ReadonlyMap<string, string>; refused: ReadonlyMap<string, string> };

export type BodyKind = 'form' | 'json';

const mediaTypes: Record<BodyKind, string> = { form: 'application/x-www-form-urlencoded', json: 'application/json' };

const repeated = (name: string) => `parameter "${excerpt(name)}" must not be repeated`;

/** One application/x-www-form-urlencoded component, strictly: `%` must start a valid UTF-8 escape. */
function decode(component: string): string | null {
  try {
    return decodeURIComponent(component.replaceAll('+', ' '));
  } catch {
    return null;
  }
}

/** Reads a query string or form body (without `?`), noting every parameter that is repeated or badly encoded. */
export function readParams(text: string): ParamsRead {
  const values = new Map<string, string>();
  const refused = new Map<string, string>();
  const seen = new Set<string>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const rawName = at === -1 ? pair : pair.slice(0, at);
    const name = decode(rawName);
    const value = decode(at === -1 ? '' : pair.slice(at + 1));
    if (name === null || value === null) {
      refused.set(name ?? rawName, `parameter "${excerpt(name ?? rawName)}" is not correctly percent-encoded`);
      continue;
    }
    // RFC 8707 §2: `resource` may be sent several times; its values (absolute URIs, without spaces) are kept space-separated.
    if (name === 'resource' && seen.has(name) && value !== '' && values.has(name)) {
      values.set(name, `${values.get(name)} ${value}`);
      continue;
    }
    if (seen.has(name)) refused.set(name, repeated(name));
    seen.add(name);
    if (value !== '') values.set(name, value);
  }
  for (const name of refused.keys()) values.delete(name);
  return { values, refused };
}

/** The parameters, or invalid_request for the first one that broke the policy. */
export function strict({ values, refused }: ParamsRead): Params {
  const [problem] = refused.values();
  if (problem !== undefined) throw new InvalidRequest(problem);
  return values;
}

/** The query string's parameters, as read (for /authorize) or strictly. */
export const readQuery = (c: Context): ParamsRead => {
  const url = c.req.url;
  const at = url.indexOf('?');
  return readParams(at === -1 ? '' : url.slice(at + 1).split('#')[0]!);
};
export const queryParams = (c: Context): Params => strict(readQuery(c));

/** The media type of the request's Content-Type, lowercased, without parameters. */
export const mediaType = (c: Context): string => (requestHeader(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/** The body's kind and text, or null for an empty body, which is no parameters whatever its Content-Type. */
async function bodyText(c: Context, accepted: readonly BodyKind[]): Promise<{ kind: BodyKind; text: string } | null> {
  const text = await c.req.text();
  if (text === '') return null;
  const type = mediaType(c);
  const kind = accepted.find((k) => mediaTypes[k] === type);
  if (kind === undefined) throw new InvalidRequest(`content type must be ${accepted.map((k) => mediaTypes[k]).join(' or ')}`);
  return { kind, text };
}

/** A form body as read, its refused parameters apart (for /authorize). */
export async function readFormBody(c: Context): Promise<ParamsRead> {
  return readParams((await bodyText(c, ['form']))?.text ?? '');
}

/** A body of string parameters, form-encoded or (where `accepted` allows) a JSON object of strings. */
export async function bodyParams(c: Context, accepted: readonly BodyKind[] = ['form']): Promise<Params> {
  const body = await bodyText(c, accepted);
  if (body === null) return new Map();
  if (body.kind === 'form') return strict(readParams(body.text));
  const params = new Map<string, string>();
  for (const [name, value] of Object.entries(parseJsonObject(body.text))) {
    if (typeof value !== 'string') throw new InvalidRequest(`"${excerpt(name)}" must be a string`);
    if (value !== '') params.set(name, value);
  }
  return params;
}

/** A JSON object body (the admin API's); an empty body is `{}`. */
export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const body = await bodyText(c, ['json']);
  return body === null ? {} : parseJsonObject(body.text);
}

/** A body that must be one JSON object, each key once; anything else is invalid_request. */
function parseJsonObject(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new InvalidRequest('body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidRequest('body must be a JSON object');
  const keys = new Set<string>();
  for (const key of topLevelKeys(text)) {
    // JSON.parse keeps the last of two equal keys without a word: the same request read two ways.
    if (keys.has(key)) throw new InvalidRequest(repeated(key));
    keys.add(key);
  }
  return body as Record<string, unknown>;
}

/** The keys of the outermost object of `text`, which JSON.parse has accepted, in order and with repeats. */
function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    else if (ch === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      let next = end + 1;
      while (' \t\n\r'.includes(text[next]!)) next++;
      if (depth === 1 && text[next] === ':') keys.push(JSON.parse(text.slice(i, end + 1)) as string);
      i = end;
    }
  }
  return keys;
}
