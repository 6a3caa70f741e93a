import type { AuditStore, AuthorizationStore, SessionsStore } from '../store/types.js';
import { verifierMatches } from '../domain/pkce.js';
import type { AuthorizationCode, Client } from '../domain/types.js';
import { InvalidGrant } from '../errors/oauth.js';
import { sha256 } from '../lib/hash.js';
import { recordAudit } from './audit.js';
import type { Actor, Uses } from './deps.js';
import { revokeFamily } from './sessions/families.js';

/** RFC 6749 §4.1.2 recommends at most ten minutes; a browser redirect and a code exchange take seconds. */
export const codeTtlMs = 60_000;

/** Issues a code for an approved request: 256 bits from the CSPRNG, of which the store keeps only the hash. */
export async function issueCode(
  deps: Uses<'clock' | 'ids', AuthorizationStore>,
  input: Pick<
    AuthorizationCode,
    | 'clientId'
    | 'userId'
    | 'redirectUri'
    | 'codeChallenge'
    | 'scope'
    | 'nonce'
    | 'authTime'
    | 'provider'
    | 'dpopJkt'
    | 'browserSessionId'
    | 'grants'
    | 'audience'
    | 'amr'
  >,
): Promise<string> {
  const code = deps.ids.secret();
  const now = deps.clock.now().getTime();
  await deps.store.insertAuthorizationCode({ hash: sha256(code), ...input, createdAt: now, expiresAt: now + codeTtlMs, usedAt: null, familyId: null });
  return code;
}

const invalid = (why: string) => new InvalidGrant(`authorization code is invalid: ${why}`);

/**
 * Checks a presented code against the token request (RFC 6749 §4.1.3, RFC 7636 §4.6) without using
 * it up: a code sent by the wrong client, or with the wrong verifier, stays redeemable by its owner.
 * A code used before is a replay: the family it started ends (RFC 6749 §4.1.2).
 */
export async function checkCode(
  deps: Uses<'clock' | 'events' | 'ids', AuditStore & AuthorizationStore & SessionsStore>,
  actor: Actor,
  input: { code: string; client: Client; redirectUri: string; verifier: string },
): Promise<AuthorizationCode> {
  const record = await deps.store.findAuthorizationCode(sha256(input.code));
  if (!record || record.clientId !== input.client.id) throw invalid('unknown, or issued to another client');
  if (record.usedAt !== null) {
    await endReplayedCode(deps, actor, record);
    throw invalid('already used');
  }
  if (deps.clock.now().getTime() >= record.expiresAt) throw invalid('expired');
  if (record.redirectUri !== input.redirectUri) throw invalid('redirect_uri differs from the authorization request');
  if (!verifierMatches(input.verifier, record.codeChallenge)) throw invalid('code_verifier does not match the code_challenge');
  return record;
}

/**
 * Uses the code up, recording the family its redemption started (already stored). Exactly one of
 * any number of concurrent redemptions wins; the others are replays, and end both the winner's
 * family and their own.
 */
export async function consumeCode(
  deps: Uses<'clock' | 'events' | 'ids', AuditStore & AuthorizationStore & SessionsStore>,
  actor: Actor,
  record: AuthorizationCode,
  familyId: string,
): Promise<void> {
  if (await deps.store.consumeAuthorizationCode(record.hash, deps.clock.now().getTime(), familyId)) return;
  const own = await deps.store.findFamily(familyId);
  if (own) await revokeFamily(deps, actor, own, 'code_replayed');
  const winner = await deps.store.findAuthorizationCode(record.hash);
  if (winner) await endReplayedCode(deps, actor, winner);
  throw invalid('already used');
}

async function endReplayedCode(deps: Uses<'clock' | 'events' | 'ids', AuditStore & SessionsStore>, actor: Actor, record: AuthorizationCode): Promise<void> {
  const family = record.familyId === null ? null : await deps.store.findFamily(record.familyId);
  const revoked = family !== null && (await revokeFamily(deps, actor, family, 'code_replayed'));
  await recordAudit(deps, actor, {
    type: 'authorization_code.replayed',
    userId: record.userId,
    clientId: record.clientId,
    familyId: record.familyId,
    details: { family_revoked: revoked },
  });
}
