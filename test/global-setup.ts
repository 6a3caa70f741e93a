import { execFileSync } from 'node:child_process';

/** Tests that run the CLI or the server as real processes use dist/; build it once so it matches src/. */
export default function setup(): void {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
