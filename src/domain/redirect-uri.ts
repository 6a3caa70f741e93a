import { textProblem } from './text.js';

/**
 * Redirect URIs: what may be registered, and whether a requested one matches a registered one.
 * Exact string comparison (RFC 9700 §4.1.3), with the one exception RFC 8252 §7.3 makes for native
 * apps: a loopback IP literal over http matches on any port, since the app picks a free port at run time.
 */

const loopback = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?([/?].*)?$/;

/** The URI without its port, when it is an http loopback-IP URI; null otherwise. */
function withoutLoopbackPort(uri: string): string | null {
  const match = loopback.exec(uri);
  if (!match) return null;
  if (match[2] !== undefined && Number(match[2]) > 65535) return null;
  return `http://${match[1]}${match[3] ?? ''}`;
}

export function redirectUriMatches(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true;
  const portless = withoutLoopbackPort(requested);
  return portless !== null && registered.some((r) => withoutLoopbackPort(r) === portless);
}

export const maxRedirectUriLength = 2000;

/**
 * Why a URI cannot be registered as a redirect target, or null. https anywhere; http only on
 * loopback (local development and native apps); a private-use scheme only in reverse-domain form
 * (RFC 8252 §7.1), which keeps out javascript:, data: and the like. Never a fragment (RFC 6749 §3.1.2).
 */
export function redirectUriProblem(uri: string): string | null {
  const text = textProblem('redirect URI', uri, maxRedirectUriLength);
  if (text) return text;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `redirect URI "${uri.slice(0, 200)}" is not an absolute URI`;
  }
  if (uri.includes('#')) return 'redirect URI must not contain a fragment';
  if (/[\s<>"]/.test(uri)) return 'redirect URI must not contain spaces, quotes or angle brackets';
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'https') return url.hostname ? null : 'an https redirect URI needs a host';
  if (scheme === 'http') {
    return ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname)
      ? null
      : 'http redirect URIs are only for loopback (127.0.0.1, [::1], localhost); use https';
  }
  if (/^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+$/.test(scheme)) return null;
  return `scheme "${scheme.slice(0, 40)}" is not allowed: use https, http on loopback, or a reverse-domain scheme such as com.example.app`;
}
