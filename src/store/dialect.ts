import type { SQL } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema/sqlite.js';
import type { RotateInput } from './types.js';

/**
 * The query builder the store core is written against. Both dialects build the same queries over
 * tables of the same names and columns; the core is typed with SQLite's builder, and PostgreSQL's,
 * which has the same shape for everything the core uses, stands in for it at run time.
 */
export type Db = BaseSQLiteDatabase<'sync', unknown, typeof schema>;
export type Tables = typeof schema;

/**
 * One database round trip the core asks a dialect to make. The core yields steps instead of
 * awaiting queries so that one piece of code serves both drivers: better-sqlite3 runs a
 * transaction's steps synchronously (nothing else may touch the connection in between), node-postgres
 * awaits them on the transaction's own connection.
 */
export type Step =
  | { op: 'rows'; query: unknown; lock: boolean }
  | { op: 'changes'; query: unknown; conflict: string | undefined }
  | { op: 'statement'; sql: SQL }
  | { op: 'prepared'; statement: Prepared<unknown>; params: Record<string, unknown> };

/**
 * A query the hot path runs again and again, built once with `sql.placeholder(...)` values and
 * prepared once by each dialect (drizzle's `.prepare()`): a request pays neither the query building
 * nor the driver's parsing. `name` is PostgreSQL's statement name, unique among them.
 */
export type Prepared<R> = {
  readonly name: string;
  /** `rows`: the rows of a select or of a write with `returning()`; `changes`: how many rows a write changed. */
  readonly mode: 'rows' | 'changes';
  readonly build: (db: Db) => unknown;
  /** Set by the dialect on first use: its prepared form of the query. */
  prepared?: unknown;
  /** Only carries the row type. */
  readonly _row?: R;
};

type Row<Q> = Q extends { all(): (infer R)[] } ? R : never;

/** Declares a statement to prepare; `build` gets the dialect's query builder. */
export function prepare<Q extends { all(): unknown[] }>(name: string, build: (db: Db) => Q): Prepared<Row<Q>>;
export function prepare(name: string, build: (db: Db) => { run(): unknown }, mode: 'changes'): Prepared<never>;
export function prepare(name: string, build: (db: Db) => unknown, mode: 'rows' | 'changes' = 'rows'): Prepared<unknown> {
  return { name, mode, build };
}

/** The dialect's prepared form of `statement`, made by `make` on first use. */
export function preparedForm<T>(statement: Prepared<unknown>, make: () => T): T {
  if (statement.prepared === undefined) statement.prepared = make();
  return statement.prepared as T;
}

/** Runs a prepared statement with the placeholders' values: its rows, or (mode `changes`) how many rows it changed. */
export function* exec<R>(statement: Prepared<R>, params: Record<string, unknown>): Generator<Step, [R] extends [never] ? number : R[], unknown> {
  return (yield { op: 'prepared', statement, params }) as [R] extends [never] ? number : R[];
}

export type Work<T> = (db: Db) => Generator<Step, T, unknown>;

/** The rows of a select or of a write with `returning()`. `lock`: PostgreSQL takes the rows' lock (FOR UPDATE) in a transaction. */
export function* rows<R>(query: { all(): R[] }, { lock = false } = {}): Generator<Step, R[], unknown> {
  return (yield { op: 'rows', query, lock }) as R[];
}

/** Runs a write and returns how many rows it changed; a unique violation becomes Conflict(`conflict`) when given. */
export function* changes(query: { run(): unknown }, conflict?: string): Generator<Step, number, unknown> {
  return (yield { op: 'changes', query, conflict }) as number;
}

/** A raw statement; returns how many rows it changed. */
export function* statement(sql: SQL): Generator<Step, number, unknown> {
  return (yield { op: 'statement', sql }) as number;
}

/** What truly differs between the two databases. */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** Runs the steps one after another. */
  run<T>(work: Work<T>): Promise<T>;
  /** Runs the steps in one transaction that serialises with every other writer of the rows it touches. */
  transaction<T>(work: Work<T>): Promise<T>;
  /**
   * A refresh token's rotation (Store.rotateRefreshToken) as one statement, where the database can write
   * several tables in one (PostgreSQL): one round trip instead of a transaction of five. Absent (SQLite, in
   * process, where a round trip costs nothing), the core runs the rotation as a transaction of its steps.
   */
  readonly rotateRefreshToken?: (input: RotateInput) => Promise<boolean>;
  /** The physical row address, for batched deletes in tables without a single-column key. */
  readonly rowAddress: SQL;
  /** Rewrites the signing-key table so an overwritten private key leaves the database files. */
  scrubSigningKeys(): Promise<void>;
  /** Lets other work run between the batches of a long cleanup. */
  pause(): Promise<void>;
  /** Applies pending migrations; returns the names of those it applied. */
  migrate(): Promise<string[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** See Store.backup. */
  backup(destination: string): Promise<number>;
}

/** Drives a generator of steps with an executor, synchronously. */
export function driveSync<T>(work: Generator<Step, T, unknown>, execute: (step: Step) => unknown): T {
  let next = work.next();
  while (!next.done) next = work.next(execute(next.value));
  return next.value;
}

/** Drives a generator of steps with an executor, awaiting each step. */
export async function driveAsync<T>(work: Generator<Step, T, unknown>, execute: (step: Step) => Promise<unknown>): Promise<T> {
  let next = work.next();
  while (!next.done) next = work.next(await execute(next.value));
  return next.value;
}

/**
 * Whether every value (an absent one passes) can reach a query: PostgreSQL refuses a NUL in text outright,
 * so a lookup by such a value is answered "not found" before it is sent.
 */
export const storable = (...values: (string | undefined)[]): boolean => values.every((v) => v === undefined || !v.includes('\0'));
