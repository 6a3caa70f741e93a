import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { databaseProblem } from '../../../src/errors/startup.js';
import { tempDir } from '../../helpers/deps.js';
import { testDatabaseUrl } from '../../helpers/postgres.js';
import { freePort } from '../../helpers/process.js';

/** What the driver really throws when opening `path`. */
function sqliteError(path: string): unknown {
  try {
    new Database(path).close();
  } catch (error) {
    return error;
  }
  throw new Error(`${path} opened`);
}

/** What node-postgres really throws when connecting to `url`. */
async function postgresError(url: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    return error;
  }
  await client.end();
  throw new Error(`${url} connected`);
}

const sqlite = (path: string) => ({ kind: 'sqlite' as const, path });
const postgres = (url: string) => ({ kind: 'postgres' as const, url });

describe('databaseProblem names the fix', () => {
  it('SQLite: a folder that does not exist', () => {
    const path = join(tempDir(), 'missing', 'tessera.db');
    expect(databaseProblem(sqlite(path), sqliteError(path)).message).toBe(
      `cannot use the SQLite database ${path} (DATABASE_URL): Cannot open database because the directory does not exist; ` +
        `the folder ${join(path, '..')} does not exist: create it (mkdir -p ${join(path, '..')}) or point DATABASE_URL elsewhere`,
    );
  });

  it('SQLite: a folder it may not write to', () => {
    // /proc exists and refuses new files whoever runs the test (root included, where a chmod would not).
    expect(databaseProblem(sqlite('/proc/tessera.db'), sqliteError('/proc/tessera.db')).message).toBe(
      'cannot use the SQLite database /proc/tessera.db (DATABASE_URL): unable to open database file; the user running Tessera must be able to write to ' +
        'the folder /proc and to tessera.db in it (SQLite also writes tessera.db-wal and tessera.db-shm there): check their permission (ls -ld /proc)',
    );
  });

  it('PostgreSQL: nothing listens at the host and port', async () => {
    const url = `postgres://tessera@127.0.0.1:${await freePort()}/tessera`;
    expect(databaseProblem(postgres(url), await postgresError(url)).message).toMatch(
      /: connect ECONNREFUSED 127\.0\.0\.1:\d+; is PostgreSQL running at 127\.0\.0\.1:\d+\? Check the host and port in DATABASE_URL$/,
    );
  });

  it.skipIf(!testDatabaseUrl)('PostgreSQL: a database that does not exist, and a role that does not exist', async () => {
    const server = new URL(testDatabaseUrl!);
    const noDatabase = new URL(server);
    noDatabase.pathname = '/tessera_no_such_db';
    expect(databaseProblem(postgres(noDatabase.href), await postgresError(noDatabase.href)).message).toContain(
      `database "tessera_no_such_db" does not exist; create the database: createdb -h ${server.hostname} -p ${server.port || '5432'} tessera_no_such_db`,
    );
    const noRole = new URL(server);
    noRole.username = 'tessera_no_such_role';
    expect(databaseProblem(postgres(noRole.href), await postgresError(noRole.href)).message).toContain(
      `role "tessera_no_such_role" does not exist; create the role tessera_no_such_role (createuser -h ${server.hostname}`,
    );
  });
});
