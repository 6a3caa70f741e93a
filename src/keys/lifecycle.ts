import type { SigningKeyRecord } from '../domain/types.js';

/**
 * Where each key stands at `now`, derived from time alone so every instance reading the same rows
 * agrees without coordination:
 * - active: the highest-seq key whose activation time has come; it signs.
 * - next: later keys not active yet; published so verifiers know them before they sign.
 * - retired: superseded keys still published while tokens they signed may be alive.
 * - expired: superseded keys no token can need any more; safe to delete.
 */
export type KeyStates = {
  active: SigningKeyRecord | null;
  next: SigningKeyRecord[];
  retired: SigningKeyRecord[];
  expired: SigningKeyRecord[];
};

export type LifecycleTimes = {
  accessTokenTtl: number;
  /** How late another instance may notice an emergency rotation and keep signing with the old key. */
  reloadSlack: number;
};

export function keyStates(records: readonly SigningKeyRecord[], now: number, times: LifecycleTimes): KeyStates {
  const bySeq = [...records].sort((a, b) => a.seq - b.seq);
  const activated = bySeq.filter((k) => k.activatesAt <= now);
  const active = activated.at(-1) ?? null;
  const states: KeyStates = { active, next: [], retired: [], expired: [] };

  for (const key of bySeq) {
    if (key === active) continue;
    if (active === null || key.seq > active.seq) {
      states.next.push(key);
      continue;
    }
    // A key stopped signing when the first later key activated; one that never signed is superseded at once.
    const supersededAt = activated.find((k) => k.seq > key.seq)?.activatesAt ?? now;
    const signed = key.activatesAt < supersededAt;
    const lastExpiry = supersededAt + times.accessTokenTtl + times.reloadSlack;
    (signed && now < lastExpiry ? states.retired : states.expired).push(key);
  }
  return states;
}

export type RotationPlan = { seq: number; activatesAt: number };

/**
 * When the active key has signed for `interval` (less the pre-publication time), plan its successor;
 * null while a successor is already published or nothing is due.
 */
export function scheduledRotation(states: KeyStates, now: number, interval: number, prePublish: number): RotationPlan | null {
  if (states.next.length > 0) return null;
  const latestSeq = states.active?.seq ?? 0;
  if (states.active === null) return { seq: latestSeq + 1, activatesAt: now };
  const dueAt = states.active.activatesAt + interval;
  if (now < dueAt - prePublish) return null;
  return { seq: latestSeq + 1, activatesAt: Math.max(now + prePublish, dueAt) };
}
