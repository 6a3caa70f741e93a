// tessera-verify: what other services import to check Tessera's access tokens without calling it.
import { requireToken } from './middleware.js';
import { createTokenVerifier, type Verifier, type VerifierOptions } from './verifier.js';

export * from './errors.js';
export {
  acrLevels,
  hasScope,
  meetsAcr,
  type AccessTokenClaims,
  type Algorithm,
  type RevocationOptions,
  type Verifier,
  type VerifierOptions,
} from './verifier.js';
export { requireAcr, requireToken, type TokenEnv } from './middleware.js';

/** A verifier with its Hono middleware bound: `app.use('/api/*', verifier.requireToken({ scope: 'read' }))`. */
export function createVerifier(
  options: VerifierOptions,
): Verifier & { requireToken(options?: { scope?: string; acr?: string; realm?: string }): ReturnType<typeof requireToken> } {
  const verifier = createTokenVerifier(options);
  return { ...verifier, requireToken: (opts = {}) => requireToken({ verifier, ...opts }) };
}
