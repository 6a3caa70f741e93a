import type { RegistrationToken } from '../domain/types.js';
import { Conflict, InvalidInput, NotFound } from '../errors/domain.js';
import { excerpt } from '../lib/excerpt.js';
import { sha256 } from '../lib/hash.js';
import type { AuditStore, RegistrationTokensStore } from '../store/types.js';
import { recordAudit } from './audit.js';
import type { Actor, Uses } from './deps.js';

type TokenDeps = Uses<'clock' | 'ids', RegistrationTokensStore & AuditStore>;

/** The longest an initial access token may be made for: a year. */
export const maxExpiresIn = 365 * 86_400;
export const maxUses = 1_000_000;

export type RegistrationTokenStatus = 'active' | 'expired' | 'used_up' | 'revoked';

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

function status(t: RegistrationToken, now: number): RegistrationTokenStatus {
  if (t.revokedAt !== null) return 'revoked';
  if (t.expiresAt !== null && t.expiresAt <= now) return 'expired';
  if (t.maxUses !== null && t.uses >= t.maxUses) return 'used_up';
  return 'active';
}

/** What an operator sees of a token: never the token or its hash. */
export const registrationTokenView = (t: RegistrationToken, now: number) => ({
  id: t.id,
  status: status(t, now),
  created_at: iso(t.createdAt),
  expires_at: iso(t.expiresAt),
  max_uses: t.maxUses,
  uses: t.uses,
  revoked_at: iso(t.revokedAt),
});

/**
 * Makes an initial access token for POST /register (REGISTRATION=token): returned here once, only its
 * SHA-256 kept. `expiresIn` seconds and `uses` registrations bound it; without them it lasts until revoked.
 */
export async function createRegistrationToken(deps: TokenDeps, actor: Actor, input: { expiresIn?: number | null; uses?: number | null }) {
  const { expiresIn = null, uses = null } = input;
  if (expiresIn !== null && (!Number.isSafeInteger(expiresIn) || expiresIn < 1 || expiresIn > maxExpiresIn)) {
    throw new InvalidInput(`expires in must be a whole number of seconds from 1 to ${maxExpiresIn}`);
  }
  if (uses !== null && (!Number.isSafeInteger(uses) || uses < 1 || uses > maxUses)) throw new InvalidInput(`uses must be a whole number from 1 to ${maxUses}`);
  const now = deps.clock.now().getTime();
  const secret = deps.ids.secret();
  const token: RegistrationToken = {
    id: deps.ids.registrationTokenId(),
    hash: sha256(secret),
    createdAt: now,
    expiresAt: expiresIn === null ? null : now + expiresIn * 1000,
    maxUses: uses,
    uses: 0,
    revokedAt: null,
  };
  try {
    await deps.store.insertRegistrationToken(token);
  } catch (error) {
    if (error instanceof Conflict) throw new Conflict(`registration token "${excerpt(token.id)}" already exists`);
    throw error;
  }
  await recordAudit(deps, actor, { type: 'registration_token.created', details: { token_id: token.id, expires_in: expiresIn, max_uses: uses } });
  return { registration_token: registrationTokenView(token, now), token: secret };
}

export async function listRegistrationTokens(deps: Pick<TokenDeps, 'clock' | 'store'>) {
  const now = deps.clock.now().getTime();
  return { registration_tokens: (await deps.store.listRegistrationTokens()).map((t) => registrationTokenView(t, now)) };
}

/** Stops a token at once; the clients it registered stay (delete them one by one if they must go). */
export async function revokeRegistrationToken(deps: TokenDeps, actor: Actor, id: string): Promise<{ id: string; revoked: true }> {
  if (!(await deps.store.revokeRegistrationToken(id, deps.clock.now().getTime()))) {
    throw new NotFound(`no live registration token "${excerpt(id)}"`);
  }
  await recordAudit(deps, actor, { type: 'registration_token.revoked', details: { token_id: id } });
  return { id, revoked: true };
}
