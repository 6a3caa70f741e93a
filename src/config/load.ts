import { isIP } from 'node:net';
import { isLocale, locales, type Locale } from '../domain/locale.js';
import {
  defaults,
  logLevels,
  registrationModes,
  signingAlgs,
  type Config,
  type DatabaseConfig,
  type LogLevel,
  type RegistrationMode,
  type MailConfig,
  type SigningAlg,
  type TrustedNetwork,
} from './schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Every environment variable Tessera reads; `read` takes no other name, so this list cannot fall behind. */
export const configVariables = [
  'PORT',
  'HOST',
  'NODE_ENV',
  'ISSUER',
  'DATABASE_URL',
  'REFRESH_TOKEN_IDLE_TTL',
  'REFRESH_FAMILY_TTL',
  'KEY_ENCRYPTION_KEY',
  'LOGIN_TITLE',
  'LOGIN_LOCALES',
  'ACCESS_TOKEN_TTL',
  'REFRESH_REUSE_GRACE',
  'SIGNING_ALG',
  'KEY_ROTATION_INTERVAL',
  'JWKS_MAX_AGE',
  'AUDIT_RETENTION',
  'LOGIN_RATE_LIMIT_PER_USER',
  'LOGIN_RATE_LIMIT_PER_IP',
  'TRUST_PROXY',
  'FEED_MAX_STREAMS',
  'FEED_MAX_STREAMS_PER_IP',
  'LOG_LEVEL',
  'LOGIN_SESSION_TTL',
  'UPSTREAM_TIMEOUT',
  'WEBHOOK_ALLOW_LINK_LOCAL',
  'DPOP_NONCE',
  'REGISTRATION',
  'REGISTRATION_RATE_LIMIT_PER_IP',
  'SMTP_URL',
  'MAIL_FROM',
  'SIGNUP',
  'PASSWORD_RESET_TTL',
  'EMAIL_VERIFY_TTL',
  'MFA',
] as const;

export type ConfigVariable = (typeof configVariables)[number];

/** How to make a KEY_ENCRYPTION_KEY, for the error that asks for one. */
export const keyEncryptionKeyHint =
  "make one with: openssl rand -base64 32 (or: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\")";

