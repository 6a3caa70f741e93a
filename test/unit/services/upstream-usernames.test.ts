import { describe, expect, it } from 'vitest';
import { readUpstreamIdentity, type UpstreamIdentity } from '../../../src/domain/upstream-claims.js';
import { usernameCandidates } from '../../../src/services/upstream/link.js';

/** The first `n` usernames tried for the account these id_token claims describe. */
const first = (claims: Record<string, unknown>, n = 1) =>
  [...usernameCandidates('kakao', readUpstreamIdentity({ sub: '1', ...claims }) as UpstreamIdentity, 'RANDOMSUFFIXRANDOM')].slice(0, n);

describe('usernames for users created at their first upstream sign-in', () => {
  it('takes preferred_username, else the e-mail local part, else the provider id, normalised and made safe', () => {
    expect(first({ preferred_username: 'Ａlice', email: 'x@example.com' })).toEqual(['alice']);
    expect(first({ preferred_username: '  <b>Bob</b> Smith ', email: 'x@example.com' })).toEqual(['b-bob-b-smith']);
    expect(first({ email: 'Carol.Jones+tag@example.com' })).toEqual(['carol.jones-tag']);
    expect(first({ preferred_username: 42, email: '@example.com' })).toEqual(['kakao-user']);
    expect(first({ preferred_username: '..--' })).toEqual(['kakao-user']);
  });

  it('uses only a-z 0-9 . _ -, so a look-alike never yields the name it imitates', () => {
    // Cyrillic а (U+0430), Greek ο (U+03BF), Cyrillic е (U+0435): each gives up the name, never "alice" or something like it.
    expect(first({ preferred_username: '\u0430lice', email: 'x@example.com' })).toEqual(['x']);
    expect(first({ preferred_username: 'b\u03bfb' })).toEqual(['kakao-user']);
    expect(first({ email: 'alic\u0435@example.com' })).toEqual(['kakao-user']);
    expect(first({ preferred_username: '김민지', email: 'minji.kim@example.com' })).toEqual(['minji.kim']);
    expect(first({ preferred_username: 'ali\u200bce' })).toEqual(['ali-ce']);
    for (const name of ['\u0430lice', '\u0391lice', 'alic\u0435', 'a\u0301lice', 'ａlice\u0307']) {
      const [derived] = first({ preferred_username: name });
      expect(derived).toMatch(/^[a-z0-9._-]+$/);
      expect(derived).not.toBe('alice');
    }
  });

  it('ignores a preferred_username or e-mail that cannot be stored', () => {
    expect(first({ preferred_username: 'eve\0', email: 'eve\0@example.com' })).toEqual(['kakao-user']);
    expect(first({ preferred_username: 'x'.repeat(256), email: 'dana@example.com' })).toEqual(['dana']);
  });

  it('numbers the next ones, and ends with one nobody can have taken', () => {
    const all = [...usernameCandidates('kakao', { preferredUsername: 'dana', email: null }, 'RANDOMSUFFIXRANDOM')];
    expect(all.slice(0, 3)).toEqual(['dana', 'dana2', 'dana3']);
    expect(all.at(-1)).toBe('dana-randomsuff');
    expect(new Set(all).size).toBe(all.length);
  });
});
