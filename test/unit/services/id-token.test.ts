import { describe, expect, it } from 'vitest';
import { accessTokenHash } from '../../../src/services/id-token.js';

describe('accessTokenHash (at_hash)', () => {
  it('is the left half of the SHA-256 for RS256 and ES256 (OpenID Connect Core, appendix A.3 example)', () => {
    expect(accessTokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256')).toBe('77QmUPtjPfzWtF2AnpK9RQ');
    expect(accessTokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'ES256')).toBe('77QmUPtjPfzWtF2AnpK9RQ');
  });

  it('uses SHA-512 for EdDSA (Ed25519): 32 bytes, 43 characters', () => {
    const hash = accessTokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'EdDSA');
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toBe(accessTokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256'));
  });
});
