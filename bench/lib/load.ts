import autocannon from 'autocannon';

// The load of `npm run bench`: autocannon in this process (pinned to the load core), 50 connections.
export const connections = 50;

export type LoadResult = { rate: number; p50: number; p99: number; failures: number };

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

/** `seconds` of load on `url`; `overallRate` caps the requests per second (for latency at a given rate). */
export async function load(url: string, target: Target, seconds: number, overallRate?: number): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    ...(overallRate ? { overallRate: Math.max(1, Math.round(overallRate)) } : {}),
    requests: requestsFor(target) as never,
  });
  return { rate: result['2xx'] / result.duration, p50: result.latency.p50, p99: result.latency.p99, failures: result.non2xx + result.errors + result.timeouts };
}
