import type { Locale } from '../../domain/locale.js';
import type { MailKind } from '../../domain/mail.js';
import { mailText, type MailFacts, type MailText } from './texts.js';

export type MailMessage = { to: string; subject: string; text: string; html: string };

const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/**
 * A mail as the user reads it: a plain-text part and an HTML part saying the same, in their language. The
 * HTML has inline styles only and no image or anything else to fetch, so it reads the same offline and
 * tells no one it was opened.
 */
export function composeMail(kind: MailKind, locale: Locale, facts: MailFacts): MailMessage {
  const t: MailText = mailText[locale][kind];
  const [intro = '', after = ''] = t.lines(facts);
  const text = [t.greeting(facts), '', intro, '', facts.link, '', after, '', t.footer(facts), '', `— ${facts.brand}`, ''].join('\n');
  const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`;
  const html = [
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(t.subject(facts))}</title></head>`,
    '<body style="margin:0;padding:24px;background:#f4f5f7;font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#1f2328;line-height:1.5">',
    '<div style="max-width:520px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">',
    `<p style="margin:0 0 16px;font-weight:600">${escapeHtml(facts.brand)}</p>`,
    p(t.greeting(facts)),
    p(intro),
    `<p style="margin:0 0 16px"><a href="${escapeHtml(facts.link)}" style="display:inline-block;background:#1f6feb;color:#ffffff;text-decoration:none;padding:10px 16px;border-radius:6px">${escapeHtml(t.action)}</a></p>`,
    `<p style="margin:0 0 16px;font-size:13px;word-break:break-all">${escapeHtml(facts.link)}</p>`,
    p(after),
    `<p style="margin:0;font-size:13px;color:#57606a">${escapeHtml(t.footer(facts))}</p>`,
    '</div></body></html>',
  ].join('');
  return { to: facts.address, subject: t.subject(facts), text, html };
}
