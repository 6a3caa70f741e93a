import Database from 'better-sqlite3';

/**
 * Copies a live SQLite database to `destination` with SQLite's online backup API, on a connection
 * of its own. All pages go in one step, so the copy is one consistent snapshot: a write by the
 * server between steps would make SQLite start the backup over. In WAL mode the server keeps
 * writing meanwhile. Returns the number of pages copied.
 */
export async function backupSqlite(source: string, destination: string): Promise<number> {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    const { totalPages } = await db.backup(destination, { progress: () => 0x7fffffff });
    return totalPages;
  } finally {
    db.close();
  }
}
