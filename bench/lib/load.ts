import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

// The load of `npm run bench`: autocannon in this process (pinned to the load core), 50 connections.
export const connections = 50;

/**
 * `cpuMs`: the server's CPU time per successful request (user + system, all its threads), from /proc:
 * unlike the rate, it holds still when other processes share the core.
 */
export type LoadResult = { rate: number; p50: number; p99: number; failures: number; cpuMs: number };

/** A process's CPU time so far in milliseconds (Linux /proc; NaN elsewhere). Clock ticks are 1/100 s on Linux. */
function cpuTimeMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

export type Target =
  | { kind: 'get'; path: string }
  | { kind: 'form'; path: string; body: string; headers?: Record<string, string> }
  /** Rotations: each response's refresh_token goes back to the pool the next request takes from. */
  | { kind: 'refresh'; clientId: string; tokens: string[] };

const formType = { 'content-type': 'application/x-www-form-urlencoded' };

function requestsFor(target: Target) {
  if (target.kind === 'get') return [{ method: 'GET', path: target.path }];
  if (target.kind === 'form') return [{ method: 'POST', path: target.path, headers: { ...formType, ...target.headers }, body: target.body }];
  // A chain per session: a token is taken when its request is built and its successor put back on the answer.
  const pool = [...target.tokens];
  return [
    {
      method: 'POST',
      path: '/token',
      headers: formType,
      setupRequest(request: Record<string, unknown>) {
        const token = pool.shift();
        if (token === undefined) throw new Error('refresh load: every chain broke (see the failures)');
        return { ...request, body: `grant_type=refresh_token&client_id=${target.clientId}&refresh_token=${encodeURIComponent(token)}` };
      },
      onResponse(status: number, body: string) {
        if (status === 200) pool.push((JSON.parse(body) as { refresh_token: string }).refresh_token);
      },
    },
  ];
}

/** `seconds` of load on the server at `url` (process `pid`); `overallRate` caps the requests per second (for latency at a given rate). */
export async function load(url: string, pid: number | undefined, target: Target, seconds: number, overallRate?: number): Promise<LoadResult> {
  const cpuBefore = cpuTimeMs(pid);
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    ...(overallRate ? { overallRate: Math.max(1, Math.round(overallRate)) } : {}),
    requests: requestsFor(target) as never,
  });
  const cpuMs = (cpuTimeMs(pid) - cpuBefore) / result['2xx'];
  return {
    rate: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    cpuMs,
  };
}
