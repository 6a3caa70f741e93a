import { describe, expect, it } from 'vitest';
import type { SigningKeyRecord } from '../../../src/domain/types.js';
import { keyStates, prePublishTime, scheduledRotation } from '../../../src/keys/lifecycle.js';

const times = { accessTokenTtl: 600, reloadSlack: 30 };
const key = (seq: number, activatesAt: number): SigningKeyRecord => ({
  kid: `k${seq}`,
  alg: 'ES256',
  seq,
  publicJwk: '{}',
  privateJwk: '{}',
  createdAt: activatesAt,
  activatesAt,
});
const kids = (keys: SigningKeyRecord[]) => keys.map((k) => k.kid);
const summary = (records: SigningKeyRecord[], now: number) => {
  const s = keyStates(records, now, times);
  return { active: s.active?.kid ?? null, next: kids(s.next), retired: kids(s.retired), expired: kids(s.expired) };
};

describe('keyStates', () => {
  it('makes the highest-seq activated key active and publishes later keys as next', () => {
    const records = [key(1, 0), key(2, 1000)];
    expect(summary(records, 999)).toEqual({ active: 'k1', next: ['k2'], retired: [], expired: [] });
    expect(summary(records, 1000)).toEqual({ active: 'k2', next: [], retired: ['k1'], expired: [] });
  });

  it('keeps a superseded key published until its last token (signed up to the reload slack late) has expired', () => {
    const records = [key(1, 0), key(2, 1000)];
    expect(summary(records, 1000 + 30 + 600 - 1).retired).toEqual(['k1']);
    expect(summary(records, 1000 + 30 + 600)).toEqual({ active: 'k2', next: [], retired: [], expired: ['k1'] });
  });

  it('ends a key when the first later key activates, even if a higher seq activates before a lower one', () => {
    // k2 was scheduled for 2000; an emergency k3 activated at 500, so k1 stopped signing at 500, and k2 never signs.
    const records = [key(1, 0), key(2, 2000), key(3, 500)];
    expect(summary(records, 600)).toEqual({ active: 'k3', next: [], retired: ['k1'], expired: ['k2'] });
    expect(summary(records, 2000)).toEqual({ active: 'k3', next: [], retired: [], expired: ['k1', 'k2'] });
  });

  it('keeps a key that an emergency rotation replaced in the same second, since it may have signed in that second', () => {
    const records = [key(1, 0), key(2, 500), key(3, 500)];
    expect(summary(records, 500)).toEqual({ active: 'k3', next: [], retired: ['k1', 'k2'], expired: [] });
  });

  it('answers the same for records in any order, so instances agree', () => {
    const records = [key(1, 0), key(2, 1000), key(3, 1300)];
    expect(summary([...records].reverse(), 1100)).toEqual(summary(records, 1100));
  });
});

describe('scheduledRotation', () => {
  const pre = prePublishTime(300, times);

  it('pre-publishes for one JWKS cache lifetime plus the reload period', () => {
    expect(pre).toBe(330);
  });

  it('creates the first key active at once', () => {
    expect(scheduledRotation(keyStates([], 50, times), 50, 86_400, pre)).toEqual({ seq: 1, activatesAt: 50 });
  });

  it('plans the successor to activate when the interval is up, published the pre-publication time before', () => {
    const states = (now: number) => keyStates([key(1, 0)], now, times);
    expect(scheduledRotation(states(86_400 - pre - 1), 86_400 - pre - 1, 86_400, pre)).toBeNull();
    expect(scheduledRotation(states(86_400 - pre), 86_400 - pre, 86_400, pre)).toEqual({ seq: 2, activatesAt: 86_400 });
  });

  it('never activates a successor sooner than the pre-publication time, however overdue', () => {
    expect(scheduledRotation(keyStates([key(4, 0)], 99_999, times), 99_999, 86_400, pre)).toEqual({ seq: 5, activatesAt: 99_999 + pre });
  });

  it('plans nothing while a successor is already published', () => {
    expect(scheduledRotation(keyStates([key(1, 0), key(2, 90_000)], 89_000, times), 89_000, 86_400, pre)).toBeNull();
  });
});
