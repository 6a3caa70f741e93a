import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { parse } from 'yaml';
import type { Deps } from '../../services/deps.js';
import { renderDocsPage } from '../docs-page.js';

/** The API description at the package root: ../../../ from src/http/routes under vitest and from dist/http/routes after the build. */
export const openapiFile = fileURLToPath(new URL('../../../openapi.yaml', import.meta.url));

let loaded: { yaml: string; doc: Record<string, unknown> } | undefined;

/** Read and parsed once per process; a missing or broken file stops createApp at start, not at the first request. */
function loadSpec() {
  if (!loaded) {
    const yaml = readFileSync(openapiFile, 'utf8');
    loaded = { yaml, doc: parse(yaml) as Record<string, unknown> };
  }
  return loaded;
}

/** GET /openapi.yaml and GET /docs, a page rendered on the server that loads nothing from elsewhere. */
export function docsRoutes(deps: Pick<Deps, 'config'>) {
  const { yaml, doc } = loadSpec();
  const html = renderDocsPage(doc, deps.config.issuer);
  return new Hono()
    .get('/openapi.yaml', (c) => c.body(yaml, 200, { 'Content-Type': 'application/yaml; charset=utf-8' }))
    .get('/docs', (c) =>
      c.html(html, 200, {
        // The page is inert: inline styles only, no scripts, nothing fetched from anywhere.
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      }),
    );
}
