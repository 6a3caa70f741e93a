import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { onCleanup } from './deps.js';

export type ReceivedMail = { to: string; from: string; subject: string; text: string; html: string; parsed: ParsedMail };

/**
 * A real SMTP server on a loopback port, started by the test, that keeps every mail it accepts (read with
 * mailparser). `refuse`: how many mails to refuse first (a 451, as a busy server answers), to see retries.
 * Its URL goes into SMTP_URL.
 */
export async function testSmtpServer({ refuse = 0 }: { refuse?: number } = {}) {
  const mails: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  let refusals = refuse;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        if (refusals > 0) {
          refusals--;
          const error = Object.assign(new Error('try again later'), { responseCode: 451 });
          callback(error);
          return;
        }
        const parsed = await simpleParser(Buffer.concat(chunks));
        const to = Array.isArray(parsed.to) ? parsed.to[0]?.text : parsed.to?.text;
        mails.push({ to: to ?? '', from: parsed.from?.text ?? '', subject: parsed.subject ?? '', text: parsed.text ?? '', html: parsed.html || '', parsed });
        callback();
        for (const wake of waiters.splice(0)) wake();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.server.address() as AddressInfo;

  /** The first mail (after those already taken) that matches, waiting up to `timeoutMs` for it. */
  async function next(match: (mail: ReceivedMail) => boolean = () => true, timeoutMs = 10_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = mails.findIndex(match);
      if (index !== -1) return mails.splice(index, 1)[0]!;
      if (Date.now() > deadline) throw new Error(`no matching mail within ${timeoutMs} ms (${mails.length} others)`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }
  return { url: `smtp://127.0.0.1:${port}`, mails, next };
}

/** The link in a mail's text part (the line that starts with the issuer). */
export function mailLink(mail: ReceivedMail, issuer: string): URL {
  const line = mail.text.split('\n').find((l) => l.startsWith(issuer));
  if (!line) throw new Error(`no link in the mail "${mail.subject}"`);
  return new URL(line.trim());
}
