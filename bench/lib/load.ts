import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import type { ProofSigner } from './dpop.js';

// The load of `npm run bench`: autocannon in this process (pinned to the load core), 50 connections.
export const connections = 50;

/**
 * `cpuMs`: the server's CPU time per successful request (user + system, all its threads), from /proc:
 * unlike the rate, it holds still when other processes share the core. `loadCpuMs`: the same for this process, the
 * load generator; `loadBusy`: the share of one core this process used during the load (near 1, the generator and not
 * the server would set the rate).
 */
export type LoadResult = { rate: number; p50: number; p99: number; failures: number; cpuMs: number; loadCpuMs: number; loadBusy: number };

/**
 * The CPU time so far of a process, or of several together (a server and its redis-server), in milliseconds (Linux
 * /proc; NaN elsewhere). Clock ticks are 1/100 s on Linux.
 */
function cpuTimeMs(pids: Pids): number {
  let total = 0;
  for (const pid of Array.isArray(pids) ? pids : [pids]) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return NaN;
    }
  }
  return total;
}

/** The processes whose CPU time a measurement counts. */
export type Pids = number | undefined | (number | undefined)[];

export type Target =
  | { kind: 'get'; path: string }
  | { kind: 'form'; path: string; body: string; headers?: Record<string, string> }
  /** Rotations: each response's refresh_token goes back to the pool the next request takes from. */
  | { kind: 'refresh'; clientId: string; tokens: string[] }
  /**
   * Rotations of DPoP-bound chains (RFC 9449 §5): each request carries a fresh proof (new jti, iat now, POST, the
   * /token URL) signed by its chain's key; the successor goes back to the pool with that key.
   */
  | { kind: 'dpop-refresh'; clientId: string; chains: DpopChain[] };

/** A refresh token bound to `signer`'s key (its family's dpop_jkt). */
export type DpopChain = { token: string; signer: ProofSigner };

const formType = { 'content-type': 'application/x-www-form-urlencoded' };

/** A request as autocannon builds it; `context` is the connection's, from a request's setup to its answer. */
type RequestSpec = {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?(request: Record<string, unknown>, context: Record<string, unknown>): { body: string; headers?: Record<string, string> };
  onResponse?(status: number, body: string, context: Record<string, unknown>): void;
};

/** `url`: the server's, which a DPoP proof's htu names. */
function requestsFor(url: string, target: Target): RequestSpec[] {
  if (target.kind === 'get') return [{ method: 'GET', path: target.path }];
  if (target.kind === 'form') return [{ method: 'POST', path: target.path, headers: { ...formType, ...target.headers }, body: target.body }];
  const body = (clientId: string, token: string) => `grant_type=refresh_token&client_id=${clientId}&refresh_token=${encodeURIComponent(token)}`;
  const broken = () => new Error('refresh load: every chain broke (see the failures)');
  if (target.kind === 'dpop-refresh') {
    const htu = new URL('/token', url).href;
    const pool = [...target.chains];
    return [
      {
        method: 'POST',
        path: '/token',
        headers: formType,
        setupRequest(request, context) {
          const chain = pool.shift();
          if (chain === undefined) throw broken();
          // One request in flight per connection: its chain waits in the connection's context for the answer.
          context.chain = chain;
          const dpop = chain.signer.proof('POST', htu, Math.floor(Date.now() / 1000));
          return { ...request, headers: { ...formType, dpop }, body: body(target.clientId, chain.token) };
        },
        onResponse(status, text, context) {
          const chain = context.chain as DpopChain | undefined;
          if (status === 200 && chain) pool.push({ token: (JSON.parse(text) as { refresh_token: string }).refresh_token, signer: chain.signer });
        },
      },
    ];
  }
  // A chain per session: a token is taken when its request is built and its successor put back on the answer.
  const pool = [...target.tokens];
  return [
    {
      method: 'POST',
      path: '/token',
      headers: formType,
      setupRequest(request) {
        const token = pool.shift();
        if (token === undefined) throw broken();
        return { ...request, body: body(target.clientId, token) };
      },
      onResponse(status, text) {
        if (status === 200) pool.push((JSON.parse(text) as { refresh_token: string }).refresh_token);
      },
    },
  ];
}

