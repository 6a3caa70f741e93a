import { audited } from '../audit.js';
import type { Actor } from '../deps.js';
import type { FactorDeps } from './deps.js';
import { factorSummary } from './summary.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A user's factors as operators see them (`users show`, GET /admin/users/{id}): never a secret, a hash or a key. */
export async function factorsView(deps: Pick<FactorDeps, 'store'>, userId: string) {
  const summary = await factorSummary(deps, userId);
  return {
    totp: summary.totp,
    recovery_codes_left: summary.recoveryCodesLeft,
    passkeys: summary.passkeys.map((p) => ({
      name: p.name,
      created_at: iso(p.createdAt),
      last_used_at: iso(p.lastUsedAt),
      synced: p.deviceType === 'multiDevice',
      backed_up: p.backedUp,
    })),
  };
}

export type FactorsView = Awaited<ReturnType<typeof factorsView>>;

/**
 * `tessera users reset-factors` (DELETE /admin/users/{id}/factors): removes every factor and passkey of a user
 * who lost them; their next sign-in is by password alone (or enrolls again where a factor is required).
 */
export async function resetFactors(deps: FactorDeps, actor: Actor, userId: string): Promise<{ removed: number }> {
  const now = deps.clock.now().getTime();
  const audit = (removed: number) => audited(deps, actor, [{ type: 'factors.reset', userId, details: { removed } }]);
  const removed = await deps.store.deleteAllFactors(userId, now, [{ type: 'factor.removed', data: { userId, kind: 'all' } }], audit);
  return { removed };
}
