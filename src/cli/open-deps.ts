import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { buildDeps } from '../compose.js';
import { loadConfig } from '../config/load.js';
import { strayVariablesWarning } from '../config/stray-variables.js';
import type { DatabaseConfig } from '../config/schema.js';
import { databaseLabel, databaseProblem, StartupError } from '../errors/startup.js';
import { createLogger } from '../lib/logger.js';
import type { Deps } from '../services/deps.js';

export type OpenOptions = {
  /** Whether the command may create the store when there is none: `tessera migrate` only (and the server's start). */
  create: boolean;
};

/**
 * The deps one CLI invocation works on: the store of `env`'s configuration, migrated. The CLI speaks through its own
 * output; `stderr` gets one line naming the store it opened (so a command run in the wrong folder says so), and the
 * library's logs, only when they matter. A SQLite file that is not there is refused unless `create`: a command run
 * outside the checkout would otherwise work on a new, empty store of its own.
 */
export async function openCliDeps(env: NodeJS.ProcessEnv, stderr: NodeJS.WritableStream, { create }: OpenOptions = { create: false }): Promise<Deps> {
  const config = loadConfig(env);
  // A misspelled variable leaves a default in force: the server logs it, and the CLI says it too.
  const strayWarning = strayVariablesWarning(env);
  if (strayWarning) stderr.write(`tessera: warning: ${strayWarning.message}\n`);
  const where = located(config.database);
  if (where.kind === 'sqlite' && where.path !== ':memory:' && !create && !existsSync(where.path)) {
    const given = config.database.kind === 'sqlite' && !isAbsolute(config.database.path) ? ' (DATABASE_URL, relative to this folder)' : ' (DATABASE_URL)';
    throw new StartupError(
      `there is no ${databaseLabel(where)}${given}: run tessera in the Tessera checkout, set DATABASE_URL to the store, or create one here with tessera migrate`,
    );
  }
  try {
    // The CLI verifies no password (logins go to the server), so it skips the argon2 run that makes the hash an unknown
    // user's login is checked against: that run was about a quarter of every command's start. Were it ever used, the
    // empty hash verifies nothing (Hasher.verify is false for it).
    const deps = await buildDeps(config, createLogger('warn', stderr as never), { dummyPasswordHash: '' });
    await deps.store.migrate();
    stderr.write(`tessera: using the ${databaseLabel(where)}\n`);
    return deps;
  } catch (error) {
    throw databaseProblem(config.database, error);
  }
}

/** The database with a SQLite path made absolute, as the people reading the line need it. */
const located = (database: DatabaseConfig): DatabaseConfig =>
  database.kind === 'sqlite' && database.path !== ':memory:' ? { ...database, path: resolve(database.path) } : database;
