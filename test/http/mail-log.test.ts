import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { composeMail } from '../../src/services/mail/compose.js';
import { mailTransport } from '../../src/services/mail/transport.js';
import { updateUser } from '../../src/services/users.js';
import { accountsServer } from '../helpers/accounts.js';
import { hiddenFields } from '../helpers/authorize.js';
import { mailLink } from '../helpers/smtp.js';

// Issue 26: no reset or verification link reaches a log line, and a mail the SMTP server refuses is retried, logged
// without its link, while the page the user saw was unaffected.

function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, log: pino({ level: 'trace' }, stream) };
}

describe('mail and the log', () => {
  it('never writes a mailed link or its token to the log, through a refused send, its retry, a reset and a verification', async () => {
    const { lines, log } = capturedLogger();
    const s = await accountsServer({ log, refuse: 1 });

    // A reset whose first send the SMTP server refuses: the page is the usual one.
    const form = await s.browser.get('/password-reset');
    const asked = await s.browser.post('/password-reset', { ...hiddenFields(await form.text()), identifier: 'alice' });
    expect(asked.status).toBe(200);
    await expect.poll(() => lines.some((l) => l.includes('mail not sent; it will be tried again')), { timeout: 5000 }).toBe(true);
    expect(s.smtp.mails).toEqual([]);
    s.deps.clock.advance(16); // past the first retry delay (15 s)
    const reset = await s.smtp.next((m) => m.to === 'alice@example.com');
    const resetLink = mailLink(reset, s.url);
    const fields = hiddenFields(await (await s.browser.get(`${resetLink.pathname}${resetLink.search}`)).text());
    expect((await s.browser.post('/password-reset', { ...fields, password: 'a brand new password' })).status).toBe(200);

    await updateUser(s.deps, { name: 'cli' }, s.alice.id, { email: 'alice@new.example' });
    const verifyLink = mailLink(await s.smtp.next((m) => m.to === 'alice@new.example'), s.url);
    const page = await s.browser.get(`${verifyLink.pathname}${verifyLink.search}`);
    expect((await s.browser.post('/verify-email', hiddenFields(await page.text()))).status).toBe(200);

    const tokens = [resetLink, verifyLink].map((l) => l.searchParams.get('token')!);
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      for (const token of tokens) expect(line).not.toContain(token);
      expect(line).not.toContain('token=');
    }
    const failed = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'mail not sent; it will be tried again');
    expect(failed).toMatchObject({ level: 40, kind: 'password_reset', user_id: s.alice.id, attempts: 1, err: { message: expect.stringContaining('451') } });
  });

  it('writes the whole mail, link included, to the log with SMTP_URL=log: (development only; production refuses it)', async () => {
    const { lines, log } = capturedLogger();
    const transport = mailTransport({ mail: { kind: 'log' }, mailFrom: 'Tessera <no-reply@localhost>' }, log)!;
    const facts = {
      brand: 'Tessera',
      username: 'alice',
      address: 'alice@example.com',
      link: 'http://localhost:3000/verify-email?token=abc',
      validSeconds: 86_400,
      at: new Date(0),
    };
    await transport.send(composeMail('verify_email', 'en', facts));
    const [line] = lines.map((l) => JSON.parse(l));
    expect(line).toMatchObject({
      msg: 'mail (SMTP_URL=log:, not sent)',
      mail: { to: 'alice@example.com', subject: 'Confirm your e-mail address for Tessera' },
    });
    expect(line.mail.text).toContain('http://localhost:3000/verify-email?token=abc');
    expect(line.mail.text).toContain('The link works once, for 24 hours.');
  });
});
