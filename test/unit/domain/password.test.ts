import { describe, expect, it } from 'vitest';
import { passwordRule } from '../../../src/domain/password.js';

// ASVS 5.0 V6.2: length limits in characters, any characters, no composition rules, common and breached passwords refused.

describe('passwordRule', () => {
  it.each([
    ['7 characters', 'abcdefg', 'too_short'],
    ['8 characters', 'zq8!vx2k', null],
    ['256 characters', `${'x'.repeat(255)}y`, null],
    ['257 characters', 'x'.repeat(257), 'too_long'],
    ['8 Hangul syllables (8 characters, 24 bytes)', '비밀번호는안전해', null],
    ['7 emoji (14 UTF-16 units)', '🔑🔒🗝️🔐🧩🎲', 'too_short'],
    ['spaces and any symbols', ' a b c d e ', null],
    ['no digit, no capital, no symbol', 'correct horse battery staple', null],
    ['a common password', 'password1', 'common'],
    ['a common password in other case', 'PassWord1', 'common'],
    ['a breached keyboard walk', 'qwertyuiop', 'common'],
  ])('%s → %s', (_name, password, problem) => {
    expect(passwordRule(password)).toBe(problem);
  });
});
