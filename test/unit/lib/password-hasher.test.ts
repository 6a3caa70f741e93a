import { describe, expect, it } from 'vitest';
import { argon2Hasher, productionArgon2 } from '../../../src/lib/password-hasher.js';

describe('argon2Hasher', () => {
  it('uses at least OWASP parameters in production: argon2id, 19 MiB, t=2, p=1', async () => {
    expect(productionArgon2).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    const hash = await argon2Hasher().hash('a password');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('verifies the right password and refuses a wrong one or a corrupt hash', async () => {
    const hasher = argon2Hasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
    const hash = await hasher.hash('right');
    expect(await hasher.verify(hash, 'right')).toBe(true);
    expect(await hasher.verify(hash, 'wrong')).toBe(false);
    expect(await hasher.verify('not a hash', 'right')).toBe(false);
  });
});
