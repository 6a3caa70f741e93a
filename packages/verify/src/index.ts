// tessera-verify: what other services import to check Tessera's access tokens without calling it.
import { requireToken, type RequireTokenOptions } from './middleware.js';
import { protectedResourceMetadata, protectedResourceRoute, type ProtectedResourceMetadata } from './protected-resource.js';
import { createTokenVerifier, type Verifier, type VerifierOptions } from './verifier.js';

export * from './errors.js';
export {
  acrLevels,
  hasScope,
  meetsAcr,
  type AccessTokenClaims,
  type Algorithm,
  type Presentation,
  type RevocationOptions,
  type Verifier,
  type VerifierOptions,
} from './verifier.js';
export { requireAcr, requireToken, type RequireTokenOptions, type TokenEnv } from './middleware.js';
export { dpopAlgorithms, type DpopOptions, type DpopRequest } from './dpop.js';

export {
  protectedResourceMetadata,
  protectedResourceMetadataUrl,
  protectedResourceRoute,
  type ProtectedResourceMetadata,
  type ProtectedResourceOptions,
} from './protected-resource.js';

/** This API's RFC 9728 metadata: the document, the URL and path it is served at, and a handler that serves it. */
export type ProtectedResource = { metadata: ProtectedResourceMetadata; url: string; path: string; handler: () => Response };

export type BoundVerifier = Verifier & {
  requireToken(options?: Omit<RequireTokenOptions, 'verifier'>): ReturnType<typeof requireToken>;
  /** Present when `protectedResource` was configured: `app.get(verifier.protectedResource.path, verifier.protectedResource.handler)`. */
  protectedResource?: ProtectedResource;
};

/** A verifier with its Hono middleware bound: `app.use('/api/*', verifier.requireToken({ scope: 'read' }))`. */
export function createVerifier(options: VerifierOptions): BoundVerifier {
  const verifier = createTokenVerifier(options);
  const protectedResource = options.protectedResource ? describeResource(options) : undefined;
  const resourceMetadata = protectedResource?.url;
  return { ...verifier, protectedResource, requireToken: (opts = {}) => requireToken({ verifier, resourceMetadata, ...opts }) };
}

function describeResource(options: VerifierOptions): ProtectedResource {
  const { resource = typeof options.audience === 'string' ? options.audience : undefined, ...rest } = options.protectedResource!;
  if (resource === undefined) throw new TypeError('protectedResource.resource is required when audience lists several identifiers');
  const described = { ...rest, resource, authorizationServers: [options.issuer] };
  return { metadata: protectedResourceMetadata(described), ...protectedResourceRoute(described) };
}