/** Parses the environment once, reporting every bad variable together. Pure: tests pass a literal object. */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const read = (name: ConfigVariable) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const integer = (name: ConfigVariable, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return Number(raw);
  };

  const oneOf = <T extends string>(name: ConfigVariable, allowed: readonly T[], fallback: T): T => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
      return fallback;
    }
    return raw as T;
  };

  const port = integer('PORT', defaults.port, 0, 65535);
  const host = read('HOST') ?? defaults.host;
  const production = read('NODE_ENV') === 'production';

  let issuer = `http://localhost:${port}`;
  const rawIssuer = read('ISSUER');
  if (rawIssuer !== undefined) {
    const parsed = parseUrl(rawIssuer);
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.search || parsed.hash) {
      problems.push(`ISSUER must be an http(s) URL without query or fragment, got "${rawIssuer}"`);
    } else {
      issuer = rawIssuer.replace(/\/+$/, '');
    }
  }

  const database = parseDatabaseUrl(read('DATABASE_URL') ?? defaults.databaseUrl, problems);

  const refreshIdleTtl = integer('REFRESH_TOKEN_IDLE_TTL', defaults.refreshIdleTtl, 1);
  const refreshFamilyTtl = integer('REFRESH_FAMILY_TTL', defaults.refreshFamilyTtl, 1);

  let keyEncryptionKey: Uint8Array | null = null;
  const rawKek = read('KEY_ENCRYPTION_KEY');
  if (rawKek !== undefined) {
    const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(rawKek) ? Buffer.from(rawKek, 'base64') : Buffer.alloc(0);
    if (bytes.length !== 32) problems.push(`KEY_ENCRYPTION_KEY must be 32 bytes encoded in base64; ${keyEncryptionKeyHint}`);
    else keyEncryptionKey = new Uint8Array(bytes);
  } else if (production) {
    problems.push(`KEY_ENCRYPTION_KEY is required when NODE_ENV=production; ${keyEncryptionKeyHint}`);
  }

  const loginTitle = read('LOGIN_TITLE') ?? defaults.loginTitle;
  if (loginTitle.length > 80 || /[\u0000-\u001f\u007f]/.test(loginTitle)) problems.push('LOGIN_TITLE must be at most 80 printable characters');

  const loginLocales = parseLoginLocales(read('LOGIN_LOCALES'), problems);

  const config: Config = {
    port,
    host,
    issuer,
    database,
    accessTokenTtl: integer('ACCESS_TOKEN_TTL', defaults.accessTokenTtl, 1, 86_400),
    refreshIdleTtl,
    refreshFamilyTtl,
    refreshReuseGrace: integer('REFRESH_REUSE_GRACE', defaults.refreshReuseGrace, 0, 300),
    signingAlg: oneOf<SigningAlg>('SIGNING_ALG', signingAlgs, defaults.signingAlg),
    // Any positive interval works: a shorter one than the pre-publication time just rotates every pre-publication time.
    keyRotationInterval: integer('KEY_ROTATION_INTERVAL', defaults.keyRotationInterval, 1),
    keyEncryptionKey,
    jwksMaxAge: integer('JWKS_MAX_AGE', defaults.jwksMaxAge, 0, 86_400),
    auditRetention: integer('AUDIT_RETENTION', defaults.auditRetention, 3600),
    loginRateLimitPerUser: integer('LOGIN_RATE_LIMIT_PER_USER', defaults.loginRateLimitPerUser, 0, 1_000_000),
    loginRateLimitPerIp: integer('LOGIN_RATE_LIMIT_PER_IP', defaults.loginRateLimitPerIp, 0, 1_000_000),
    trustProxy: parseTrustProxy(read('TRUST_PROXY'), problems),
    feedMaxStreams: integer('FEED_MAX_STREAMS', defaults.feedMaxStreams, 1, 1_000_000),
    feedMaxStreamsPerIp: integer('FEED_MAX_STREAMS_PER_IP', defaults.feedMaxStreamsPerIp, 1, 1_000_000),
    logLevel: oneOf<LogLevel>('LOG_LEVEL', logLevels, defaults.logLevel),
    production,
    loginTitle,
    loginLocales,
    loginSessionTtl: integer('LOGIN_SESSION_TTL', defaults.loginSessionTtl, 60, 31_536_000),
    upstreamTimeout: integer('UPSTREAM_TIMEOUT', defaults.upstreamTimeout, 1, 120),
    webhookAllowLinkLocal: oneOf('WEBHOOK_ALLOW_LINK_LOCAL', ['on', 'off'] as const, 'off') === 'on',
    dpopNonce: oneOf('DPOP_NONCE', ['on', 'off'] as const, 'off') === 'on',
    registration: oneOf<RegistrationMode>('REGISTRATION', registrationModes, 'off'),
    registrationRateLimitPerIp: integer('REGISTRATION_RATE_LIMIT_PER_IP', defaults.registrationRateLimitPerIp, 0, 1_000_000),
    mail: parseSmtpUrl(read('SMTP_URL'), production, problems),
    mailFrom: parseMailFrom(read('MAIL_FROM'), issuer, problems),
    signup: oneOf('SIGNUP', ['open', 'off'] as const, 'off') === 'open',
    passwordResetTtl: integer('PASSWORD_RESET_TTL', defaults.passwordResetTtl, 60, 86_400),
    emailVerifyTtl: integer('EMAIL_VERIFY_TTL', defaults.emailVerifyTtl, 60, 2_592_000),
    mfa: oneOf('MFA', ['optional', 'required'] as const, 'optional'),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    ...config,
    database: Object.freeze({ ...config.database }),
    trustProxy: Object.freeze(config.trustProxy.map((n) => Object.freeze(n))),
    mail: config.mail && Object.freeze({ ...config.mail }),
    loginLocales: Object.freeze([...config.loginLocales]),
  });
}

