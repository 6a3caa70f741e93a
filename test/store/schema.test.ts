import { is } from 'drizzle-orm';
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as pg from '../../src/store/schema/postgres.js';
import * as sqlite from '../../src/store/schema/sqlite.js';

type Column = { name: string; dataType: string; notNull: boolean; hasDefault: boolean; primary: boolean; isUnique: boolean };
type TableConfig = {
  name: string;
  columns: Column[];
  primaryKeys: { columns: { name: string }[] }[];
  uniqueConstraints: { columns: { name: string }[] }[];
  indexes: { config: { name: string; unique: boolean; columns: unknown[] } }[];
};

const nameOf = (column: unknown) => (column as { name?: string }).name ?? '(expression)';

/**
 * What both dialects must agree on, table by table, in a form that compares with toEqual: the columns with
 * the JavaScript type of their values, nullability and whether they have a default; the primary key; the
 * unique keys (column, constraint or index); the other indexes.
 */
function shape(config: TableConfig) {
  const { columns } = config;
  const primaryKey = config.primaryKeys[0]?.columns.map((c) => c.name) ?? columns.filter((c) => c.primary).map((c) => c.name);
  const uniqueKeys = [
    ...columns.filter((c) => c.isUnique).map((c) => [c.name]),
    ...config.uniqueConstraints.map((u) => u.columns.map((c) => c.name)),
    ...config.indexes.filter((i) => i.config.unique).map((i) => i.config.columns.map(nameOf)),
  ];
  return {
    columns: Object.fromEntries(columns.map((c) => [c.name, { type: c.dataType, notNull: c.notNull, hasDefault: c.hasDefault }])),
    primaryKey,
    uniqueKeys: uniqueKeys.map((key) => key.join(',')).sort(),
    indexes: config.indexes
      .filter((i) => !i.config.unique)
      .map((i) => `${i.config.name}(${i.config.columns.map(nameOf).join(',')})`)
      .sort(),
  };
}

const sqliteTables = new Map(
  Object.values(sqlite)
    .filter((value) => is(value, SQLiteTable))
    .map((table) => {
      const config = sqliteTableConfig(table) as unknown as TableConfig;
      return [config.name, shape(config)];
    }),
);
const pgTables = new Map(
  Object.values(pg)
    .filter((value) => is(value, PgTable))
    .map((table) => {
      const config = pgTableConfig(table) as unknown as TableConfig;
      return [config.name, shape(config)];
    }),
);

// One set of mappers, one domain model and one query core serve both dialects only while these stay equal.
describe('store schemas', () => {
  it('declare the same tables in both dialects', () => {
    expect(sqliteTables.size).toBeGreaterThan(0);
    expect([...pgTables.keys()].sort()).toEqual([...sqliteTables.keys()].sort());
  });

  it.each([...sqliteTables.keys()])('declare %s alike: columns, value types, nullability, defaults, primary and unique keys, indexes', (name) => {
    expect(pgTables.get(name)).toEqual(sqliteTables.get(name));
  });

  // Checked by the compiler (npm run typecheck, which CI runs), not at run time.
  it('give the same row and insert types in both dialects', () => {
    type Rows<S> = { [K in keyof S]: S[K] extends { $inferSelect: infer R } ? R : never };
    type Inserts<S> = { [K in keyof S]: S[K] extends { $inferInsert: infer R } ? R : never };
    expectTypeOf<Rows<typeof pg>>().toEqualTypeOf<Rows<typeof sqlite>>();
    expectTypeOf<Inserts<typeof pg>>().toEqualTypeOf<Inserts<typeof sqlite>>();
  });
});
