import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Journal = { entries: { tag: string; when: number }[] };

/**
 * The names of the migrations in `folder` that drizzle's migrator applies next: those created after
 * the last one the database recorded (`lastAppliedAt`, its `created_at`; null: none yet), as it decides.
 */
export function pendingMigrations(folder: string, lastAppliedAt: number | null): string[] {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as Journal;
  return journal.entries.filter((e) => lastAppliedAt === null || e.when > lastAppliedAt).map((e) => e.tag);
}