/** LOGIN_LOCALES: space-separated, each `en` or `ko`, the first the fallback (a repeat counts once). */
function parseLoginLocales(raw: string | undefined, problems: string[]): Locale[] {
  if (raw === undefined) return [...defaults.loginLocales];
  const tags = raw.split(/[\s,]+/).filter(Boolean);
  const unknown = tags.filter((t) => !isLocale(t));
  if (tags.length === 0 || unknown.length > 0) {
    problems.push(`LOGIN_LOCALES must list languages from: ${locales.join(' ')}${unknown.length > 0 ? ` (not "${unknown[0]!.slice(0, 20)}")` : ''}`);
    return [...defaults.loginLocales];
  }
  return [...new Set(tags as Locale[])];
}

function parseDatabaseUrl(raw: string, problems: string[]): DatabaseConfig {
  if (raw.startsWith('file:')) {
    const path = raw.slice('file:'.length);
    if (path === '') problems.push('DATABASE_URL "file:" needs a path, e.g. file:./data/tessera.db');
    return { kind: 'sqlite', path: path || defaults.databaseUrl.slice(5) };
  }
  if (/^postgres(ql)?:\/\//.test(raw) && parseUrl(raw)) return { kind: 'postgres', url: raw };
  problems.push('DATABASE_URL must start with file:, postgres:// or postgresql://');
  return { kind: 'sqlite', path: defaults.databaseUrl.slice(5) };
}

/** `10.0.0.0/8, 192.0.2.7, fd00::/8`: addresses or CIDR blocks, IPv4 or IPv6; an address alone is a block of one. */
function parseTrustProxy(raw: string | undefined, problems: string[]): TrustedNetwork[] {
  if (raw === undefined) return [];
  const networks: TrustedNetwork[] = [];
  for (const entry of raw.split(',').map((e) => e.trim())) {
    const [address = '', prefixText, ...rest] = entry.split('/');
    const version = isIP(address);
    const bits = version === 6 ? 128 : 32;
    const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1;
    if (version === 0 || rest.length > 0 || prefix < 0 || prefix > bits) {
      problems.push(`TRUST_PROXY must be a comma-separated list of IP addresses or CIDR blocks (e.g. 10.0.0.0/8, fd00::/8), got "${entry}"`);
      return [];
    }
    networks.push({ address, prefix, family: version === 6 ? 'ipv6' : 'ipv4' });
  }
  return networks;
}

/** SMTP_URL: smtp:// or smtps:// with a host; `log:` only outside production, where mail that reaches no one would be lost silently. */
function parseSmtpUrl(raw: string | undefined, production: boolean, problems: string[]): MailConfig | null {
  if (raw === undefined) return null;
  if (raw === 'log:') {
    if (production) problems.push('SMTP_URL=log: writes mail to the log, for development only; it is refused when NODE_ENV=production');
    return { kind: 'log' };
  }
  const url = parseUrl(raw);
  if (!url || !['smtp:', 'smtps:'].includes(url.protocol) || url.hostname === '') {
    // Never echo the value: it may hold the SMTP password.
    problems.push('SMTP_URL must be smtp://[user:pass@]host[:port], smtps://… or log:');
    return null;
  }
  return { kind: 'smtp', url: raw };
}

/** MAIL_FROM: an address or `Name <address>`, on one line; default `Tessera <no-reply@ISSUER's host>`. */
function parseMailFrom(raw: string | undefined, issuer: string, problems: string[]): string {
  const fallback = `Tessera <no-reply@${parseUrl(issuer)?.hostname ?? 'localhost'}>`;
  if (raw === undefined) return fallback;
  if (raw.length > 254 || /[\u0000-\u001f\u007f]/.test(raw) || !/^([^<>@]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(raw)) {
    problems.push(`MAIL_FROM must be an address or "Name <address>", got "${raw.slice(0, 100)}"`);
    return fallback;
  }
  return raw;
}

function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}
