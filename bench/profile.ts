// npx tsx bench/profile.ts [refresh|dpop-refresh|client_credentials|jwks|metadata|login] [seconds] [--pg]: a CPU profile (node --cpu-prof)
// of the real server under that load, pinned as in `npm run bench`; prints the top entries by self time
// and leaves the .cpuprofile (for Chrome DevTools) in the directory it names. --pg: on a fresh PostgreSQL
// database of BENCH_DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/test) instead of SQLite.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { cleanupAll } from './lib/cleanup.js';
import { connections, load, type Target } from './lib/load.js';
import { buildDist, freshPgDatabase, pinSelf, tesseraOn } from './lib/processes.js';
import { proofSigner } from './lib/dpop.js';
import { dpopSessions, password, sessions } from './lib/tessera.js';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

/** Self time per function (name and place), as shares of all samples. */
export function topSelf(profile: Profile, n: number): { name: string; share: number }[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const time = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url ? ` ${relative(process.cwd(), url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}${where}`;
    const dt = profile.timeDeltas[i] ?? 0;
    time.set(key, (time.get(key) ?? 0) + dt);
    total += dt;
  });
  return [...time]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, t]) => ({ name, share: t / total }));
}

const args = process.argv.slice(2).filter((a) => a !== '--pg');
const kind = args[0] ?? 'refresh';
const seconds = Number(args[1] ?? 10);
pinSelf();
buildDist();
const dir = mkdtempSync(join(tmpdir(), 'tessera-profile-'));
const databaseUrl = process.argv.includes('--pg')
  ? (await freshPgDatabase(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test')).url
  : `file:${join(dir, 'tessera.db')}`;
const { server, deps, serviceSecret: secret } = await tesseraOn(databaseUrl, ['--cpu-prof', '--cpu-prof-interval=250', `--cpu-prof-dir=${dir}`]);
try {
  const targets: Record<string, () => Promise<Target>> = {
    refresh: async () => ({ kind: 'refresh', clientId: 'bench-app', tokens: await sessions(deps, connections + 10) }),
    'dpop-refresh': async () => ({
      kind: 'dpop-refresh',
      clientId: 'bench-app',
      chains: await dpopSessions(
        deps,
        Array.from({ length: connections + 10 }, () => proofSigner()),
      ),
    }),
    client_credentials: async () => ({
      kind: 'form',
      path: '/token',
      body: 'grant_type=client_credentials&scope=read',
      headers: { authorization: `Basic ${Buffer.from(`bench-service:${secret}`).toString('base64')}` },
    }),
    jwks: async () => ({ kind: 'get', path: '/.well-known/jwks.json' }),
    metadata: async () => ({ kind: 'get', path: '/.well-known/openid-configuration' }),
    login: async () => ({
      kind: 'form',
      path: '/token',
      body: new URLSearchParams({ grant_type: 'password', client_id: 'bench-app', username: 'alice', password }).toString(),
    }),
  };
  const result = await load(server.url, server.child.pid, await targets[kind]!(), seconds);
  console.log(`${kind}: ${Math.round(result.rate)} /s, p99 ${result.p99} ms, CPU ${result.cpuMs.toFixed(2)} ms/request, ${result.failures} failures`);
} finally {
  await server.stop();
  await cleanupAll();
}
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
console.log(`profile: ${join(dir, file)}`);
for (const { name, share } of topSelf(JSON.parse(readFileSync(join(dir, file), 'utf8')), 12)) console.log(`${(share * 100).toFixed(1).padStart(5)}%  ${name}`);
