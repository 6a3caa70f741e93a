import type { AddressInfo } from 'node:net';
import type { ServerType } from '@hono/node-server';
import { buildDeps, openStore } from './compose.js';
import { ConfigError, loadConfig } from './config/load.js';
import { strayVariablesWarning } from './config/stray-variables.js';
import { databaseProblem, listenProblem } from './errors/startup.js';
import { createApp } from './http/app.js';
import { listen } from './http/listen.js';
import { keyReloadSeconds } from './keys/key-ring.js';
import { createLogger } from './lib/logger.js';
import { createMetrics } from './lib/metrics.js';
import { buildInfo } from './lib/version.js';
import type { Deps } from './services/deps.js';
import { pruneExpired } from './services/retention.js';
import { startWebhookDelivery } from './services/webhooks/deliver.js';

/** After SIGTERM: in-flight requests get `drainMs` to finish, then open connections are cut; past `shutdownGraceMs` the process exits 1. */
const drainMs = 5_000;
const shutdownGraceMs = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tessera: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const strayWarning = strayVariablesWarning(process.env);
  if (strayWarning) log.warn({ variables: strayWarning.names }, strayWarning.message);
  let deps: Deps;
  let migrations: string[];
  try {
    deps = await buildDeps(config, log, { store: await openStore(config, { serving: true }), metrics: createMetrics({ processMetrics: true }) });
    migrations = await deps.store.migrate();
  } catch (error) {
    throw databaseProblem(config.database, error);
  }
  if (migrations.length > 0) log.info({ migrations }, `migrations applied: ${migrations.join(', ')}`);
  // A missing or wrong KEY_ENCRYPTION_KEY fails here, with a KeyRingError that says what to do.
  await deps.keys.refresh(deps.clock.now());
  const unencrypted = deps.keys.unencryptedKeys();
  if (unencrypted.length > 0) log.warn({ kids: unencrypted }, 'signing keys stored in clear although KEY_ENCRYPTION_KEY is set; run: npx tessera keys encrypt');

  const stopped = new AbortController();
  const app = createApp(deps, { shutdown: stopped.signal });
  const server = listen(app.fetch, { port: config.port, hostname: config.host });
  const info = await listening(server, config);
  const build = buildInfo();
  log.info(
    {
      version: build.version,
      commit: build.commit,
      issuer: config.issuer,
      jwks_uri: `${config.issuer}/.well-known/jwks.json`,
      port: info.port,
      store: config.database.kind,
    },
    'tessera listening',
  );

  if ((await deps.store.listClients()).length === 0) {
    log.info({ hint: 'npx tessera clients create web-app --public --grants password --scope "read write"' }, 'no client exists yet; create one with the CLI');
  }

  const timers = [
    setInterval(() => {
      const failing = deps.keys.refreshFailure() !== null;
      deps.keys.refresh(deps.clock.now()).then(
        () => failing && log.info('key refresh succeeded again; ready'),
        (err: Error) => log.error({ err: { message: err.message } }, 'key refresh failed'),
      );
    }, keyReloadSeconds(config) * 1000),
    setInterval(() => {
      pruneExpired(deps)
        .then((deleted) => deleted > 0 && log.info({ deleted }, 'expired rows removed'))
        .catch((err: Error) => log.error({ err: { message: err.message } }, 'cleanup failed'));
    }, 600_000),
  ];
  for (const timer of timers) timer.unref();
  // Events committed before a crash are still in the outbox: this delivers them after a restart too.
  startWebhookDelivery(deps, { signal: stopped.signal });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    stopped.abort();
    log.info({ signal }, 'shutting down');
    timers.forEach(clearInterval);
    // Connections close once their answers are sent rather than idling for keep-alive, which would hold the shutdown
    // up until the cut below: those answering now (a feed stream ending) after a moment, and those that ask again
    // (a verifier reconnecting to /revocations every 100 ms, sooner than any keep-alive timeout) at once.
    if ('keepAliveTimeout' in server) server.keepAliveTimeout = 1;
    server.prependListener('request', (req, res) => res.once('finish', () => req.socket.end()));
    const cut = setTimeout(() => {
      log.warn({ drain_ms: drainMs }, 'drain time over: open connections cut');
      if ('closeAllConnections' in server) server.closeAllConnections();
    }, drainMs);
    const force = setTimeout(() => {
      log.error({ grace_ms: shutdownGraceMs }, 'shutdown did not finish in time');
      process.exit(1);
    }, shutdownGraceMs);
    for (const timer of [cut, force]) timer.unref();
    // close() stops accepting at once and calls back when the last in-flight request has finished.
    // The last line is flushed before the exit: stdout is written asynchronously, and a write still in flight when
    // the process exits is lost.
    const exit = (code: number) => log.flush(() => process.exit(code));
    server.close(() => {
      deps.store.close().then(
        () => {
          log.info('stopped');
          exit(0);
        },
        (err: Error) => {
          log.error({ err: { message: err.message } }, 'closing the store failed');
          exit(1);
        },
      );
    });
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

/** Resolves once the server listens; a port in use and the like become one line instead of an unhandled 'error' event. */
function listening(server: ServerType, address: { host: string; port: number }): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(listenProblem(error, address));
    server.once('error', failed);
    server.once('listening', () => {
      server.off('error', failed);
      resolve(server.address() as AddressInfo);
    });
  });
}

main().catch((error: Error) => {
  process.stderr.write(`tessera: ${error.message}\n`);
  process.exit(1);
});
