import type { OpenOptions } from '../../src/cli/open-deps.js';
import { runCli } from '../../src/cli/run.js';
import type { Deps } from '../../src/services/deps.js';

export type CliOutput = { code: number; stdout: string; stderr: string };

/** One CLI invocation in this process on the deps `openDeps` opens, its output captured. */
export async function cliOn(openDeps: (options: OpenOptions) => Promise<Deps>, argv: string[], { stdin = '' } = {}): Promise<CliOutput> {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: (text: string) => {
      out.stdout += text;
    },
    stderr: (text: string) => {
      out.stderr += text;
    },
    readStdin: async () => stdin,
  };
  const code = await runCli(argv, io, openDeps);
  return { code, ...out };
}

/**
 * The CLI run in this process on `deps`, as bin/tessera.js runs it on the deps it opens: the same parsing, checks,
 * output and exit code, without a process start per call. It closes what it opened, so the store it gets stays open.
 * test/cli runs the real binary where the process itself is the point.
 */
export function cli(deps: Deps, argv: string[], options: { stdin?: string } = {}): Promise<CliOutput> {
  const store = Object.create(deps.store, { close: { value: async () => {} } });
  return cliOn(async () => ({ ...deps, store }), argv, options);
}
