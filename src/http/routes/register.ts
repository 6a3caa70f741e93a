import { Hono } from 'hono';
import type { RegistrationMode } from '../../domain/client-metadata.js';
import type { Deps } from '../../services/deps.js';
import { registerClient } from '../../services/registration.js';
import type { AppEnv } from '../env.js';
import { jsonBody } from '../params.js';
import { actorFrom, requestHeader } from '../request-info.js';

/** RFC 6750 §2.1: the token of an `Authorization: Bearer …` header; null for no header or another scheme. */
function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

/**
 * POST /register, RFC 7591 dynamic client registration, served only when REGISTRATION is `open` or
 * `token`. The body is client metadata as JSON; the answer is 201 with the client information
 * response, or an RFC 7591 §3.2.2 error. The secret of a confidential client is in this answer only.
 */
export function registerRoute(deps: Deps, mode: RegistrationMode) {
  return new Hono<AppEnv>().post('/register', async (c) => {
    const information = await registerClient(deps, mode, {
      readMetadata: () => jsonBody(c),
      initialAccessToken: bearerToken(requestHeader(c, 'authorization')),
      actor: actorFrom(c, 'registration'),
    });
    return c.json(information, 201, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  });
}
