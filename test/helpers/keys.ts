import { readFileSync } from 'node:fs';
import type { SigningAlg } from '../../src/config/schema.js';
import { freshKeyPair, type KeyPairJwks, type KeyPairSource } from '../../src/keys/generate.js';

/**
 * Key pairs generated once (by `freshKeyPair`, RS256 at 2048 bits) and committed, so a test's key ring
 * does not spend half a second on an RSA key. Test keys only: they sign nothing outside this suite.
 */
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/signing-keys.json', import.meta.url), 'utf8')) as Record<
  Exclude<SigningAlg, 'PS256'>,
  KeyPairJwks[]
>;

/**
 * The committed pair for each seq (seq 1 gets the first), so two rings planning the same seq propose the same key
 * and different seqs never share one; a fresh pair past the end of the list.
 */
export const fixtureKeyPairs: KeyPairSource = async (alg, seq) => fixtures[fixtureAlg(alg)][seq - 1] ?? freshKeyPair(alg, seq);

/** PS256 signs with RSA keys as RS256 does: the same committed pairs serve. */
const fixtureAlg = (alg: SigningAlg): Exclude<SigningAlg, 'PS256'> => (alg === 'PS256' ? 'RS256' : alg);
