import { describe, expect, it } from 'vitest';
import { textProblem } from '../../../src/domain/text.js';

describe('textProblem', () => {
  it('accepts ordinary text in any script, up to the limit', () => {
    expect(textProblem('name', 'Alice Ünal 김민지 🙂', 64)).toBeNull();
    expect(textProblem('name', 'a'.repeat(64), 64)).toBeNull();
  });

  it('refuses what no store keeps faithfully: NUL and other controls, separators, lone surrogates, overlong text', () => {
    expect(textProblem('name', 'a\0b', 64)).toBe('name must not contain control characters');
    expect(textProblem('name', 'a\u0085b', 64)).toBe('name must not contain control characters');
    expect(textProblem('name', 'a\u2028b', 64)).toBe('name must not contain control characters');
    expect(textProblem('name', 'a\ud800b', 64)).toBe('name must be well-formed Unicode');
    expect(textProblem('name', '\udfff', 64)).toBe('name must be well-formed Unicode');
    expect(textProblem('name', 'a'.repeat(65), 64)).toBe('name must be at most 64 characters');
  });
});
