import { availableParallelism } from 'node:os';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { concurrencyLimit } from './concurrency.js';

export type Hasher = {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
};

export type Argon2Params = { memoryCost: number; timeCost: number; parallelism: number };

/** OWASP's argon2id minimum: 19 MiB, two passes, one lane. */
export const productionArgon2: Argon2Params = Object.freeze({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });

export function argon2Hasher(params: Argon2Params = productionArgon2): Hasher {
  const options = { algorithm: Algorithm.Argon2id, ...params };
  return {
    hash: (password) => hash(password, options),
    async verify(stored, password) {
      try {
        return await verify(stored, password);
      } catch {
        return false;
      }
    },
  };
}

/**
 * At most `concurrency` (by default one per core this process may run on) hashes and verifications at once; the
 * rest wait their turn. argon2id is memory-hard: more of them at once than cores adds 19 MiB each and thrashes
 * the caches without adding throughput (on one core, four at once verified about a quarter fewer per second
 * than one at a time), and they would fill libuv's thread pool, which file writes share.
 */
export function limitedHasher(hasher: Hasher, concurrency = availableParallelism()): Hasher {
  const inTurn = concurrencyLimit(concurrency);
  return {
    hash: (password) => inTurn(() => hasher.hash(password)),
    verify: (stored, password) => inTurn(() => hasher.verify(stored, password)),
  };
}
