import { describe, expect, it } from 'vitest';
import { classifyPresentedToken, isExchangeable, refreshTokenExpiry } from '../../../src/domain/refresh.js';
import type { Family, RefreshToken } from '../../../src/domain/types.js';

const family: Family = {
  id: 'fam_1',
  userId: 'usr_1',
  clientId: 'web-app',
  scope: 'read',
  audience: 'https://api.example',
  createdAt: 1000,
  authTime: null,
  expiresAt: 10_000,
  lastUsedAt: 1000,
  revokedAt: null,
  revokeReason: null,
  provider: null,
  dpopJkt: null,
  browserSessionId: null,
  amr: null,
  userAgent: null,
  ip: null,
  grants: null,
};
const token = (over: Partial<RefreshToken> = {}): RefreshToken => ({
  id: 'rt_1',
  familyId: 'fam_1',
  hash: 'h',
  createdAt: 1000,
  expiresAt: 5000,
  usedAt: null,
  successorId: null,
  successorSealed: null,
  ...over,
});
const used = token({ usedAt: 2000, successorId: 'rt_2', successorSealed: 'v1.x.y.z' });
const successor = token({ id: 'rt_2', createdAt: 2000, expiresAt: 6000 });
const kind = (input: Partial<Parameters<typeof classifyPresentedToken>[0]>) =>
  classifyPresentedToken({ token: token(), family, successor: null, now: 1500, grace: 10, ...input }).kind;

describe('refreshTokenExpiry', () => {
  it('is the idle TTL from now, capped by the family end', () => {
    expect(refreshTokenExpiry(1000, 5, family)).toBe(6000);
    expect(refreshTokenExpiry(9800, 5, family)).toBe(10_000);
  });
});

describe('classifyPresentedToken', () => {
  it('lets an unused token within both lifetimes be exchanged', () => {
    expect(kind({})).toBe('unused');
  });

  it('refuses any token of a revoked family, first of all', () => {
    expect(kind({ family: { ...family, revokedAt: 1200 } })).toBe('revoked');
    expect(kind({ family: { ...family, revokedAt: 1200 }, token: used, successor, now: 2005 })).toBe('revoked');
  });

  it('expires a token at its idle expiry and at the family end', () => {
    expect(kind({ now: 5000 })).toBe('expired');
    expect(kind({ now: 4000, family: { ...family, expiresAt: 4000 } })).toBe('expired');
    // An expired used token is expired, not reuse: the answer must not depend on whether cleanup deleted its row.
    expect(kind({ token: used, successor, now: 5000 })).toBe('expired');
  });

  it('treats a second exchange within the grace window, successor unused, as a retry', () => {
    expect(kind({ token: used, successor, now: 2000 })).toBe('retry');
    expect(kind({ token: used, successor, now: 2010 })).toBe('retry');
  });

  it('treats every other second exchange as reuse', () => {
    expect(kind({ token: used, successor, now: 2011 })).toBe('reuse');
    expect(kind({ token: used, successor: { ...successor, usedAt: 2001 }, now: 2002 })).toBe('reuse');
    expect(kind({ token: used, successor: null, now: 2001 })).toBe('reuse');
    expect(kind({ token: used, successor, now: 2000, grace: 0 })).toBe('reuse');
  });

  it('measures the grace window to the millisecond: 2.5 s after a use is outside a 2 s window', () => {
    const at = (ms: number) => kind({ token: used, successor, now: 2000 + ms, grace: 2000, family: { ...family, expiresAt: 99_000 } });
    expect(at(2000)).toBe('retry');
    expect(at(2001)).toBe('reuse');
    expect(at(2500)).toBe('reuse');
  });

  it('counts only fresh and retry states as exchangeable', () => {
    expect(['unused', 'retry', 'reuse', 'expired', 'revoked'].map((k) => isExchangeable({ kind: k } as never))).toEqual([true, true, false, false, false]);
  });
});
