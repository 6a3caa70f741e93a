import type { Locale } from '../domain/locale.js';

export const signingAlgs = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
export type SigningAlg = (typeof signingAlgs)[number];

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Who may register a client at POST /register (RFC 7591): nobody, anyone (public clients only), or holders of an initial access token. */
export const registrationModes = ['off', 'open', 'token'] as const;
export type RegistrationMode = (typeof registrationModes)[number];

export type DatabaseConfig = { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };

/** A proxy network from TRUST_PROXY: requests from it may name the client in X-Forwarded-For. */
export type TrustedNetwork = Readonly<{ address: string; prefix: number; family: 'ipv4' | 'ipv6' }>;

/** Every setting of the service, typed and validated. Durations are whole seconds. */
export type Config = Readonly<{
  port: number;
  host: string;
  issuer: string;
  database: DatabaseConfig;
  accessTokenTtl: number;
  refreshIdleTtl: number;
  refreshFamilyTtl: number;
  refreshReuseGrace: number;
  signingAlg: SigningAlg;
  keyRotationInterval: number;
  /** 32 bytes; private signing keys are sealed with it when present. */
  keyEncryptionKey: Uint8Array | null;
  /** The max-age the JWKS endpoint sends; a new key is published this long before it signs. */
  jwksMaxAge: number;
  auditRetention: number;
  /** Failed password checks per normalised username, and per client IP, in each minute; 0 turns the limit off. */
  loginRateLimitPerUser: number;
  loginRateLimitPerIp: number;
  /** The proxies whose X-Forwarded-For names the client IP; empty: the TCP peer is the client. */
  trustProxy: readonly TrustedNetwork[];
  /** Live revocation streams open at once, in all and per client IP. */
  feedMaxStreams: number;
  feedMaxStreamsPerIp: number;
  logLevel: LogLevel;
  production: boolean;
  /** The name the hosted login and consent pages show (the company's or product's). */
  loginTitle: string;
  /** The languages the hosted pages offer, in order of preference (LOGIN_LOCALES); the first is the fallback. */
  loginLocales: readonly Locale[];
  /** How long a browser stays signed in for single sign-on after the user entered a password. */
  loginSessionTtl: number;
  /** How long a request to an upstream provider (discovery, keys, code exchange) may take before sign-in with it fails. */
  upstreamTimeout: number;
  /** Whether webhook URLs may point at link-local and cloud-metadata addresses (WEBHOOK_ALLOW_LINK_LOCAL=on). */
  webhookAllowLinkLocal: boolean;
  /** DPOP_NONCE=on: DPoP proofs must carry a nonce the server handed out (RFC 9449 §8). */
  dpopNonce: boolean;
  /** Dynamic client registration (RFC 7591) at POST /register; `off` serves no such endpoint. */
  registration: RegistrationMode;
  /** Open registrations accepted per client IP per hour; 0 turns the limit off. */
  registrationRateLimitPerIp: number;
  /** Where mail goes (SMTP_URL); null: mail is off, and so are the features that need it. */
  mail: MailConfig | null;
  /** The sender of every mail (MAIL_FROM). */
  mailFrom: string;
  /** Whether anyone may create an account at /signup (SIGNUP=open). */
  signup: boolean;
  /** Seconds a mailed password-reset link, and an e-mail verification link, stays valid. */
  passwordResetTtl: number;
  emailVerifyTtl: number;
  /** `required`: every sign-in on the hosted pages needs a second factor (MFA); `optional`: those of users who have one. */
  mfa: 'optional' | 'required';
}>;

/** SMTP_URL: an SMTP server (smtp:// with STARTTLS when offered, smtps:// with TLS from the start), or `log:` for development. */
export type MailConfig = Readonly<{ kind: 'smtp'; url: string } | { kind: 'log' }>;

export const defaults = {
  port: 3000,
  host: '0.0.0.0',
  databaseUrl: 'file:./data/tessera.db',
  accessTokenTtl: 600,
  refreshIdleTtl: 1_209_600,
  refreshFamilyTtl: 2_592_000,
  refreshReuseGrace: 10,
  signingAlg: 'RS256',
  keyRotationInterval: 2_592_000,
  jwksMaxAge: 300,
  auditRetention: 7_776_000,
  loginRateLimitPerUser: 10,
  loginRateLimitPerIp: 100,
  feedMaxStreams: 1000,
  feedMaxStreamsPerIp: 20,
  logLevel: 'info',
  loginTitle: 'Tessera',
  loginLocales: ['en', 'ko'] as readonly Locale[],
  loginSessionTtl: 43_200,
  upstreamTimeout: 10,
  registrationRateLimitPerIp: 20,
  passwordResetTtl: 1800,
  emailVerifyTtl: 86_400,
} as const;
