import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deref, specFile, specPaths, spec } from '../helpers/openapi.js';
import { testServer } from '../helpers/server.js';

describe('GET /openapi.yaml', () => {
  it('serves the API description file as application/yaml', async () => {
    const { fetch } = await testServer();
    const res = await fetch('/openapi.yaml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/yaml/);
    const text = await res.text();
    expect(text).toBe(readFileSync(specFile, 'utf8'));
    expect(parse(text).openapi).toMatch(/^3\.1/);
  });
});

describe('GET /docs', () => {
  async function page() {
    const { fetch, url } = await testServer();
    const res = await fetch('/docs');
    return { res, html: await res.text(), url };
  }

  it('renders every operation with its method, path and summary', async () => {
    const { res, html } = await page();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    for (const { method, path } of specPaths()) {
      const op = spec.paths[path][method];
      const heading = new RegExp(
        `<span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeRegExp(path)}</code> ${escapeRegExp(escapeHtml(op.summary))}`,
      );
      expect(html, `${method} ${path}`).toMatch(heading);
    }
  });

  it('shows parameters, response codes, headers and schema fields', async () => {
    const { html, url } = await page();
    expect(html).toContain(`This instance: <code>${url}</code>`);
    expect(html).toContain('<code>Retry-After</code>');
    expect(html).toContain('<code>WWW-Authenticate</code>');
    expect(html).toMatch(/<td class="status s4">401<\/td>/);
    expect(html).toContain('<code>If-None-Match</code>');
    expect(html).toContain('<code>refresh_token</code>');
    expect(html).toContain('id="schema-TokenResponse"');
    expect(html).toContain('<a href="#schema-TokenResponse">TokenResponse</a>');
    expect(html).toContain('<code>__Host-tessera-rt</code>');
  });

  it('loads nothing from elsewhere and forbids it by policy', async () => {
    const { res, html } = await page();
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    const links = [...html.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((l) => !l.startsWith('#') && l !== 'openapi.yaml')).toEqual([]);
  });

  it('shows each error body once: the named schema narrowed to its code, not the schema and then the override', async () => {
    const { html } = await page();
    const forbidden = section(html, 'op-adminShowUser').split('<td class="status s4">403</td>')[1]!.split('</tr></table>')[0]!;
    expect(forbidden.match(/<table>/g)).toHaveLength(1);
    expect(forbidden).toContain('<p><a href="#schema-Error">Error</a></p>');
    expect(forbidden).toContain('<tr><td><code>error</code> <span class="req">required</span></td><td><code>&quot;insufficient_scope&quot;</code></td>');
    expect(html).not.toContain(' and object');
  });

  it('heads each section with its display name, spelt as written', async () => {
    const { html } = await page();
    expect(html).toContain('<h2 id="tag-oauth">OAuth</h2>');
    expect(html).toContain('<h2 id="tag-admin">Admin</h2>');
    expect(html).not.toMatch(/text-transform:\s*capitalize/);
  });

  it('shows every example of the description under its response', async () => {
    const { html } = await page();
    const shown = (value: unknown) => escapeHtml(typeof value === 'string' ? value : JSON.stringify(value, null, 2));
    let count = 0;
    for (const { method, path } of specPaths()) {
      const op = spec.paths[path][method];
      const block = section(html, `op-${op.operationId}`);
      for (const [status, response] of Object.entries<Json>(op.responses)) {
        for (const media of Object.values<Json>(deref(response).content ?? {})) {
          const values = 'example' in media ? [media.example] : Object.values<Json>(media.examples ?? {}).map((e) => deref(e).value);
          for (const value of values) {
            expect(block.includes(`<pre>${shown(value)}</pre>`), `${method} ${path} ${status}: ${shown(value).slice(0, 80)}`).toBe(true);
            count++;
          }
        }
      }
    }
    expect(count).toBeGreaterThan(100);
    expect(section(html, 'op-token')).toContain('example: client_credentials: no refresh token');
  });

  it('escapes text from the description', async () => {
    const { html } = await page();
    // The spec's descriptions mention `{"refresh_token": …}`; quotes must come out as entities, not raw markup.
    expect(html).toContain('<code>{&quot;refresh_token&quot;: …}</code>');
  });
});

// biome-ignore lint/suspicious/noExplicitAny: parsed openapi.yaml, walked without a schema of its own
type Json = Record<string, any>;

/** The HTML of one operation's section. */
const section = (html: string, id: string) => {
  const start = html.indexOf(`<section class="op" id="${id}">`);
  expect(start, id).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
};
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/>/g, '&gt;').replace(/</g, '&lt;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
