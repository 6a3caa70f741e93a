import type { Actor, Deps } from './deps.js';
import { recordAudit } from './audit.js';
import { keyView } from './views.js';

/** The published keys with their state: next (published, not signing yet), active, retired. */
export async function listKeys(deps: Deps) {
  const now = deps.clock.now();
  await deps.keys.refresh(now);
  const { active, next, retired } = deps.keys.states(now);
  return [...next.map((k) => keyView(k, 'next')), ...(active ? [keyView(active, 'active')] : []), ...retired.map((k) => keyView(k, 'retired'))];
}

/** Rotates on demand: the new key signs after one JWKS cache lifetime, or at once when `immediate`. */
export async function rotateKeys(deps: Deps, actor: Actor, { immediate }: { immediate: boolean }) {
  const now = deps.clock.now();
  const { key } = await deps.keys.rotate(now, { immediate });
  await recordAudit(deps, actor, { type: 'key.rotated', details: { kid: key.kid, alg: key.alg, immediate, activates_at: key.activatesAt } });
  return keyView(key, immediate ? 'active' : 'next');
}
