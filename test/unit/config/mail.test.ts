import { describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../../../src/config/load.js';

// Issue 26: SMTP_URL, MAIL_FROM, SIGNUP, PASSWORD_RESET_TTL, EMAIL_VERIFY_TTL.

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('mail and account settings', () => {
  it('defaults: mail off, sign-up off, the sender at the issuer host, 30 minutes and 24 hours', () => {
    expect(loadConfig({ ISSUER: 'https://auth.example.com' })).toMatchObject({
      mail: null,
      mailFrom: 'Tessera <no-reply@auth.example.com>',
      signup: false,
      passwordResetTtl: 1800,
      emailVerifyTtl: 86_400,
    });
  });

  it('takes smtp://, smtps:// and log:', () => {
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.com:465' }).mail).toEqual({ kind: 'smtp', url: 'smtps://u:p@mail.example.com:465' });
    expect(loadConfig({ SMTP_URL: 'log:', SIGNUP: 'open', MAIL_FROM: 'Acme <hi@acme.example>' })).toMatchObject({
      mail: { kind: 'log' },
      signup: true,
      mailFrom: 'Acme <hi@acme.example>',
    });
  });

  it('refuses log: in production, a URL of another kind without echoing it, and a bad sender', () => {
    const kek = Buffer.alloc(32, 1).toString('base64');
    expect(problems({ NODE_ENV: 'production', KEY_ENCRYPTION_KEY: kek, SMTP_URL: 'log:' })).toEqual([
      'SMTP_URL=log: writes mail to the log, for development only; it is refused when NODE_ENV=production',
    ]);
    expect(problems({ SMTP_URL: 'http://user:secret@mail.example.com' })).toEqual(['SMTP_URL must be smtp://[user:pass@]host[:port], smtps://… or log:']);
    expect(problems({ MAIL_FROM: 'Evil\r\nBcc: x@y.z <a@b.c>' })).toEqual([expect.stringMatching(/^MAIL_FROM must be an address or "Name <address>"/)]);
    expect(problems({ SIGNUP: 'yes', PASSWORD_RESET_TTL: '10' })).toHaveLength(2);
  });
});
