import type { AuditStore, MaintenanceStore, Store } from '../store/types.js';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Conflict, InvalidInput } from '../errors/domain.js';
import { recordAudit } from './audit.js';
import type { Actor, Uses } from './deps.js';

/**
 * Copies the SQLite store to a new file while Tessera keeps serving. A PostgreSQL store is backed up
 * with PostgreSQL's own tools. The copy holds password hashes and the (sealed) signing keys: audited. Its folder is
 * created when missing (`tessera backup backups/…` on a fresh checkout).
 */
export async function backupDatabase(deps: Uses<'clock' | 'ids', AuditStore & MaintenanceStore & Pick<Store, 'dialect'>>, actor: Actor, file: string) {
  if (deps.store.dialect !== 'sqlite') {
    throw new InvalidInput('the store is PostgreSQL: back it up with pg_dump "$DATABASE_URL" (see the README, "Backing up and restoring")');
  }
  const destination = resolve(file);
  if (existsSync(destination)) throw new Conflict(`${file} already exists; give a new file name`);
  mkdirSync(dirname(destination), { recursive: true });
  const pages = await deps.store.backup(destination);
  await recordAudit(deps, actor, { type: 'store.backed_up', details: { file: destination, pages } });
  return { file: destination, pages };
}
