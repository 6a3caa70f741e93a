import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp } from '../../src/http/app.js';
import { listen, type RequestTimeouts } from '../../src/http/listen.js';
import type { Config } from '../../src/config/schema.js';
import { makeDeps, onCleanup, testConfig, type TestDeps } from './deps.js';
import type { Store } from '../../src/store/types.js';
import type { FixedClock } from './clock.js';
import type { Ids } from '../../src/lib/ids.js';

export type TestServer = {
  deps: TestDeps;
  /** http://127.0.0.1:<port>, also the issuer. */
  url: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
};

/**
 * Tessera over real HTTP on a loopback port, with test deps (real SQLite file, fixed clock).
 * `env` overrides configuration the way the environment would; `timeouts` replaces the production
 * request timeouts.
 */
export async function testServer(
  options: { env?: Record<string, string>; store?: Store; clock?: FixedClock; log?: Logger; ids?: Ids; timeouts?: RequestTimeouts } = {},
): Promise<TestServer> {
  let handler: ((req: Request, env: unknown) => Response | Promise<Response>) | undefined;
  const server = listen((req, env) => handler!(req, env), { port: 0, hostname: '127.0.0.1', timeouts: options.timeouts });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const config: Config = testConfig({ ISSUER: url, ...options.env });
  const deps = await makeDeps({ config, store: options.store, clock: options.clock, log: options.log, ids: options.ids });
  const app = createApp(deps);
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
