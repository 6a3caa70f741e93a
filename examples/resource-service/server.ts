// A resource service protected by Tessera's access tokens: run with
//   ISSUER=http://localhost:3000 AUDIENCE=http://localhost:3000 PORT=4000 npx tsx examples/resource-service/server.ts
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createVerifier, type TokenEnv } from 'tessera-verify';

export function createResourceApp(verifier: ReturnType<typeof createVerifier>) {
  const app = new Hono<TokenEnv>();
  app.get('/health', (c) => c.json({ ok: true }));
  app.use('/notes/*', verifier.requireToken({ scope: 'read' }));
  app.get('/notes/mine', (c) => {
    const token = c.get('token');
    return c.json({ owner: token.sub, session: token.sid ?? null, notes: [`hello ${token.sub}`] });
  });
  app.post('/notes/mine', verifier.requireToken({ scope: 'write' }), (c) => c.json({ saved: true }, 201));
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const issuer = process.env.ISSUER ?? 'http://localhost:3000';
  const verifier = createVerifier({ issuer, audience: process.env.AUDIENCE ?? issuer, revocations: true });
  const server = serve({ fetch: createResourceApp(verifier).fetch, port: Number(process.env.PORT ?? 4000), hostname: '127.0.0.1' }, (info) =>
    console.log(`resource service on http://127.0.0.1:${info.port}, trusting ${issuer}`),
  );
  process.once('SIGTERM', () => {
    verifier.close();
    server.close(() => process.exit(0));
  });
}
