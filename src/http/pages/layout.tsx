import type { Child } from 'hono/jsx';
import type { Locale } from '../../domain/locale.js';
import { passkeyScriptPaths } from './passkey-script.js';
import { faviconPath, stylesheetPath, stylesheetVersion } from './styles.js';

/** The frame of every hosted page: the product's name over one card, and nothing from elsewhere. */
export function Layout(props: { brand: string; title: string; lang: Locale; wide?: boolean; scripts?: boolean; children?: Child }) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · ${props.brand}`}</title>
        <link rel="stylesheet" href={`${stylesheetPath}?v=${stylesheetVersion}`} />
        <link rel="icon" type="image/svg+xml" href={faviconPath} />
        {props.scripts ? <PasskeyScripts /> : null}
      </head>
      <body>
        <main class={props.wide ? 'shell wide' : 'shell'}>
          <div class="card">
            <header class="brand">
              <span class="mark" aria-hidden="true">
                {[...props.brand][0]?.toUpperCase() ?? 'T'}
              </span>
              <span class="brand-name">{props.brand}</span>
            </header>
            {props.children}
          </div>
        </main>
      </body>
    </html>
  );
}

/** The hidden fields every form of ours carries: the CSRF token and the sealed authorization request (none on the account page). */
export function FormState(props: { csrfToken: string; request?: string }) {
  return (
    <>
      <input type="hidden" name="csrf_token" value={props.csrfToken} />
      {props.request === undefined ? null : <input type="hidden" name="request" value={props.request} />}
    </>
  );
}

/** The passkey helpers, our own files (CSP script-src 'self'), deferred so the form is there when they run. */
function PasskeyScripts() {
  return (
    <>
      {passkeyScriptPaths.map((src) => (
        <script src={src} defer />
      ))}
    </>
  );
}
