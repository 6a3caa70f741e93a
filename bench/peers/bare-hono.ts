// The ceiling for Tessera's static documents in `npm run bench`: a bare Hono app on @hono/node-server
// answering fixed bytes with fixed headers, nothing else. Env: PORT, and DOCUMENTS, a JSON file of
// { "/path": { "body": "...", "headers": { ... } } } (the bytes and headers Tessera sent for each path).
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const documents = JSON.parse(readFileSync(process.env.DOCUMENTS!, 'utf8')) as Record<string, { body: string; headers: Record<string, string> }>;
const app = new Hono();
for (const [path, { body, headers }] of Object.entries(documents)) app.get(path, (c) => c.body(body, 200, headers));
app.get('/readyz', (c) => c.text('ok'));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
