import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { buildDeps } from '../../src/compose.js';
import { loadConfig } from '../../src/config/load.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/lib/logger.js';
import { createClient } from '../../src/services/clients.js';
import { startFamily } from '../../src/services/sessions/families.js';
import type { Deps } from '../../src/services/deps.js';
import { createUser } from '../../src/services/users.js';
import { onCleanup } from './cleanup.js';
import type { ProofSigner } from './dpop.js';
import type { DpopChain } from './load.js';

export const password = 'correct horse battery staple';

/** Benchmarks log in a lot; the login rate limit would answer 429. */
export const benchEnv = { LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT_PER_USER: '0', LOGIN_RATE_LIMIT_PER_IP: '0' };

export type Running = { url: string; deps: Deps; close(): Promise<void> };

/** Tessera in this process on a loopback port, production argon2, on `databaseUrl` (a temp SQLite file by default). */
export async function startInProcess(databaseUrl?: string): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  let app: ReturnType<typeof createApp> | undefined;
  const server = serve({ fetch: (req, env) => app!.fetch(req, env as never), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({ ...benchEnv, ISSUER: url, DATABASE_URL: databaseUrl ?? `file:${join(dir, 'tessera.db')}` });
  const deps = await buildDeps(config, createLogger('silent'));
  await deps.store.migrate();
  await deps.keys.refresh(deps.clock.now());
  app = createApp(deps);
  const close = onCleanup(async () => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await deps.store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { url, deps, close };
}

/**
 * A first-party client `bench-app` (password grant), a confidential `bench-service` (client_credentials)
 * and the user `alice`; returns bench-service's secret.
 */
export async function seed(deps: Deps): Promise<string> {
  const operator = { name: 'bench' };
  await createClient(deps, operator, { id: 'bench-app', public: true, grants: ['password'], scopes: ['read'] });
  const { secret } = await createClient(deps, operator, { id: 'bench-service', grants: ['client_credentials'], scopes: ['read'] });
  await createUser(deps, operator, { username: 'alice', password });
  return secret!;
}

/**
 * `n` signed-in sessions of alice on bench-app, started in the store directly (as n logins would); their refresh
 * tokens. `dpopJkt`: the i-th session bound to the key of thumbprint `dpopJkt(i)`, as a password login with a DPoP
 * proof by that key binds it (families.dpop_jkt).
 */
export async function sessions(deps: Deps, n: number, dpopJkt?: (i: number) => string): Promise<string[]> {
  const user = (await deps.store.findUserByUsername('alice'))!;
  const client = (await deps.store.findClient('bench-app'))!;
  const now = deps.clock.now().getTime();
  const started = [];
  for (let i = 0; i < n; i++) {
    const input = { user, client, scope: 'read', audience: deps.config.issuer, authTime: now, dpopJkt: dpopJkt?.(i) ?? null };
    const outcome = await startFamily(deps, { name: 'bench' }, input);
    if (outcome.kind !== 'started') throw new Error('alice cannot sign in');
    started.push(outcome.refreshToken);
  }
  return started;
}

/** A session of alice bound to each of `signers`' keys (see sessions()): DPoP refresh chains. */
export async function dpopSessions(deps: Deps, signers: ProofSigner[]): Promise<DpopChain[]> {
  const tokens = await sessions(deps, signers.length, (i) => signers[i]!.jkt);
  return tokens.map((token, i) => ({ token, signer: signers[i]! }));
}

/**
 * Over HTTP, what the DPoP refresh load relies on: a password login with `signer`'s proof is bound to its key
 * (token_type DPoP), a refresh with a fresh proof rotates, and one without a proof is refused. Throws otherwise.
 * `now`: the server's time in epoch seconds, the proofs' iat.
 */
export async function checkDpopRefresh(base: string, signer: ProofSigner, now = () => Math.floor(Date.now() / 1000)): Promise<void> {
  const htu = `${base}/token`;
  const proof = () => signer.proof('POST', htu, now());
  const send = async (fields: Record<string, string>, dpop?: string) => {
    const res = await fetch(htu, { method: 'POST', body: new URLSearchParams(fields), headers: dpop ? { dpop } : {} });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };
  const loggedIn = await send({ grant_type: 'password', client_id: 'bench-app', username: 'alice', password }, proof());
  if (loggedIn.status !== 200 || loggedIn.body.token_type !== 'DPoP') throw new Error(`DPoP login: ${loggedIn.status} ${JSON.stringify(loggedIn.body)}`);
  const refreshFields = (token: string) => ({ grant_type: 'refresh_token', client_id: 'bench-app', refresh_token: token });
  const rotated = await send(refreshFields(loggedIn.body.refresh_token!), proof());
  if (rotated.status !== 200 || rotated.body.token_type !== 'DPoP') throw new Error(`DPoP refresh: ${rotated.status} ${JSON.stringify(rotated.body)}`);
  const bare = await send(refreshFields(rotated.body.refresh_token!));
  if (bare.status !== 400 || bare.body.error !== 'invalid_dpop_proof') throw new Error(`a bound refresh without a proof was not refused: ${bare.status}`);
}

async function post(url: string, body: Record<string, string>): Promise<Record<string, string>> {
  const res = await fetch(url, { method: 'POST', body: new URLSearchParams(body) });
  const json = (await res.json()) as Record<string, string>;
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${json.error}`);
  return json;
}

/** The argon2 verifications the server has timed so far, from its /metrics: how many, and their total milliseconds. */
export async function serverArgon2Verifies(base: string): Promise<{ count: number; totalMs: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const read = (suffix: string) =>
    Number(new RegExp(`^tessera_argon2_duration_seconds_${suffix}\\{[^}]*operation="verify"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { count: read('count'), totalMs: read('sum') * 1000 };
}

export const login = (base: string) => post(`${base}/token`, { grant_type: 'password', client_id: 'bench-app', username: 'alice', password });

/** One rotation; returns the successor. */
export async function refresh(base: string, token: string): Promise<string> {
  return (await post(`${base}/token`, { grant_type: 'refresh_token', client_id: 'bench-app', refresh_token: token })).refresh_token!;
}
