// An MCP-style API behind Tessera, discoverable by RFC 9728 (README, "Tessera in front of an MCP server"): run with
//   ISSUER=http://localhost:3000 RESOURCE=http://localhost:4000/mcp PORT=4000 npx tsx examples/mcp-server/server.ts
// AUDIENCE defaults to RESOURCE, the `aud` of tokens issued for it with RFC 8707 `resource` once it is registered as an API
// (`tessera apis create mcp --identifier RESOURCE --scope tools --dynamic-registration`, for clients that register themselves).
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createVerifier, type TokenEnv } from 'tessera-verify';

export function createMcpApp(verifier: ReturnType<typeof createVerifier>) {
  const app = new Hono<TokenEnv>();
  const metadata = verifier.protectedResource!;
  // RFC 9728: how a client that knows only this server's URL finds the authorization server.
  app.get(metadata.path, metadata.handler);
  // Every refusal names the metadata: WWW-Authenticate: Bearer resource_metadata="…".
  app.post('/mcp', verifier.requireToken({ scope: 'tools' }), async (c) => {
    const token = c.get('token');
    return c.json({ jsonrpc: '2.0', id: 1, result: { tools: [{ name: 'whoami', description: `acting for ${token.sub} via ${token.client_id}` }] } });
  });
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const issuer = process.env.ISSUER ?? 'http://localhost:3000';
  const port = Number(process.env.PORT ?? 4000);
  const resource = process.env.RESOURCE ?? `http://localhost:${port}/mcp`;
  const verifier = createVerifier({
    issuer,
    audience: process.env.AUDIENCE ?? resource,
    revocations: true,
    protectedResource: { resource, scopes: ['tools'], name: 'Example MCP server' },
  });
  const server = serve({ fetch: createMcpApp(verifier).fetch, port, hostname: '127.0.0.1' }, (info) =>
    console.log(`MCP server on http://127.0.0.1:${info.port}, resource ${resource}, trusting ${issuer}`),
  );
  process.once('SIGTERM', () => {
    verifier.close();
    server.close(() => process.exit(0));
  });
}
