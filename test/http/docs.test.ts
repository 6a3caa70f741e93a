import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { specFile, specPaths, spec } from '../helpers/openapi.js';
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
      const heading = new RegExp(`<span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeRegExp(path)}</code> ${escapeRegExp(escapeHtml(op.summary))}`);
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

  it('escapes text from the description', async () => {
    const { html } = await page();
    // The spec's descriptions mention `{"refresh_token": …}`; quotes must come out as entities, not raw markup.
    expect(html).toContain('<code>{&quot;refresh_token&quot;: …}</code>');
  });
});

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
