import { basename, dirname, resolve } from 'node:path';
import type { DatabaseConfig } from '../config/schema.js';

type DriverError = Error & { code?: string; errors?: unknown[]; cause?: unknown };

/**
 * What to do about a driver's error on opening the store, in the operator's terms, or null when the
 * error says nothing we can turn into a step. The driver's own words come first in the message; this
 * is the fix that follows them.
 */
export function databaseHint(database: DatabaseConfig, error: unknown): string | null {
  const e = error as DriverError;
  // A failed query comes wrapped by drizzle (the driver's error is its cause); a failed connection to several addresses as an AggregateError.
  const code = e?.code ?? (e?.cause as DriverError | undefined)?.code ?? (e?.errors?.[0] as DriverError | undefined)?.code;
  return database.kind === 'sqlite' ? sqliteHint(database.path, code, e?.message ?? '') : postgresHint(new URL(database.url), code);
}

function postgresHint(url: URL, code: string | undefined): string | null {
  const host = url.hostname || 'localhost';
  const port = url.port || '5432';
  const name = decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username);
  const role = decodeURIComponent(url.username) || 'the user running Tessera';
  switch (code) {
    case '3D000': // invalid_catalog_name
      return `create the database: createdb -h ${host} -p ${port} ${name} (as a role allowed to create databases), or name another in DATABASE_URL`;
    case '28000': // invalid_authorization_specification: the role does not exist, or pg_hba.conf refused it
      return `create the role ${role} (createuser -h ${host} -p ${port} --pwprompt ${role}), name another in DATABASE_URL, or allow it in pg_hba.conf`;
    case '28P01': // invalid_password
      return `check the password of the role ${role} in DATABASE_URL`;
    case 'ECONNREFUSED':
      return `is PostgreSQL running at ${host}:${port}? Check the host and port in DATABASE_URL`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host ${host} in DATABASE_URL is not known: check its spelling`;
    default:
      return null;
  }
}

function sqliteHint(path: string, code: string | undefined, message: string): string | null {
  if (path === ':memory:') return null;
  const folder = dirname(resolve(path));
  const file = basename(path);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return `the folder ${folder} cannot be created here: create it and let the user running Tessera write to it, or point DATABASE_URL elsewhere`;
  if (code === 'ENOTDIR') return `a part of ${folder} is a file, not a folder: point DATABASE_URL elsewhere`;
  if (/directory does not exist/.test(message)) return `the folder ${folder} does not exist: create it (mkdir -p ${folder}) or point DATABASE_URL elsewhere`;
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_READONLY_DIRECTORY')
    return `the user running Tessera must be able to write to the folder ${folder} and to ${file} in it (SQLite also writes ${file}-wal and ${file}-shm there): check their permission (ls -ld ${folder})`;
  return null;
}
