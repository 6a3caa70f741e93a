import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyPresentedToken } from '../../../src/domain/refresh.js';
import { redirectUriMatches } from '../../../src/domain/redirect-uri.js';
import type { Family, RefreshToken, SigningKeyRecord } from '../../../src/domain/types.js';
import { keyStates, prePublishTime, scheduledRotation, type LifecycleTimes } from '../../../src/keys/lifecycle.js';

// Properties of the pure rules the whole service leans on, over generated inputs rather than chosen examples.

const times: LifecycleTimes = { accessTokenTtl: 600_000, reloadSlack: 15_000 };
const instant = fc.integer({ min: 0, max: 10_000_000 });

/** Keys with distinct seqs and any activation times (an emergency key may activate before a scheduled one). */
const keySets = fc
  .uniqueArray(fc.record({ seq: fc.integer({ min: 1, max: 50 }), activatesAt: instant }), { selector: (k) => k.seq, maxLength: 8 })
  .map((keys) =>
    keys.map(({ seq, activatesAt }): SigningKeyRecord => ({ kid: `k${seq}`, alg: 'RS256', seq, publicJwk: '{}', privateJwk: '{}', createdAt: 0, activatesAt })),
  );

describe('signing-key lifecycle', () => {
  it('puts every key in exactly one state, and the active one is the latest activated key', () => {
    fc.assert(
      fc.property(keySets, instant, (keys, now) => {
        const s = keyStates(keys, now, times);
        const placed = [...(s.active ? [s.active] : []), ...s.next, ...s.retired, ...s.expired];
        expect(placed.map((k) => k.kid).sort()).toEqual(keys.map((k) => k.kid).sort());
        const activated = keys.filter((k) => k.activatesAt <= now).sort((a, b) => a.seq - b.seq);
        expect(s.active).toBe(activated.at(-1) ?? null);
        for (const k of s.next) expect(k.seq).toBeGreaterThan(s.active?.seq ?? 0);
      }),
    );
  });

  it('keeps publishing a key while any token it signed can be alive', () => {
    fc.assert(
      fc.property(keySets, instant, fc.integer({ min: 0, max: times.accessTokenTtl - 1 }), (keys, signedAt, age) => {
        const signer = keyStates(keys, signedAt, times).active;
        if (!signer) return;
        const later = keyStates(keys, signedAt + age, times);
        expect(later.expired).not.toContain(signer);
      }),
    );
  });

  it('plans a successor that never signs before every verifier can have fetched it', () => {
    const prePublish = prePublishTime(300_000, times);
    fc.assert(
      fc.property(keySets, instant, fc.integer({ min: 1, max: 5_000_000 }), (keys, now, interval) => {
        const states = keyStates(keys, now, times);
        const plan = scheduledRotation(states, now, interval, prePublish);
        if (states.next.length > 0) expect(plan).toBeNull();
        if (plan === null) return;
        expect(plan.seq).toBeGreaterThan(Math.max(0, ...keys.map((k) => k.seq)));
        expect(plan.activatesAt).toBeGreaterThanOrEqual(states.active === null ? now : now + prePublish);
      }),
    );
  });
});

describe('a presented refresh token', () => {
  const family = (o: Partial<Family>): Family => ({
    id: 'fam',
    userId: 'u',
    clientId: 'c',
    scope: '',
    audience: 'a',
    createdAt: 0,
    authTime: null,
    expiresAt: 0,
    lastUsedAt: 0,
    revokedAt: null,
    revokeReason: null,
    userAgent: null,
    ip: null,
    provider: null,
    dpopJkt: null,
    browserSessionId: null,
    grants: null,
    amr: null,
    ...o,
  });
  const token = (o: Partial<RefreshToken>): RefreshToken => ({
    id: 't',
    familyId: 'fam',
    hash: 'h',
    createdAt: 0,
    expiresAt: 0,
    usedAt: null,
    successorId: null,
    successorSealed: null,
    ...o,
  });
  const cases = fc.record({
    now: instant,
    grace: fc.integer({ min: 0, max: 20_000 }),
    revokedAt: fc.option(instant),
    familyEnd: instant,
    tokenEnd: instant,
    usedAt: fc.option(instant),
    successor: fc.option(fc.record({ usedAt: fc.option(instant), expiresAt: instant })),
  });

  it('is refused when revoked or expired, fresh only when unused, and retried only within the window while its successor is unused', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const state = classifyPresentedToken({
          token: token({ expiresAt: c.tokenEnd, usedAt: c.usedAt }),
          family: family({ expiresAt: c.familyEnd, revokedAt: c.revokedAt }),
          successor: c.successor && token({ id: 's', usedAt: c.successor.usedAt, expiresAt: c.successor.expiresAt }),
          now: c.now,
          grace: c.grace,
        }).kind;
        const expired = c.now >= c.familyEnd || c.now >= c.tokenEnd;
        const successorUnused = c.successor !== null && c.successor.usedAt === null && c.now < c.successor.expiresAt;
        const retry = c.usedAt !== null && c.grace > 0 && c.now - c.usedAt <= c.grace && successorUnused;
        const expected = c.revokedAt !== null ? 'revoked' : expired ? 'expired' : c.usedAt === null ? 'unused' : retry ? 'retry' : 'reuse';
        expect(state).toBe(expected);
      }),
    );
  });
});

describe('redirect URI matching', () => {
  const path = fc.stringMatching(/^(\/[a-z0-9._~-]{0,8}){0,3}(\?[a-z0-9=&]{0,10})?$/);
  const port = fc.integer({ min: 1, max: 65535 });

  it('matches a registered URI exactly, and a loopback IP URI on any port', () => {
    fc.assert(
      fc.property(fc.constantFrom('127.0.0.1', '[::1]'), port, port, path, (host, registeredPort, requestedPort, p) => {
        expect(redirectUriMatches(`https://app.example${p}`, [`https://app.example${p}`])).toBe(true);
        expect(redirectUriMatches(`http://${host}:${requestedPort}${p}`, [`http://${host}:${registeredPort}${p}`])).toBe(true);
        expect(redirectUriMatches(`http://${host}:${requestedPort}${p}`, [`http://${host}${p}`])).toBe(true);
      }),
    );
  });

  it('never matches another port on a non-loopback host, another path, or localhost by name on another port', () => {
    fc.assert(
      fc.property(port, port, path, path, (a, b, p, q) => {
        fc.pre(a !== b);
        expect(redirectUriMatches(`https://app.example:${b}${p}`, [`https://app.example:${a}${p}`])).toBe(false);
        expect(redirectUriMatches(`http://localhost:${b}${p}`, [`http://localhost:${a}${p}`])).toBe(false);
        fc.pre(p !== q);
        expect(redirectUriMatches(`https://app.example${q}`, [`https://app.example${p}`])).toBe(false);
        expect(redirectUriMatches(`http://127.0.0.1:${a}${q}`, [`http://127.0.0.1:${a}${p}`])).toBe(false);
      }),
    );
  });
});
