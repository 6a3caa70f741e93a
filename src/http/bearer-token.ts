import type { Context } from 'hono';
import { InvalidRequest, InvalidToken, MissingToken } from '../errors/oauth.js';
import { bodyParams, mediaType } from './params.js';
import { requestHeader } from './request-info.js';

const b64token = /^[A-Za-z0-9\-._~+/]+=*$/;

/** RFC 6750 §2.1: the access token in the Authorization header; undefined when there is no header. */
function headerToken(c: Context): string | undefined {
  const header = requestHeader(c, 'authorization');
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match || !b64token.test(match[1]!)) throw new InvalidToken('the Authorization header must be "Bearer <access token>"');
  return match[1]!;
}

/**
 * RFC 6750 §2.2: the access token as the `access_token` field of a form-encoded POST body; undefined
 * when there is none. Only a form body carries it: a body of another type is not read at all.
 */
async function bodyToken(c: Context): Promise<string | undefined> {
  if (c.req.method !== 'POST' || mediaType(c) !== 'application/x-www-form-urlencoded') return undefined;
  const token = (await bodyParams(c)).get('access_token');
  if (token !== undefined && !b64token.test(token)) throw new InvalidToken('access_token is not a bearer token');
  return token;
}

/** The one access token of the request; RFC 6750 §2 allows no more than one way to send it. */
export async function bearerToken(c: Context): Promise<string> {
  const [inHeader, inBody] = [headerToken(c), await bodyToken(c)];
  if (inHeader !== undefined && inBody !== undefined) throw new InvalidRequest('send the access token in the Authorization header or the body, not both');
  const token = inHeader ?? inBody;
  if (token === undefined) throw new MissingToken();
  return token;
}
