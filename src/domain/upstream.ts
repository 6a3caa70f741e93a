/** Records of sign-in with upstream OpenID providers (README, "Sign in with Google / Kakao / another provider"). */

/** An upstream OpenID provider Tessera signs users in with, as a relying party. */
export type Provider = {
  /** Short, URL-safe: it names the callback path /upstream/ID/callback. */
  id: string;
  issuer: string;
  clientId: string;
  /** Sealed with KEY_ENCRYPTION_KEY when it is set; in clear otherwise. */
  clientSecret: string;
  /** What the login page's "Continue with NAME" says. */
  name: string;
  /** Space-separated scopes asked of the provider; always includes openid. */
  scope: string;
  /** Whether a first sign-in with an unknown identity creates a user. */
  signup: boolean;
  /** Whether an unknown identity is linked to the user with the same e-mail address, when the provider says it is verified. */
  linkByEmail: boolean;
  /** Whether its id_tokens may be exchanged for Tessera access tokens (RFC 8693 `subject_token_type` id_token). */
  allowTokenExchange: boolean;
  createdAt: number;
};

/** An account at a provider (its `sub`) linked to one Tessera user. */
export type Identity = {
  providerId: string;
  subject: string;
  userId: string;
  email: string | null;
  /** Whether the provider said the address was verified. */
  emailVerified: boolean;
  linkedAt: number;
};

/**
 * One round trip to a provider in flight. `id` is the SHA-256 of its `state`; `browser` the SHA-256 of
 * the cookie of the browser that started it, so only that browser can finish it.
 */
export type UpstreamLogin = {
  id: string;
  providerId: string;
  browser: string;
  nonce: string;
  codeVerifier: string;
  /** The authorization request to continue afterwards, as JSON. */
  request: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
};
