import { randomBytes } from 'node:crypto';
import { openSqlite } from '../../src/store/sqlite.js';

/** The sizes of issue 12's "cost that does not grow with the data" case. */
export const scaleSizes = { families: 500_000, tokens: 2_000_000 };

/**
 * Fills a migrated, seeded SQLite store with `families` live families of alice on bench-app and
 * `tokens` refresh tokens spread over them (all but each family's last one used), in bulk with the
 * driver's statements: what a busy store holds, without going through the service.
 */
export function seedScale(path: string, issuer: string, { families, tokens } = scaleSizes): void {
  const db = openSqlite(path);
  try {
    const user = db.prepare("select id from users where username = 'alice'").pluck().get() as string;
    const now = Date.now();
    const day = 86_400_000;
    const family = db.prepare(
      "insert into families (id, user_id, client_id, scope, audience, created_at, expires_at, last_used_at) values (?, ?, 'bench-app', 'read', ?, ?, ?, ?)",
    );
    const token = db.prepare('insert into refresh_tokens (id, family_id, hash, created_at, expires_at, used_at, successor_id) values (?, ?, ?, ?, ?, ?, ?)');
    const perFamily = Math.ceil(tokens / families);
    const batch = db.transaction((from: number, to: number) => {
      for (let f = from; f < to; f++) {
        const id = `fam_scale${f}`;
        const created = now - (f % 30) * day;
        family.run(id, user, issuer, created, created + 30 * day, created);
        for (let t = 0; t < perFamily && f * perFamily + t < tokens; t++) {
          const last = t === perFamily - 1;
          token.run(
            `rt_scale${f}_${t}`,
            id,
            randomBytes(32).toString('base64url'),
            created,
            created + 14 * day,
            last ? null : created,
            last ? null : `rt_scale${f}_${t + 1}`,
          );
        }
      }
    });
    for (let from = 0; from < families; from += 10_000) batch(from, Math.min(families, from + 10_000));
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
