/**
 * RFC 9728 protected resource metadata: the document an API serves at
 * `/.well-known/oauth-protected-resource…` so that a client holding only the API's URL (an MCP
 * client among them) finds the authorization server that issues its tokens. Framework-free: a
 * function for the document and a fetch-style handler, which Hono (or anything else that takes a
 * function returning a Response) mounts as it is.
 */

export type ProtectedResourceOptions = {
  /** The API's identifier (RFC 8707 `resource`), the `aud` of the tokens it accepts; an https URL without a fragment. */
  resource: string;
  /** The issuers whose tokens it accepts (Tessera's issuer URL). */
  authorizationServers: string[];
  /** The scopes it understands, for clients that ask for them. */
  scopes?: string[];
  /** A name for people (RFC 9728 `resource_name`). */
  name?: string;
  /** A page about the API for developers (RFC 9728 `resource_documentation`). */
  documentation?: string;
};

/** RFC 9728 §2, as served. */
export type ProtectedResourceMetadata = {
  resource: string;
  authorization_servers: string[];
  bearer_methods_supported: ['header'];
  scopes_supported?: string[];
  resource_name?: string;
  resource_documentation?: string;
};

const wellKnown = '/.well-known/oauth-protected-resource';

/**
 * RFC 9728 §3.1: the metadata URL of a resource, the well-known segment put between its host and its path
 * (`https://api.example/mcp` → `https://api.example/.well-known/oauth-protected-resource/mcp`).
 */
export function protectedResourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  if (url.hash || url.search) throw new TypeError('a resource identifier has no query or fragment (RFC 9728 §1.2)');
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}${wellKnown}${path}`;
}

/** The document for `options`; its `resource` is exactly what clients will compare with the URL they started from. */
export function protectedResourceMetadata(options: ProtectedResourceOptions): ProtectedResourceMetadata {
  protectedResourceMetadataUrl(options.resource);
  if (options.authorizationServers.length === 0) throw new TypeError('name at least one authorization server (the issuer)');
  return {
    resource: options.resource,
    authorization_servers: [...options.authorizationServers],
    bearer_methods_supported: ['header'],
    ...(options.scopes && options.scopes.length > 0 ? { scopes_supported: [...options.scopes] } : {}),
    ...(options.name ? { resource_name: options.name } : {}),
    ...(options.documentation ? { resource_documentation: options.documentation } : {}),
  };
}

/**
 * The path to serve the document at (`path`) and a handler that answers it: JSON, readable from any
 * origin (a browser-based client discovers it too), cacheable for an hour.
 * Hono: `app.get(metadata.path, metadata.handler)`.
 */
export function protectedResourceRoute(options: ProtectedResourceOptions): { path: string; url: string; handler: () => Response } {
  const body = JSON.stringify(protectedResourceMetadata(options));
  const url = protectedResourceMetadataUrl(options.resource);
  const headers = { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=3600' };
  return { path: new URL(url).pathname, url, handler: () => new Response(body, { status: 200, headers }) };
}
