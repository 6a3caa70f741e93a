import { runCli } from '../../src/cli/run.js';
import type { Deps } from '../../src/services/deps.js';

/**
 * The CLI run in this process on `deps`, as bin/tessera.js runs it on the deps it opens: the same parsing, checks,
 * output and exit code, without a process start per call. It closes what it opened, so the store it gets stays open.
 * test/cli runs the real binary where the process itself is the point.
 */
export async function cli(deps: Deps, argv: string[], { stdin = '' } = {}) {
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
  const store = Object.create(deps.store, { close: { value: async () => {} } });
  const code = await runCli(argv, io, async () => ({ ...deps, store }));
  return { code, ...out };
}
