import { describe, expect, it } from 'vitest';
import { isValidScopeToken, parseScope } from '../../../src/domain/scope.js';
import { normalizeUsername } from '../../../src/domain/username.js';
import { grantScope } from '../../../src/services/sessions/access-token.js';

describe('scope', () => {
  it('parses space-delimited scope, dropping empties and duplicates', () => {
    expect(parseScope('read  write read')).toEqual(['read', 'write']);
    expect(parseScope('')).toEqual([]);
    expect(parseScope(undefined)).toEqual([]);
  });

  it('accepts RFC 6749 scope tokens only', () => {
    expect(isValidScopeToken('read:users')).toBe(true);
    expect(isValidScopeToken('bad"quote')).toBe(false);
    expect(isValidScopeToken('back\\slash')).toBe(false);
    expect(isValidScopeToken('é')).toBe(false);
  });

  it('grants what was asked within the allowed set, everything allowed when nothing was asked', () => {
    expect(grantScope('read', ['read', 'write'])).toEqual(['read']);
    expect(grantScope(undefined, ['read', 'write'])).toEqual(['read', 'write']);
    expect(() => grantScope('admin', ['read'])).toThrowError(expect.objectContaining({ code: 'invalid_scope' }));
  });
});

describe('normalizeUsername', () => {
  it('folds case and compatibility forms', () => {
    expect(normalizeUsername('ＡLICE')).toBe('alice');
    expect(normalizeUsername('Ǆemal')).toBe(normalizeUsername('ǆemal'));
  });
});
