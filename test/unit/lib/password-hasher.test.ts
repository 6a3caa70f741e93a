import { describe, expect, it } from 'vitest';
import { argon2Hasher, limitedHasher, productionArgon2 } from '../../../src/lib/password-hasher.js';

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

describe('limitedHasher', () => {
  it('runs at most its concurrency of real argon2 verifications and hashes at once, each with its own answer', async () => {
    const argon2 = argon2Hasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
    let running = 0;
    let most = 0;
    const counted = async <T>(work: () => Promise<T>): Promise<T> => {
      most = Math.max(most, ++running);
      try {
        return await work();
      } finally {
        running--;
      }
    };
    const hasher = limitedHasher(
      { hash: (password) => counted(() => argon2.hash(password)), verify: (stored, password) => counted(() => argon2.verify(stored, password)) },
      2,
    );
    const hash = await argon2.hash('right');
    const answers = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => hasher.verify(hash, i % 2 === 0 ? 'right' : 'wrong')),
      hasher.hash('another').then((h) => argon2.verify(h, 'another')),
    ]);
    expect(answers).toEqual([true, false, true, false, true, false, true]);
    expect(most).toBe(2);
  });
});
