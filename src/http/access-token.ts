import type { Context } from 'hono';
import { InvalidDpopProof, InvalidRequest, InvalidToken, MissingToken } from '../errors/oauth.js';
import type { Deps } from '../services/deps.js';
import { verifyDpopProof } from '../services/dpop.js';
import { checkAccessToken, isLive, type LiveToken, type TokenProblem } from '../services/sessions/check.js';
import { proofRequest } from './dpop.js';
import { bodyParams, mediaType } from './params.js';
import { requestHeader } from './request-info.js';

/** An access token as a request presents it: the scheme says whether a DPoP proof must come with it (RFC 9449 §7). */
export type PresentedToken = { scheme: 'Bearer' | 'DPoP'; token: string };

const b64token = /^[A-Za-z0-9\-._~+/]+=*$/;

/** RFC 6750 §2.1 and RFC 9449 §7.1: the access token in the Authorization header; undefined when there is no header. */
function headerToken(c: Context): PresentedToken | undefined {
  const header = requestHeader(c, 'authorization');
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^(Bearer|DPoP) +(\S+) *$/i.exec(header);
  if (!match || !b64token.test(match[2]!)) throw new InvalidToken('the Authorization header must be "Bearer <access token>" or "DPoP <access token>"');
  return { scheme: match[1]!.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer', token: match[2]! };
}

/**
 * RFC 6750 §2.2: the access token as the `access_token` field of a form-encoded POST body (a bearer token); undefined
 * when there is none. Only a form body carries it: a body of another type is not read at all.
 */
async function bodyToken(c: Context): Promise<PresentedToken | undefined> {
  if (c.req.method !== 'POST' || mediaType(c) !== 'application/x-www-form-urlencoded') return undefined;
  const token = (await bodyParams(c)).get('access_token');
  if (token !== undefined && !b64token.test(token)) throw new InvalidToken('access_token is not a bearer token');
  return token === undefined ? undefined : { scheme: 'Bearer', token };
}

/** The one access token of the request; RFC 6750 §2 allows no more than one way to send it. `body`: the form body may carry it. */
export async function presentedToken(c: Context, { body = false } = {}): Promise<PresentedToken> {
  const [inHeader, inBody] = [headerToken(c), body ? await bodyToken(c) : undefined];
  if (inHeader !== undefined && inBody !== undefined) throw new InvalidRequest('send the access token in the Authorization header or the body, not both');
  const presented = inHeader ?? inBody;
  if (presented === undefined) throw new MissingToken();
  return presented;
}

/**
 * The presented token, if it is good now (checkAccessToken) and sent as bound: a DPoP-bound token (`cnf.jkt`) only
 * with the DPoP scheme and a proof by its key over this request and this token (RFC 9449 §7.1), an unbound one only
 * as Bearer. `problems` words each refusal of the token itself for this resource.
 */
export async function liveAccessToken(c: Context, deps: Deps, presented: PresentedToken, problems: Record<TokenProblem, string>): Promise<LiveToken> {
  const { scheme, token } = presented;
  const verdict = await checkAccessToken(deps, token);
  if (!isLive(verdict)) throw new InvalidToken(problems[verdict], scheme);
  const cnf = verdict.claims.cnf as { jkt?: unknown } | undefined;
  const bound = typeof cnf?.jkt === 'string' ? cnf.jkt : null;
  if (scheme === 'Bearer') {
    if (bound !== null) throw new InvalidToken('this access token is bound to a DPoP key: send it with the DPoP scheme and a proof', 'DPoP');
    return verdict;
  }
  const jkt = await verifyDpopProof(deps, proofRequest(c, deps), 'resource', token);
  if (jkt === null) throw new InvalidDpopProof('a DPoP access token needs a DPoP proof', 'resource');
  if (bound === null) throw new InvalidToken('this access token is not bound to a DPoP key: send it as a Bearer token', 'DPoP');
  if (jkt !== bound) throw new InvalidToken('the DPoP proof is by another key than the one the access token is bound to', 'DPoP');
  return verdict;
}
