import { InvalidRequest } from '../errors/oauth.js';

/** Parses a request body that must be one JSON object; anything else is invalid_request. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new InvalidRequest('body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidRequest('body must be a JSON object');
  return body as Record<string, unknown>;
}
