import type { Columns } from './columns.js';

/** Second factors and passkeys (contract section 12). Instants are epoch milliseconds; lists are JSON text. */
export function defineFactorTables(c: Columns) {
  /**
   * A user's TOTP secret (sealed with KEY_ENCRYPTION_KEY when it is set) or one recovery code (only its hash).
   * A TOTP secret counts once `confirmed_at` is set (the user typed a code from it); `last_used_step` makes each
   * code single use. A recovery code is spent when `used_at` is set.
   */
  const factors = c.table(
    'factors',
    {
      id: c.text('id').primaryKey(),
      userId: c.text('user_id').notNull(),
      kind: c.text('kind').notNull(),
      secret: c.text('secret'),
      hash: c.text('hash'),
      createdAt: c.instant('created_at').notNull(),
      confirmedAt: c.instant('confirmed_at'),
      lastUsedStep: c.int('last_used_step'),
      usedAt: c.instant('used_at'),
    },
    (t) => [c.index('factors_user_idx').on(t.userId, t.kind)],
  );

  /** A WebAuthn credential (passkey): its id and COSE public key base64url, the signature counter, and its backup state. */
  const passkeys = c.table(
    'passkeys',
    {
      credentialId: c.text('credential_id').primaryKey(),
      userId: c.text('user_id').notNull(),
      publicKey: c.text('public_key').notNull(),
      counter: c.int('counter').notNull(),
      transports: c.text('transports').notNull().default('[]'),
      deviceType: c.text('device_type').notNull(),
      backedUp: c.bool('backed_up').notNull(),
      name: c.text('name').notNull(),
      createdAt: c.instant('created_at').notNull(),
      lastUsedAt: c.instant('last_used_at'),
    },
    (t) => [c.index('passkeys_user_idx').on(t.userId)],
  );

  /** A WebAuthn challenge handed out: `id` is the hash of the challenge; single use, short-lived. */
  const webauthnChallenges = c.table(
    'webauthn_challenges',
    {
      id: c.text('id').primaryKey(),
      purpose: c.text('purpose').notNull(),
      userId: c.text('user_id'),
      createdAt: c.instant('created_at').notNull(),
      expiresAt: c.instant('expires_at').notNull(),
      usedAt: c.instant('used_at'),
    },
    (t) => [c.index('webauthn_challenges_expires_idx').on(t.expiresAt)],
  );

  return { factors, passkeys, webauthnChallenges };
}
