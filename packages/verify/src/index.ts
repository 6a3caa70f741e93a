// tessera-verify: what other services import to check Tessera's access tokens without calling it.
import { requireToken, type RequireTokenOptions } from './middleware.js';
import { createTokenVerifier, type Verifier, type VerifierOptions } from './verifier.js';

export * from './errors.js';
export {
  hasScope,
  type AccessTokenClaims,
  type Algorithm,
  type Presentation,
  type RevocationOptions,
  type Verifier,
  type VerifierOptions,
} from './verifier.js';
export { requireToken, type RequireTokenOptions, type TokenEnv } from './middleware.js';
export { dpopAlgorithms, type DpopOptions, type DpopRequest } from './dpop.js';

/** A verifier with its Hono middleware bound: `app.use('/api/*', verifier.requireToken({ scope: 'read' }))`. */
export function createVerifier(
  options: VerifierOptions,
): Verifier & { requireToken(options?: Omit<RequireTokenOptions, 'verifier'>): ReturnType<typeof requireToken> } {
  const verifier = createTokenVerifier(options);
  return { ...verifier, requireToken: (opts = {}) => requireToken({ verifier, ...opts }) };
}