/**
 * `seconds` of load on the server at `url` (process `pid`, or processes). Without `rate`, autocannon's closed loop: each connection
 * sends its next request when the last one is answered, which finds the peak rate. With `rate`, requests arrive at
 * that rate, evenly spaced (see paced()), for the latency at a given rate. It returns once the server is idle again
 * (settled()).
 */
export async function load(url: string, pid: Pids, target: Target, seconds: number, rate?: number): Promise<LoadResult> {
  const cpuBefore = cpuTimeMs(pid);
  const [loadBefore, wallBefore] = [process.cpuUsage(), performance.now()];
  const result = rate ? await paced(url, target, seconds, rate) : await closedLoop(url, target, seconds);
  const cpuMs = (cpuTimeMs(pid) - cpuBefore) / result.answered;
  const used = process.cpuUsage(loadBefore);
  const loadMs = (used.user + used.system) / 1000;
  const loadBusy = loadMs / (performance.now() - wallBefore);
  await settled(pid);
  return { ...result, cpuMs, loadCpuMs: loadMs / result.answered, loadBusy };
}

/**
 * Waits (up to 5 s) until process `pid` spends no CPU for 100 ms. When the load stops, a server still works through
 * the requests it had taken (50 logins queued for argon2 are most of a second of CPU); on the shared core that work
 * would be charged to whatever is measured next.
 */
async function settled(pid: Pids): Promise<void> {
  let last = cpuTimeMs(pid);
  for (let waited = 0; waited < 5000 && !Number.isNaN(last); waited += 100) {
    await sleep(100);
    const now = cpuTimeMs(pid);
    if (now === last) return;
    last = now;
  }
}

type Measured = Omit<LoadResult, 'cpuMs' | 'loadCpuMs' | 'loadBusy'> & { answered: number };

/** Exactly `amount` requests, `inFlight` at a time; how many were answered 2xx. */
export async function requests(url: string, target: Target, amount: number, inFlight: number): Promise<number> {
  const result = await autocannon({ url, connections: inFlight, amount, timeout: 120, requests: requestsFor(url, target) as never });
  return result['2xx'];
}

async function closedLoop(url: string, target: Target, seconds: number): Promise<Measured> {
  const result = await autocannon({ url, connections, duration: seconds, requests: requestsFor(url, target) as never });
  return {
    rate: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    answered: result['2xx'],
  };
}

/**
 * An open loop at `rate` requests per second: request i is due at start + i/rate, sent then on a free keep-alive
 * connection (up to `connections`), and its latency counts from when it was due, so a stall of the server (or of this
 * generator) shows in full rather than delaying the requests behind it (no coordinated omission). autocannon's
 * overallRate cannot serve here: each connection sends its share of a second back to back when the second starts,
 * so the requests arrive in bursts, and it adds one synthetic sample per millisecond of every slow answer.
 */
async function paced(url: string, target: Target, seconds: number, rate: number): Promise<Measured> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const [spec] = requestsFor(url, target);
  const latencies: number[] = [];
  let failures = 0;
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      let body: string | undefined;
      let headers = spec!.headers;
      const context: Record<string, unknown> = {};
      try {
        if (spec!.setupRequest) ({ body, headers = headers } = spec!.setupRequest({}, context));
        else body = spec!.body;
      } catch {
        // Every refresh chain is in flight or broken: this arrival finds nothing to send.
        failures++;
        return resolve();
      }
      const req = request(new URL(spec!.path, url), { method: spec!.method, agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(performance.now() - due);
          else failures++;
          spec!.onResponse?.(res.statusCode ?? 0, text, context);
          resolve();
        });
      });
      req.on('error', () => {
        failures++;
        resolve();
      });
      req.end(body);
    });

  const start = performance.now() + 100;
  const total = Math.floor(seconds * rate);
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(send(due));
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10) / 10;
  return { rate: latencies.length / seconds, p50: at(0.5), p99: at(0.99), failures, answered: latencies.length };
}
