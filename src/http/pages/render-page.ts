import type { Context } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';

/**
 * The source expression that lets a form's redirect reach `uri`: browsers apply form-action to the
 * redirects that follow a form post, and ours end at the client's redirect URI.
 */
export function formActionSource(uri: string): string {
  const url = new URL(uri);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
}

/**
 * Headers of every hosted page: a strict CSP (our own stylesheet, no script at all, no framing), no
 * caching, and no Referer (an authorization response carries its code in the URL).
 */
export function pageHeaders(formActions: string[] = [], { scripts = false } = {}): Record<string, string> {
  const formAction = formActions.length === 0 ? "'none'" : [...new Set(["'self'", ...formActions])].join(' ');
  // Pages with passkeys run our own two scripts, which fetch their options from us: nothing inline, nothing from elsewhere.
  const script = scripts ? "script-src 'self'; connect-src 'self'; " : '';
  return {
    'Content-Security-Policy': `default-src 'none'; ${script}style-src 'self'; img-src 'self'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
  };
}

export type PageStatus = 200 | 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500;

/** Renders a page component as a complete HTML document. */
export async function renderPage(c: Context, page: JSX.Element, status: PageStatus, headers: Record<string, string>): Promise<Response> {
  return c.html(`<!doctype html>${await page.toString()}`, status, headers);
}
