import { describe, expect, it } from 'vitest';
import { deriveKey, seal, unseal } from '../../../src/lib/seal.js';

describe('seal', () => {
  const key = deriveKey('the presented refresh token', 'test');

  it('round-trips and never contains the plaintext', () => {
    const sealed = seal(key, 'successor-secret', 'row 1');
    expect(sealed).not.toContain('successor-secret');
    expect(unseal(key, sealed, 'row 1')).toBe('successor-secret');
  });

  it('does not open with another key, another context or altered bytes', () => {
    const sealed = seal(key, 'successor-secret', 'row 1');
    expect(unseal(deriveKey('another token', 'test'), sealed, 'row 1')).toBeNull();
    expect(unseal(key, sealed, 'row 2')).toBeNull();
    const parts = sealed.split('.');
    parts[2] = Buffer.from('tampered').toString('base64url');
    expect(unseal(key, parts.join('.'), 'row 1')).toBeNull();
    expect(unseal(key, 'garbage', 'row 1')).toBeNull();
  });
});
