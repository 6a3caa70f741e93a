import { exec, prepare, type Dialect, type Tables } from './dialect.js';
import { p } from './statements.js';
import type { DpopProofsStore } from './types.js';

/** DPoP proofs seen, so each is accepted once by every instance on the store (RFC 9449 §11.1). */
export function dpopProofsStore(dialect: Dialect, tables: Tables): DpopProofsStore {
  const { dpopProofs } = tables;
  // Prepared once: every DPoP request runs it. The insert that does nothing on a known hash is the check and the record at once.
  const record = prepare(
    'tessera_record_dpop_proof',
    (db) =>
      db
        .insert(dpopProofs)
        .values({ hash: p('hash'), expiresAt: p('expiresAt') } as never)
        .onConflictDoNothing(),
    'changes',
  );
  return {
    recordDpopProof: (hash, expiresAt) =>
      dialect.run(function* () {
        return (yield* exec(record, { hash, expiresAt })) > 0;
      }),
  };
}
