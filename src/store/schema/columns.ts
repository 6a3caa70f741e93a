import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The column builders that differ between the dialects. The tables are defined once, over these;
 * SQLite's builders give the types, and PostgreSQL's (./postgres.ts), which take the same arguments,
 * stand in for them at run time, as PostgreSQL's query builder does for SQLite's in ../dialect.ts.
 */
export const sqliteColumns = {
  table: sqliteTable,
  text,
  /** An instant: epoch milliseconds. */
  instant: (name: string) => integer(name),
  int: (name: string) => integer(name),
  bool: (name: string) => integer(name, { mode: 'boolean' }),
  index,
  primaryKey,
};

export type Columns = typeof sqliteColumns;
