import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Tests that run the CLI or the server as real processes use dist/; build it once so it matches src/. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'tsconfig.build.json', 'packages/verify'], { cwd: root, stdio: 'inherit' });
}
