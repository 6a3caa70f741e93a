import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createVerifier, protectedResourceMetadataUrl, requireToken, type TokenEnv } from '../../packages/verify/src/index.js';
import { onCleanup } from '../helpers/deps.js';
import { loginAlice, seed } from '../helpers/fixtures.js';
import { testServer } from '../helpers/server.js';

// RFC 9728 in tessera-verify: the metadata route and resource_metadata in every refusal, over real HTTP.

/** A Tessera with alice (scope "read write"), and an API on its own loopback port describing itself as `path` of its origin. */
async function setup(path: string, audience?: (api: string) => string) {
  const tessera = await testServer();
  await seed(tessera.deps);
  const app = new Hono<TokenEnv>();
  const server = serve({ fetch: (req) => app.fetch(req), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const resource = `${api}${path}`;
  const verifier = createVerifier({
    issuer: tessera.url,
    audience: audience ? audience(resource) : tessera.url,
    now: () => tessera.deps.clock.now(),
    protectedResource: { resource, scopes: ['read', 'write'], name: 'Notes', documentation: 'https://docs.example/notes' },
  });
  onCleanup(() => verifier.close());
  app.get(verifier.protectedResource!.path, verifier.protectedResource!.handler);
  app.get('/notes', verifier.requireToken({ scope: 'read' }), (c) => c.json({ ok: true }));
  app.delete('/notes', verifier.requireToken({ scope: 'admin' }), (c) => c.body(null, 204));
  return { tessera, api, resource, verifier };
}

describe('tessera-verify protected resource metadata (RFC 9728)', () => {
  it('serves the document at the well-known path of the resource, readable from any origin', async () => {
    const { tessera, api, resource } = await setup('/notes/v1');
    const res = await fetch(`${api}/.well-known/oauth-protected-resource/notes/v1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toEqual({
      resource,
      authorization_servers: [tessera.url],
      bearer_methods_supported: ['header'],
      scopes_supported: ['read', 'write'],
      resource_name: 'Notes',
      resource_documentation: 'https://docs.example/notes',
    });
  });

  it('names the metadata in every refusal: no token, a bad token, a missing scope', async () => {
    const { tessera, api } = await setup('/notes/v1');
    const metadata = `resource_metadata="${api}/.well-known/oauth-protected-resource/notes/v1"`;
    const none = await fetch(`${api}/notes`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe(`Bearer realm="api", ${metadata}`);
    const bad = await fetch(`${api}/notes`, { headers: { authorization: 'Bearer a.b.c' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe(`Bearer realm="api", error="invalid_token", error_description="token is malformed", ${metadata}`);
    const { access_token } = await loginAlice(tessera);
    const scopeless = await fetch(`${api}/notes`, { method: 'DELETE', headers: { authorization: `Bearer ${access_token}` } });
    expect(scopeless.status).toBe(403);
    expect(scopeless.headers.get('www-authenticate')).toBe(`Bearer realm="api", error="insufficient_scope", scope="admin", ${metadata}`);
    expect((await fetch(`${api}/notes`, { headers: { authorization: `Bearer ${access_token}` } })).status).toBe(200);
  });

  it('refuses a token for another audience, naming the API it is not meant for', async () => {
    const { tessera, api, resource } = await setup('/notes', (r) => r);
    const { access_token } = await loginAlice(tessera);
    const res = await fetch(`${api}/notes`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: 'invalid_token',
      error_description: `token is not meant for this API: its aud must be ${resource}`,
      code: 'ERR_AUDIENCE_MISMATCH',
    });
    expect(res.headers.get('www-authenticate')).toContain(`resource_metadata="${api}/.well-known/oauth-protected-resource/notes"`);
  });

  it('puts the well-known segment between host and path, and takes a resource that is only an origin', () => {
    expect(protectedResourceMetadataUrl('https://api.example')).toBe('https://api.example/.well-known/oauth-protected-resource');
    expect(protectedResourceMetadataUrl('https://api.example/')).toBe('https://api.example/.well-known/oauth-protected-resource');
    expect(protectedResourceMetadataUrl('https://api.example:8443/mcp')).toBe('https://api.example:8443/.well-known/oauth-protected-resource/mcp');
    expect(() => protectedResourceMetadataUrl('https://api.example/mcp#x')).toThrow(TypeError);
    expect(() => createVerifier({ issuer: 'https://a.example', audience: ['x', 'y'], protectedResource: {} })).toThrow(TypeError);
  });

  it('lets a standalone requireToken name the metadata too', async () => {
    const { verifier } = await setup('/x');
    const app = new Hono<TokenEnv>().get('/', requireToken({ verifier, resourceMetadata: 'https://api.example/.well-known/oauth-protected-resource' }), (c) =>
      c.text('ok'),
    );
    const res = await app.request('/');
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api", resource_metadata="https://api.example/.well-known/oauth-protected-resource"');
  });
});
