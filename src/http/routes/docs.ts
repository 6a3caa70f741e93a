import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { Deps } from '../../services/deps.js';
import { renderDocsPage } from '../docs-page.js';

/** The API description at the package root: ../../../ from src/http/routes under vitest and from dist/http/routes after the build. */
export const openapiFile = fileURLToPath(new URL('../../../openapi.yaml', import.meta.url));

type Spec = { yaml: string; doc?: Record<string, unknown> };
let loaded: Spec | undefined;

/**
 * Read once per process, so a missing file stops createApp at start. Parsed on the first GET /docs: the parse
 * (yaml, a document of several thousand lines) took about a third of a second of every start, and loading the
 * yaml package itself a tenth. The file itself is
 * held to Redocly's rules and to every route by the test suite.
 */
function loadSpec(): Spec {
  loaded ??= { yaml: readFileSync(openapiFile, 'utf8') };
  return loaded;
}

const parsedSpec = async (spec: Spec) => (spec.doc ??= (await import('yaml')).parse(spec.yaml) as Record<string, unknown>);

/** GET /openapi.yaml and GET /docs, a page rendered on the server that loads nothing from elsewhere. */
export function docsRoutes(deps: Pick<Deps, 'config'>) {
  const spec = loadSpec();
  let html: string | undefined;
  return new Hono()
    .get('/openapi.yaml', (c) => c.body(spec.yaml, 200, { 'Content-Type': 'application/yaml; charset=utf-8' }))
    .get('/docs', async (c) => {
      html ??= renderDocsPage(await parsedSpec(spec), deps.config.issuer);
      return c.html(html, 200, {
        // The page is inert: inline styles only, no scripts, nothing fetched from anywhere.
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      });
    });
}
