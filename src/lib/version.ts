import { readFileSync } from 'node:fs';

/** This package's version, from its package.json (two levels up from src/lib and from dist/lib alike). */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

export type BuildInfo = { version: string; commit: string };

let build: BuildInfo | undefined;

/**
 * The version and the commit this build was made from. The commit is recorded at build time in
 * dist/build-info.json (scripts/build-info.mjs); run from src/, or built without git or TESSERA_COMMIT, it is "unknown".
 */
export function buildInfo(): BuildInfo {
  build ??= { version: packageVersion(), commit: recordedCommit() };
  return build;
}

function recordedCommit(): string {
  try {
    const { commit } = JSON.parse(readFileSync(new URL('../build-info.json', import.meta.url), 'utf8')) as { commit?: unknown };
    return typeof commit === 'string' && /^[\w.+-]{1,64}$/.test(commit) ? commit : 'unknown';
  } catch {
    return 'unknown';
  }
}
