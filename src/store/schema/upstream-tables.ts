import type { Columns } from './columns.js';

/** Sign-in with upstream OpenID providers: their settings, the identities linked to users, and the round trips in flight. */
export function defineUpstreamTables(c: Columns) {
  const providers = c.table('providers', {
    id: c.text('id').primaryKey(),
    issuer: c.text('issuer').notNull(),
    clientId: c.text('client_id').notNull(),
    /** Sealed with KEY_ENCRYPTION_KEY when it is set. */
    clientSecret: c.text('client_secret').notNull(),
    name: c.text('name').notNull(),
    scope: c.text('scope').notNull(),
    signup: c.bool('signup').notNull(),
    linkByEmail: c.bool('link_by_email').notNull(),
    /** Whether its id_tokens may be exchanged for Tessera access tokens (RFC 8693). */
    allowTokenExchange: c.bool('allow_token_exchange').notNull().default(false),
    createdAt: c.instant('created_at').notNull(),
  });

  const identities = c.table(
    'identities',
    {
      providerId: c.text('provider_id').notNull(),
      subject: c.text('subject').notNull(),
      userId: c.text('user_id').notNull(),
      /** The address the provider gave when the identity was linked. */
      email: c.text('email'),
      /** Whether the provider said the address was verified when it was last seen. */
      emailVerified: c.bool('email_verified').notNull().default(false),
      linkedAt: c.instant('linked_at').notNull(),
    },
    (t) => [c.primaryKey({ columns: [t.providerId, t.subject] }), c.index('identities_user_idx').on(t.userId)],
  );

  /** One sign-in at an upstream provider in flight: `id` is the hash of its `state`, `browser` the hash of the browser's binding cookie. */
  const upstreamLogins = c.table(
    'upstream_logins',
    {
      id: c.text('id').primaryKey(),
      providerId: c.text('provider_id').notNull(),
      browser: c.text('browser').notNull(),
      nonce: c.text('nonce').notNull(),
      codeVerifier: c.text('code_verifier').notNull(),
      request: c.text('request').notNull(),
      createdAt: c.instant('created_at').notNull(),
      expiresAt: c.instant('expires_at').notNull(),
      usedAt: c.instant('used_at'),
    },
    (t) => [c.index('upstream_logins_expires_idx').on(t.expiresAt)],
  );

  return { providers, identities, upstreamLogins };
}
