import { Algorithm, hash, verify } from '@node-rs/argon2';

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
