import { buildDeps } from '../compose.js';
import { loadConfig } from '../config/load.js';
import { databaseProblem } from '../errors/startup.js';
import { createLogger } from '../lib/logger.js';
import type { Deps } from '../services/deps.js';

/**
 * The deps one CLI invocation works on: the store of `env`'s configuration, migrated. The CLI speaks through its own
 * output; the library's logs go to `logTo` and only when they matter.
 */
export async function openCliDeps(env: NodeJS.ProcessEnv, logTo: NodeJS.WritableStream): Promise<Deps> {
  const config = loadConfig(env);
  try {
    const deps = await buildDeps(config, createLogger('warn', logTo as never));
    await deps.store.migrate();
    return deps;
  } catch (error) {
    throw databaseProblem(config.database, error);
  }
}
