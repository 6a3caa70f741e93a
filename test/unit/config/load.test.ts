import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { ConfigError, loadConfig } from '../../../src/config/load.js';

const makeOne = "make one with: openssl rand -base64 32 (or: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\")";

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('loadConfig', () => {
  it('applies the contract defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      issuer: 'http://localhost:3000',
      database: { kind: 'sqlite', path: './data/tessera.db' },
      accessTokenTtl: 600,
      refreshIdleTtl: 1_209_600,
      refreshFamilyTtl: 2_592_000,
      refreshReuseGrace: 10,
      signingAlg: 'RS256',
      keyRotationInterval: 2_592_000,
      keyEncryptionKey: null,
      logLevel: 'info',
      production: false,
      loginTitle: 'Tessera',
      loginSessionTtl: 43_200,
      upstreamTimeout: 10,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('derives the issuer from PORT and strips a trailing slash from ISSUER', () => {
    expect(loadConfig({ PORT: '8080' }).issuer).toBe('http://localhost:8080');
    expect(loadConfig({ ISSUER: 'https://auth.example.com/' }).issuer).toBe('https://auth.example.com');
  });

  it('reads the hosted pages settings', () => {
    expect(loadConfig({ LOGIN_TITLE: ' Acme Corp ', LOGIN_SESSION_TTL: '3600' })).toMatchObject({ loginTitle: 'Acme Corp', loginSessionTtl: 3600 });
    expect(problemsOf({ LOGIN_TITLE: 'x'.repeat(81), LOGIN_SESSION_TTL: '5' })).toEqual([
      'LOGIN_TITLE must be at most 80 printable characters',
      'LOGIN_SESSION_TTL must be a whole number from 60 to 31536000, got "5"',
    ]);
  });

  it('reads the languages of the hosted pages: en and ko, the first the fallback, nothing else', () => {
    expect(loadConfig({}).loginLocales).toEqual(['en', 'ko']);
    expect(loadConfig({ LOGIN_LOCALES: 'ko en ko' }).loginLocales).toEqual(['ko', 'en']);
    expect(problemsOf({ LOGIN_LOCALES: 'en fr' })).toEqual(['LOGIN_LOCALES must list languages from: en ko (not "fr")']);
  });

  it('reads the timeout of requests to upstream providers', () => {
    expect(loadConfig({ UPSTREAM_TIMEOUT: '3' }).upstreamTimeout).toBe(3);
    expect(problemsOf({ UPSTREAM_TIMEOUT: '0' })).toEqual(['UPSTREAM_TIMEOUT must be a whole number from 1 to 120, got "0"']);
  });

  it('selects the store from DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'file:/var/lib/t.db' }).database).toEqual({ kind: 'sqlite', path: '/var/lib/t.db' });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).database).toEqual({ kind: 'postgres', url: 'postgres://u@h/db' });
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@h/db' }).database.kind).toBe('postgres');
  });

  it('decodes a 32-byte KEY_ENCRYPTION_KEY', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ KEY_ENCRYPTION_KEY: key }).keyEncryptionKey).toEqual(new Uint8Array(32).fill(7));
  });

  it('names every bad variable at once', () => {
    expect(problemsOf({ PORT: 'eighty', ACCESS_TOKEN_TTL: '-5', SIGNING_ALG: 'HS256', DATABASE_URL: 'mysql://x', KEY_ENCRYPTION_KEY: 'c2hvcnQ=' })).toEqual([
      'PORT must be a whole number from 0 to 65535, got "eighty"',
      'DATABASE_URL must start with file:, postgres:// or postgresql://',
      `KEY_ENCRYPTION_KEY must be 32 bytes encoded in base64; ${makeOne}`,
      'ACCESS_TOKEN_TTL must be a whole number from 1 to 86400, got "-5"',
      'SIGNING_ALG must be one of RS256, PS256, ES256, EdDSA, got "HS256"',
    ]);
  });

  it('requires a key-encryption key in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([`KEY_ENCRYPTION_KEY is required when NODE_ENV=production; ${makeOne}`]);
  });

  it('shows how to make a KEY_ENCRYPTION_KEY, and both ways it shows make one it accepts', () => {
    expect(makeOne).toContain('openssl rand -base64 32');
    const made = [
      execFileSync('openssl', ['rand', '-base64', '32'], { encoding: 'utf8' }),
      execFileSync(process.execPath, ['-e', /node -e "(.*)"\)$/.exec(makeOne)![1]!], { encoding: 'utf8' }),
    ];
    for (const key of made) expect(loadConfig({ KEY_ENCRYPTION_KEY: key }).keyEncryptionKey).toHaveLength(32);
  });

  it('refuses an issuer with a query or that is not http(s)', () => {
    expect(problemsOf({ ISSUER: 'https://a.example/?x=1' })).toHaveLength(1);
    expect(problemsOf({ ISSUER: 'ftp://a.example' })).toHaveLength(1);
  });

  it('reads TRUST_PROXY as IPv4 and IPv6 addresses and CIDR blocks, none by default', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.0/8, 192.0.2.7 ,fd00::/8,::1' }).trustProxy).toEqual([
      { address: '10.0.0.0', prefix: 8, family: 'ipv4' },
      { address: '192.0.2.7', prefix: 32, family: 'ipv4' },
      { address: 'fd00::', prefix: 8, family: 'ipv6' },
      { address: '::1', prefix: 128, family: 'ipv6' },
    ]);
  });

  it('refuses a malformed TRUST_PROXY with one problem naming it', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0/8', 'localhost', '10.0.0.0/8,', '::1/129', '10.0.0.0/-1', '10.0.0.0/8/8', '10.0.0.0/ 8', '*']) {
      const problems = problemsOf({ TRUST_PROXY: bad });
      expect(problems, bad).toHaveLength(1);
      expect(problems[0], bad).toMatch(/^TRUST_PROXY must be a comma-separated list of IP addresses or CIDR blocks/);
    }
  });

  it('caps live revocation streams at FEED_MAX_STREAMS and FEED_MAX_STREAMS_PER_IP, 1000 and 20 by default', () => {
    expect(loadConfig({})).toMatchObject({ feedMaxStreams: 1000, feedMaxStreamsPerIp: 20 });
    expect(loadConfig({ FEED_MAX_STREAMS: '5', FEED_MAX_STREAMS_PER_IP: '2' })).toMatchObject({ feedMaxStreams: 5, feedMaxStreamsPerIp: 2 });
    expect(problemsOf({ FEED_MAX_STREAMS: '0', FEED_MAX_STREAMS_PER_IP: 'many' })).toEqual([
      'FEED_MAX_STREAMS must be a whole number from 1 to 1000000, got "0"',
      'FEED_MAX_STREAMS_PER_IP must be a whole number from 1 to 1000000, got "many"',
    ]);
  });

  it('keeps dynamic client registration off unless REGISTRATION says open or token, limited to 20 per IP per hour', () => {
    expect(loadConfig({})).toMatchObject({ registration: 'off', registrationRateLimitPerIp: 20 });
    expect(loadConfig({ REGISTRATION: 'token', REGISTRATION_RATE_LIMIT_PER_IP: '0' })).toMatchObject({ registration: 'token', registrationRateLimitPerIp: 0 });
    expect(problemsOf({ REGISTRATION: 'on', REGISTRATION_RATE_LIMIT_PER_IP: '-1' })).toEqual([
      'REGISTRATION must be one of off, open, token, got "on"',
      'REGISTRATION_RATE_LIMIT_PER_IP must be a whole number from 0 to 1000000, got "-1"',
    ]);
  });
});
