import { and, asc, eq, gt, isNotNull, isNull, lt, ne, or } from 'drizzle-orm';
import type { Factor, Passkey } from '../domain/factors.js';
import { changes, rows, storable, type Dialect, type Tables } from './dialect.js';
import type { SessionEnds } from './session-ends.js';
import type { FactorsStore } from './types.js';

type PasskeyRow = Tables['passkeys']['$inferSelect'];

const passkeyToRow = (p: Passkey): PasskeyRow => ({ ...p, transports: JSON.stringify(p.transports) });
const passkeyFromRow = (r: PasskeyRow): Passkey => ({
  ...r,
  transports: JSON.parse(r.transports) as string[],
  deviceType: r.deviceType === 'multiDevice' ? 'multiDevice' : 'singleDevice',
});
const factorFromRow = (r: Tables['factors']['$inferSelect']): Factor => ({ ...r, kind: r.kind === 'totp' ? 'totp' : 'recovery' });

/** Second factors, passkeys and WebAuthn challenges. Every single-use check is one conditional write. */
export function factorsStore(dialect: Dialect, tables: Tables, ends: SessionEnds): FactorsStore {
  const { factors, passkeys, webauthnChallenges } = tables;
  const { run, transaction } = dialect;
  const { append } = ends;
  const ofUser = (userId: string, kind: Factor['kind']) => and(eq(factors.userId, userId), eq(factors.kind, kind));
  return {
    listFactors: (userId) =>
      run(function* (db) {
        if (!storable(userId)) return [];
        const found = yield* rows(db.select().from(factors).where(eq(factors.userId, userId)).orderBy(asc(factors.createdAt), asc(factors.id)));
        return found.map(factorFromRow);
      }),
    startTotp: (factor) =>
      transaction(function* (db) {
        yield* changes(db.delete(factors).where(and(ofUser(factor.userId, 'totp'), isNull(factors.confirmedAt))));
        yield* changes(db.insert(factors).values(factor));
      }),
    confirmTotp: (userId, id, step, now, events = [], audited) =>
      transaction(function* (db) {
        if (!storable(userId, id)) return false;
        const pending = and(eq(factors.id, id), ofUser(userId, 'totp'), isNull(factors.confirmedAt));
        if ((yield* changes(db.update(factors).set({ confirmedAt: now, lastUsedStep: step }).where(pending))) === 0) return false;
        // One TOTP secret per user: confirming a new one replaces the old.
        yield* changes(db.delete(factors).where(and(ofUser(userId, 'totp'), ne(factors.id, id))));
        yield* append(db, now, events, audited);
        return true;
      }),
    useTotpStep: (id, step) =>
      run(function* (db) {
        if (!storable(id)) return false;
        const later = or(isNull(factors.lastUsedStep), lt(factors.lastUsedStep, step));
        return (
          (yield* changes(
            db
              .update(factors)
              .set({ lastUsedStep: step })
              .where(and(eq(factors.id, id), isNotNull(factors.confirmedAt), later)),
          )) > 0
        );
      }),
    replaceRecoveryCodes: (userId, codes, events = [], audited) =>
      transaction(function* (db) {
        yield* changes(db.delete(factors).where(ofUser(userId, 'recovery')));
        if (codes.length > 0) yield* changes(db.insert(factors).values(codes));
        yield* append(db, codes[0]?.createdAt ?? 0, events, audited);
      }),
    useRecoveryCode: (userId, hash, now) =>
      run(function* (db) {
        if (!storable(userId, hash)) return false;
        const unused = and(ofUser(userId, 'recovery'), eq(factors.hash, hash), isNull(factors.usedAt));
        return (yield* changes(db.update(factors).set({ usedAt: now }).where(unused))) > 0;
      }),
    deleteFactors: (userId, kind, now, events = [], audited) =>
      transaction(function* (db) {
        if (!storable(userId)) return 0;
        const n = yield* changes(db.delete(factors).where(ofUser(userId, kind)));
        if (n > 0) yield* append(db, now, events, audited);
        return n;
      }),
    insertPasskey: (passkey, events = [], audited) =>
      transaction(function* (db) {
        yield* changes(db.insert(passkeys).values(passkeyToRow(passkey)), 'passkey');
        yield* append(db, passkey.createdAt, events, audited);
      }),
    findPasskey: (credentialId) =>
      run(function* (db) {
        if (!storable(credentialId)) return null;
        const [row] = yield* rows(db.select().from(passkeys).where(eq(passkeys.credentialId, credentialId)));
        return row ? passkeyFromRow(row) : null;
      }),
    listPasskeys: (userId) =>
      run(function* (db) {
        if (!storable(userId)) return [];
        const found = yield* rows(db.select().from(passkeys).where(eq(passkeys.userId, userId)).orderBy(asc(passkeys.createdAt), asc(passkeys.credentialId)));
        return found.map(passkeyFromRow);
      }),
    recordPasskeyUse: (credentialId, counter, backedUp, now) =>
      run(function* (db) {
        yield* changes(db.update(passkeys).set({ counter, backedUp, lastUsedAt: now }).where(eq(passkeys.credentialId, credentialId)));
      }),
    deletePasskey: (userId, credentialId, now, events = [], audited) =>
      transaction(function* (db) {
        if (!storable(userId, credentialId)) return false;
        const n = yield* changes(db.delete(passkeys).where(and(eq(passkeys.userId, userId), eq(passkeys.credentialId, credentialId))));
        if (n > 0) yield* append(db, now, events, audited);
        return n > 0;
      }),
    deleteAllFactors: (userId, now, events = [], audited) =>
      transaction(function* (db) {
        if (!storable(userId)) return 0;
        const n =
          (yield* changes(db.delete(factors).where(eq(factors.userId, userId)))) + (yield* changes(db.delete(passkeys).where(eq(passkeys.userId, userId))));
        // The operator's reset is recorded whether or not anything went; the event only when something did.
        yield* append(db, now, n > 0 ? events : [], audited?.(n));
        return n;
      }),
    insertChallenge: (challenge) =>
      run(function* (db) {
        yield* changes(db.insert(webauthnChallenges).values(challenge));
      }),
    consumeChallenge: (id, purpose, now) =>
      run(function* (db) {
        if (!storable(id)) return null;
        const usable = and(
          eq(webauthnChallenges.id, id),
          eq(webauthnChallenges.purpose, purpose),
          isNull(webauthnChallenges.usedAt),
          gt(webauthnChallenges.expiresAt, now),
        );
        const [row] = yield* rows(db.update(webauthnChallenges).set({ usedAt: now }).where(usable).returning());
        return row ? { ...row, purpose } : null;
      }),
  };
}
