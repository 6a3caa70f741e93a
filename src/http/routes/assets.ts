import { Hono } from 'hono';
import { passkeyScript, passkeyScriptPath, simpleWebAuthnBundle, simpleWebAuthnPath } from '../pages/passkey-script.js';
import { favicon, faviconPath, stylesheet, stylesheetPath } from '../pages/styles.js';

const cached = { 'Cache-Control': 'public, max-age=86400', 'X-Content-Type-Options': 'nosniff' };

/**
 * The stylesheet and icon of the hosted pages, cacheable for a day. The icon is an SVG at the path
 * browsers ask for by themselves (/favicon.ico), so no page view ends in a 404.
 */
export function assetRoutes() {
  return new Hono()
    .get(stylesheetPath, (c) => c.body(stylesheet, 200, { 'Content-Type': 'text/css; charset=utf-8', ...cached }))
    .get(faviconPath, (c) => c.body(favicon, 200, { 'Content-Type': 'image/svg+xml', ...cached }))
    .get(simpleWebAuthnPath, (c) => c.body(simpleWebAuthnBundle, 200, { 'Content-Type': 'text/javascript; charset=utf-8', ...cached }))
    .get(passkeyScriptPath, (c) => c.body(passkeyScript, 200, { 'Content-Type': 'text/javascript; charset=utf-8', ...cached }));
}
