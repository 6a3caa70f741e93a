import { text } from 'node:stream/consumers';
import { openCliDeps } from './open-deps.js';
import { runCli } from './run.js';

const code = await runCli(
  process.argv.slice(2),
  {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readStdin: () => text(process.stdin),
  },
  (options) => openCliDeps(process.env, process.stderr, options),
  process.env,
);
process.exitCode = code;
