import type { Logger } from 'pino';
import { createClient } from '../../src/services/clients.js';
import { browser, seedBrowserApps } from './authorize.js';
import { onCleanup } from './deps.js';
import { testServer } from './server.js';
import { testSmtpServer } from './smtp.js';

/**
 * Tessera over HTTP with mail going to a real SMTP server the test started (sent by the app's own mail sender,
 * looking every 50 ms), sign-up open, the browser apps of authorize.ts with alice (verified address
 * alice@example.com), a first-party password client `web-app`, and a browser without JavaScript.
 */
export async function accountsServer(options: { env?: Record<string, string>; refuse?: number; log?: Logger } = {}) {
  const smtp = await testSmtpServer({ refuse: options.refuse });
  const stop = new AbortController();
  onCleanup(() => stop.abort());
  const server = await testServer({
    env: { SMTP_URL: smtp.url, SIGNUP: 'open', MAIL_FROM: 'Tessera <no-reply@example.com>', ...options.env },
    app: { shutdown: stop.signal, mail: { pollMs: 50 } },
    log: options.log,
  });
  const seeded = await seedBrowserApps(server.deps);
  await createClient(server.deps, { name: 'cli' }, { id: 'web-app', public: true, grants: ['password'], scopes: ['read'] });
  return { ...server, ...seeded, smtp, browser: browser(server.fetch) };
}
