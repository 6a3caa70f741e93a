import type { MiddlewareHandler } from 'hono';
import { InvalidRequest } from '../../errors/oauth.js';
import { excerpt } from '../../lib/excerpt.js';
import type { AppEnv } from '../env.js';
import { parseJsonObject } from '../json-object.js';
import { requestHeader } from '../request-info.js';

/**
 * Parses an `application/x-www-form-urlencoded` body (RFC 6749 §3.2) into `c.var.form`.
 * A parameter sent twice is invalid_request; empty values count as absent.
 */
export const formBody =
  ({ allowJson = false }: { allowJson?: boolean } = {}): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const type = (requestHeader(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const text = await c.req.text();
    let form: Map<string, string>;
    if (type === 'application/x-www-form-urlencoded') {
      form = parseForm(text);
    } else if (allowJson && type === 'application/json') {
      form = parseJsonFields(text);
    } else if (text === '' && allowJson) {
      form = new Map();
    } else {
      throw new InvalidRequest(`content type must be application/x-www-form-urlencoded${allowJson ? ' or application/json' : ''}`);
    }
    c.set('form', form);
    await next();
  };

function parseForm(text: string): Map<string, string> {
  const form = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) {
    if (form.has(name)) throw new InvalidRequest(`parameter "${excerpt(name)}" must not be repeated`);
    if (value !== '') form.set(name, value);
  }
  return form;
}

function parseJsonFields(text: string): Map<string, string> {
  const form = new Map<string, string>();
  for (const [name, value] of Object.entries(parseJsonObject(text))) {
    if (typeof value !== 'string') throw new InvalidRequest(`"${excerpt(name)}" must be a string`);
    if (value !== '') form.set(name, value);
  }
  return form;
}
