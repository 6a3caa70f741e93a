// Records the commit a build was made from in dist/build-info.json (or the file given), which src/lib/version.ts
// reads: the startup log line, /metrics (tessera_build_info) and `tessera --version` show it. `npm run build`
// and `npm run build:server` run this after compiling. Where there is no git (a Docker build, a tarball), the
// commit comes from TESSERA_COMMIT (`docker build --build-arg TESSERA_COMMIT=$(git rev-parse --short=12 HEAD)`),
// else it is "unknown".
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = process.argv[2] ?? join(root, 'dist', 'build-info.json');

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

const commit = process.env.TESSERA_COMMIT?.trim() || gitCommit() || 'unknown';
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ commit })}\n`);
