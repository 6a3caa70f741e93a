import type { SigningKeyRecord } from '../domain/types.js';

/**
 * Where each key stands at `now`, derived from the rows and the time alone, so every instance
 * reading the same rows agrees without coordination:
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
  /** How late another instance may notice a change (its reload period) and still sign with the old key. */
  reloadSlack: number;
};

/** The key that signs at `now`: the highest-seq key whose activation time has come (keyStates().active), found in one pass. */
export function activeKey(records: readonly SigningKeyRecord[], now: number): SigningKeyRecord | null {
  let active: SigningKeyRecord | null = null;
  for (const key of records) if (key.activatesAt <= now && (active === null || key.seq > active.seq)) active = key;
  return active;
}

export function keyStates(records: readonly SigningKeyRecord[], now: number, times: LifecycleTimes): KeyStates {
  const bySeq = [...records].sort((a, b) => a.seq - b.seq);
  const activated = bySeq.filter((k) => k.activatesAt <= now);
  const active = activeKey(records, now);
  const states: KeyStates = { active, next: [], retired: [], expired: [] };

  for (const key of bySeq) {
    if (key === active) continue;
    if (active === null || key.seq > active.seq) {
      states.next.push(key);
      continue;
    }
    // A key stops signing when the first later key activates (an emergency key may activate before a scheduled one).
    const supersededAt = Math.min(...activated.filter((k) => k.seq > key.seq).map((k) => k.activatesAt));
    // An instance that has not reloaded yet may sign with it a little longer.
    const lastSigning = supersededAt + times.reloadSlack;
    const maySign = key.activatesAt <= lastSigning;
    (maySign && now < lastSigning + times.accessTokenTtl ? states.retired : states.expired).push(key);
  }
  return states;
}

export type RotationPlan = { seq: number; activatesAt: number };

/**
 * The pre-publication time of a new key: one JWKS cache lifetime after every instance can have
 * loaded it, so no verifier holding a cached JWKS meets a token signed by a key it lacks.
 * Like everything here, in whatever unit its arguments share.
 */
export const prePublishTime = (jwksMaxAge: number, times: LifecycleTimes): number => jwksMaxAge + times.reloadSlack;

/**
 * Plans the successor once the active key has signed for `interval` less the pre-publication time;
 * null while a successor is already published or nothing is due. Without any key, the first
 * one activates at once (no verifier can hold a JWKS yet).
 */
export function scheduledRotation(states: KeyStates, now: number, interval: number, prePublish: number): RotationPlan | null {
  if (states.next.length > 0) return null;
  if (states.active === null) return { seq: 1 + maxSeq(states), activatesAt: now };
  const dueAt = states.active.activatesAt + interval;
  if (now < dueAt - prePublish) return null;
  return { seq: 1 + maxSeq(states), activatesAt: Math.max(now + prePublish, dueAt) };
}

const maxSeq = (states: KeyStates): number => Math.max(0, ...[states.active, ...states.next, ...states.retired, ...states.expired].map((k) => k?.seq ?? 0));
