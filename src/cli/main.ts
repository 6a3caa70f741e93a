import { text } from 'node:stream/consumers';
import { buildDeps } from '../compose.js';
import { loadConfig } from '../config/load.js';
import { databaseProblem } from '../errors/startup.js';
import { createLogger } from '../lib/logger.js';
import { runCli } from './run.js';

const code = await runCli(
  process.argv.slice(2),
  {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readStdin: () => text(process.stdin),
  },
  async () => {
    const config = loadConfig(process.env);
    try {
      // The CLI speaks through its own output; the library's logs go to stderr and only when they matter.
      const deps = await buildDeps(config, createLogger('warn', process.stderr as never));
      await deps.store.migrate();
      return deps;
    } catch (error) {
      throw databaseProblem(config.database, error);
    }
  },
);
process.exitCode = code;
