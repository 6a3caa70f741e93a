import { createHash } from 'node:crypto';

// The one stylesheet of the hosted pages, served by Tessera itself (CSP style-src 'self').
// System fonts, no images: nothing is fetched from anywhere else. Colours meet WCAG AA contrast.

export const stylesheet = `
:root {
  --bg: #f3f5f9; --card: #ffffff; --text: #161b26; --muted: #4d5566; --line: #d5dae3;
  --accent: #2347c5; --accent-dark: #1a3699; --focus: #f0a500;
  --danger-bg: #fdeceb; --danger: #a11a14; --radius: 12px;
  color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; min-height: 100vh; background: var(--bg); color: var(--text);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  display: flex; flex-direction: column; align-items: center; justify-content: center; padding: 24px 16px;
}
.shell { width: 100%; max-width: 400px; }
.card {
  background: var(--card); border: 1px solid var(--line); border-radius: var(--radius);
  box-shadow: 0 1px 2px rgba(16, 24, 40, .04), 0 8px 24px rgba(16, 24, 40, .06); padding: 32px;
}
.brand { display: flex; align-items: center; gap: 10px; margin-bottom: 24px; }
.mark {
  width: 36px; height: 36px; border-radius: 9px; background: var(--accent); color: #fff;
  display: inline-flex; align-items: center; justify-content: center; font-weight: 700; font-size: 18px;
}
.brand-name { font-weight: 650; font-size: 17px; letter-spacing: .01em; }
h1 { font-size: 24px; line-height: 1.25; margin: 0 0 6px; font-weight: 680; }
.lead { margin: 0 0 24px; color: var(--muted); }
/* Names an operator or a client chose: long ones wrap, and their bidi controls stay inside them. */
.lead strong, .who strong { color: var(--text); font-weight: 600; overflow-wrap: anywhere; unicode-bidi: isolate; }
h1 .client { overflow-wrap: anywhere; unicode-bidi: isolate; }
.alert {
  background: var(--danger-bg); color: var(--danger); border: 1px solid #f3c1bd; border-radius: 8px;
  padding: 10px 12px; margin: 0 0 20px; font-size: 15px;
}
form { margin: 0; }
.field { margin-bottom: 18px; }
label { display: block; font-weight: 600; font-size: 15px; margin-bottom: 6px; }
input[type="text"], input[type="password"], input[type="email"] {
  width: 100%; font: inherit; color: var(--text); background: #fff;
  border: 1px solid #aab2c0; border-radius: 8px; padding: 10px 12px; min-height: 44px;
}
input:hover { border-color: #7d8696; }
input:focus-visible, button:focus-visible, a:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px;
}
input:focus-visible { border-color: var(--accent); }
input[aria-invalid="true"] { border-color: var(--danger); }
.button {
  display: inline-flex; align-items: center; justify-content: center; width: 100%; min-height: 44px;
  font: inherit; font-weight: 600; border-radius: 8px; padding: 10px 16px; cursor: pointer; border: 1px solid transparent;
}
.primary { background: var(--accent); color: #fff; }
.primary:hover { background: var(--accent-dark); }
.secondary { background: #fff; color: var(--text); border-color: #aab2c0; }
.secondary:hover { background: #f3f5f9; }
.actions { display: flex; gap: 12px; margin-top: 24px; }
.scopes { list-style: none; margin: 0; padding: 0; border: 1px solid var(--line); border-radius: 8px; }
.scopes li { padding: 12px 14px; border-top: 1px solid var(--line); display: flex; gap: 10px; }
.scopes li:first-child { border-top: 0; }
.scopes li::before { content: ""; flex: none; width: 8px; height: 8px; margin-top: 9px; border-radius: 50%; background: var(--accent); }
.api-name { font-size: 16px; margin: 16px 0 8px; }
.scope-name { display: block; font-weight: 600; overflow-wrap: anywhere; }
.scope-text { display: block; color: var(--muted); font-size: 15px; }
.who { margin: 16px 0 0; color: var(--muted); font-size: 15px; }
a.button { text-decoration: none; }
.divider { display: flex; align-items: center; gap: 12px; margin: 24px 0 16px; color: var(--muted); font-size: 14px; }
.divider::before, .divider::after { content: ""; flex: 1; border-top: 1px solid var(--line); }
.providers { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
form[data-passkey="authenticate"] { margin-top: 10px; }
.detail, .reference { color: var(--muted); font-size: 14px; margin: 0 0 12px; overflow-wrap: anywhere; }
.detail-text { color: var(--text); }
code { font: 14px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--text); background: var(--bg); border-radius: 4px; padding: 1px 4px; }
.hint { display: block; color: var(--muted); font-size: 14px; margin-top: 6px; }
.field-error { display: block; color: var(--danger); font-size: 14px; margin-top: 6px; }
.links { list-style: none; margin: 20px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 8px 20px; justify-content: center; font-size: 15px; }
.links a, .card p a { color: var(--accent); }
.notice { margin: 0 0 16px; }
/* Korean breaks between words, not inside them. */
:lang(ko) { word-break: keep-all; overflow-wrap: anywhere; }
.footnote { text-align: center; color: var(--muted); font-size: 13px; margin: 20px 0 0; }
.shell.wide { max-width: 640px; }
input[type="email"] {
  width: 100%; font: inherit; color: var(--text); background: #fff;
  border: 1px solid #aab2c0; border-radius: 8px; padding: 10px 12px; min-height: 44px;
}
.notice { background: #e8f5ec; color: #155724; border: 1px solid #b7dfc2; border-radius: 8px; padding: 10px 12px; margin: 0 0 20px; font-size: 15px; }
.section { border-top: 1px solid var(--line); padding-top: 20px; margin-top: 24px; }
.section h2 { font-size: 19px; margin: 0 0 10px; }
.facts { margin: 0 0 16px; display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.badge { display: inline-block; font-size: 13px; font-weight: 600; border-radius: 999px; padding: 1px 8px; margin-left: 6px; border: 1px solid var(--line); color: var(--muted); }
.badge.ok { color: #155724; border-color: #b7dfc2; background: #e8f5ec; }
.items { list-style: none; margin: 0 0 16px; padding: 0; border: 1px solid var(--line); border-radius: 8px; }
.items li { padding: 12px 14px; border-top: 1px solid var(--line); display: flex; gap: 12px; align-items: center; justify-content: space-between; flex-wrap: wrap; }
.items li:first-child { border-top: 0; }
.item-name { font-weight: 600; overflow-wrap: anywhere; }
.item-text { color: var(--muted); font-size: 14px; overflow-wrap: anywhere; }
.items .button { width: auto; min-height: 36px; padding: 6px 12px; font-size: 15px; }
/* A hint after a whole field (the account page's password rule) tucks under it; one inside a field follows its input. */
.field + .hint { margin: -10px 0 16px; }
.recovery { margin-top: 16px; }
.recovery summary { cursor: pointer; }
@media (max-width: 480px) {
  body { padding: 0; justify-content: flex-start; background: var(--card); }
  .card { border: 0; border-radius: 0; box-shadow: none; padding: 28px 20px; }
  .actions { flex-direction: column; }
}
@media (prefers-reduced-motion: no-preference) { .button { transition: background-color .15s ease; } }
@media (forced-colors: active) { .mark, .primary { border: 1px solid CanvasText; } }
`;

/** Changes whenever the stylesheet does, so its URL can be cached for long. */
export const stylesheetVersion = createHash('sha256').update(stylesheet).digest('base64url').slice(0, 12);
export const stylesheetPath = '/assets/tessera.css';

/** The pages' icon: a keyhole on the accent colour (the brand's name is configurable, so no letter). */
export const favicon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#2347c5"/><circle cx="16" cy="13" r="5" fill="#fff"/><path d="M13.5 16h5l1.5 9h-8z" fill="#fff"/></svg>`;
export const faviconPath = '/favicon.ico';
