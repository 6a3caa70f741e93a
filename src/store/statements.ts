import { getTableColumns, sql, type Table } from 'drizzle-orm';
import { prepare } from './dialect.js';

// Helpers for the statements the hot paths prepare once per store (see Prepared in ./dialect.ts).

export const p = sql.placeholder;

/** `set()` takes no bare placeholder (a typing gap in drizzle); wrapped, it is the same parameter. */
export const setTo = (name: string) => sql`${p(name)}`;

/** An insert of one row with a placeholder per column, named as the row object's property for it. */
export const insertRow = (name: string, table: Table) =>
  prepare(
    name,
    (db) => db.insert(table as never).values(Object.fromEntries(Object.keys(getTableColumns(table)).map((key) => [key, p(key)])) as never),
    'changes',
  );
