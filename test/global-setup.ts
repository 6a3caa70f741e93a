import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const root = fileURLToPath(new URL('..', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** A file that appears, holding { code, output } of the build of dist/, once that build has ended. */
    distBuild: string;
  }
}

/**
 * Tests that run the CLI or the server as real processes use dist/; build it so it matches src/. The build runs
 * beside the in-process tests, which do not need it (one core would otherwise wait for it); the process tests
 * wait for it in test/wait-for-build.ts.
 */
export default function setup(project: TestProject): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-build-'));
  const status = join(dir, 'status.json');
  const child = spawn(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'tsconfig.build.json', 'packages/verify'], { cwd: root });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ended = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      // As `npm run build` does after compiling (its postbuild script): record the commit built.
      if (code === 0) execFileSync(process.execPath, ['scripts/build-info.mjs'], { cwd: root });
      // Written whole, then renamed: a reader never sees half of it.
      writeFileSync(`${status}.tmp`, JSON.stringify({ code, output }));
      renameSync(`${status}.tmp`, status);
      resolve(code);
    });
  });
  project.provide('distBuild', status);

  return async () => {
    if ((await ended) !== 0) console.error(`building dist/ failed:\n${output}`);
    rmSync(dir, { recursive: true, force: true });
  };
}
