import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/http/app.js';
import { listen, type RequestTimeouts } from '../../src/http/listen.js';
import type { Config } from '../../src/config/schema.js';
import { makeDeps, onCleanup, testConfig, type MakeDepsOptions, type TestDeps } from './deps.js';

export type TestServer = {
  deps: TestDeps;
  /** http://127.0.0.1:<port>, also the issuer. */
  url: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
};

/**
 * Tessera over real HTTP on a loopback port, with test deps (testStore(), fixed clock).
 * `env` overrides configuration the way the environment would; `app` passes createApp() options;
 * `timeouts` replaces the production request timeouts.
 */
export async function testServer(
  options: { env?: Record<string, string>; app?: Parameters<typeof createApp>[1]; timeouts?: RequestTimeouts; localhost?: boolean } & Pick<
    MakeDepsOptions,
    'store' | 'clock' | 'log' | 'ids' | 'keyPairs'
  > = {},
): Promise<TestServer> {
  let handler: ((req: Request, env: unknown) => Response | Promise<Response>) | undefined;
  const server = listen((req, env) => handler!(req, env), { port: 0, hostname: '127.0.0.1', timeouts: options.timeouts });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
  // `localhost`: a host name, which WebAuthn needs as its relying party id (it refuses IP addresses).
  const url = `http://${options.localhost ? 'localhost' : '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  // Connections a test left open (a cancelled stream, a keep-alive socket) would hold close() up for seconds.
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  );

  const config: Config = testConfig({ ISSUER: url, ...options.env });
  const deps = await makeDeps({ config, store: options.store, clock: options.clock, log: options.log, ids: options.ids, keyPairs: options.keyPairs });
  const app = createApp(deps, options.app);
  handler = (req, env) => app.fetch(req, env as never);
  return { deps, url, fetch: (path, init) => fetch(`${url}${path}`, init) };
}

/** An application/x-www-form-urlencoded body. */
export const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

export const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
