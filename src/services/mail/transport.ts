import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import type { MailMessage } from './compose.js';

/** Hands a mail to the world: an SMTP server, or (SMTP_URL=log:, development only) the log. */
export type MailTransport = { send(message: MailMessage): Promise<void> };

/** How long an SMTP server may take to answer before the attempt counts as failed and is retried later. */
const timeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/** The transport SMTP_URL names, or null when mail is off. */
export function mailTransport(config: Pick<Config, 'mail' | 'mailFrom'>, log: Logger): MailTransport | null {
  const mail = config.mail;
  if (mail === null) return null;
  if (mail.kind === 'log') {
    // The one place a link reaches the log, and only where production refuses it (config/load.ts).
    return { send: async (m) => void log.info({ mail: { from: config.mailFrom, ...m, html: undefined } }, 'mail (SMTP_URL=log:, not sent)') };
  }
  // nodemailer is loaded with the first mail, not at every start of the service and the CLI.
  let transporter: Transporter | undefined;
  return {
    async send(m) {
      transporter ??= (await import('nodemailer')).createTransport(mail.url, { from: config.mailFrom, ...timeouts });
      await transporter.sendMail({ to: m.to, subject: m.subject, text: m.text, html: m.html });
    },
  };
}
