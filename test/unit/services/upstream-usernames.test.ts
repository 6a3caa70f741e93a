import { describe, expect, it } from 'vitest';
import { usernameCandidates } from '../../../src/services/upstream/link.js';

const first = (claims: Parameters<typeof usernameCandidates>[1], n = 1) => [...usernameCandidates('kakao', claims, 'RANDOMSUFFIXRANDOM')].slice(0, n);

describe('usernames for users created at their first upstream sign-in', () => {
  it('takes preferred_username, else the e-mail local part, else the provider id, normalised and made safe', () => {
    expect(first({ sub: '1', preferred_username: 'Ａlice', email: 'x@example.com' })).toEqual(['alice']);
    expect(first({ sub: '1', preferred_username: '  <b>Bob</b> Smith ', email: 'x@example.com' })).toEqual(['b-bob-b-smith']);
    expect(first({ sub: '1', email: 'Carol.Jones+tag@example.com' })).toEqual(['carol.jones-tag']);
    expect(first({ sub: '1', preferred_username: 42, email: '@example.com' })).toEqual(['kakao-user']);
    expect(first({ sub: '1', preferred_username: '..--' })).toEqual(['kakao-user']);
  });

  it('numbers the next ones, and ends with one nobody can have taken', () => {
    const all = [...usernameCandidates('kakao', { sub: '1', preferred_username: 'dana' }, 'RANDOMSUFFIXRANDOM')];
    expect(all.slice(0, 3)).toEqual(['dana', 'dana2', 'dana3']);
    expect(all.at(-1)).toBe('dana-randomsuff');
    expect(new Set(all).size).toBe(all.length);
  });
});
