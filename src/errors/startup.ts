import type { DatabaseConfig } from '../config/schema.js';
import { databaseHint } from './database-hint.js';

/** Something outside Tessera stops it from starting; the message is the one line an operator reads. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

type SystemError = Error & { code?: string; syscall?: string; errors?: unknown[] };

/**
 * The cause in a few words, for the one line an operator reads. A failed query (drizzle's
 * DrizzleQueryError, with `params`) says what the database said, not the statement and its
 * parameters; connection failures to several addresses come as an AggregateError without a message.
 */
export function errorReason(error: unknown): string {
  const e = error as SystemError;
  if (e instanceof Error && e.cause instanceof Error && 'params' in e) return e.cause.message;
  if (e?.message) return e.message;
  const first = e?.errors?.[0] as SystemError | undefined;
  return first?.message || e?.code || String(error);
}

/** Where the store is, for people: the SQLite path, or the PostgreSQL URL without its password. */
export function databaseLabel(database: DatabaseConfig): string {
  if (database.kind === 'sqlite') return `SQLite database ${database.path}`;
  const url = new URL(database.url);
  if (url.password) url.password = '***';
  return `PostgreSQL database ${url.toString()}`;
}

/** Opening, reading or migrating the store failed: what the driver said, then, where we know it, the fix. */
export function databaseProblem(database: DatabaseConfig, error: unknown): StartupError {
  const hint = databaseHint(database, error);
  return new StartupError(`cannot use the ${databaseLabel(database)} (DATABASE_URL): ${errorReason(error)}${hint ? `; ${hint}` : ''}`);
}

/** The HTTP server could not listen on HOST:PORT. */
export function listenProblem(error: unknown, { host, port }: { host: string; port: number }): StartupError {
  switch ((error as SystemError)?.code) {
    case 'EADDRINUSE':
      return new StartupError(`port ${port} on ${host} is already in use: stop the other process or set PORT`);
    case 'EACCES':
      return new StartupError(`not allowed to listen on port ${port} (PORT): ports below 1024 need privileges`);
    case 'EADDRNOTAVAIL':
      return new StartupError(`cannot listen on ${host} (HOST): it is not an address of this machine`);
    default:
      return new StartupError(`cannot listen on ${host}:${port} (HOST, PORT): ${errorReason(error)}`);
  }
}
