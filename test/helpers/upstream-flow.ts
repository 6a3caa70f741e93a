import { expect } from 'vitest';
import { browserAppsServer, pkce, spaRedirect, spaRequest } from './authorize.js';
import { form } from './server.js';
import { continueWith, crossOriginBrowser, formOf } from './upstream.js';

// Sign-in with an upstream provider, in-process: Tessera on a loopback port with the browser apps
// (test/helpers/authorize.ts), a provider added as the CLI would, and a browser across both origins.

export async function upstreamSetup(env: Record<string, string> = {}) {
  const server = await browserAppsServer({ env });
  return { ...server, callbackUri: `${server.url}/upstream/idp/callback` };
}

export type UpstreamSetup = Awaited<ReturnType<typeof upstreamSetup>>;

/** Opens the spa's authorization request in `b` and follows "Continue with Example ID" as far as it goes. */
export async function continueWithIdp(s: UpstreamSetup, b: ReturnType<typeof crossOriginBrowser>, challenge = pkce().challenge) {
  const login = await b.get(`${s.url}${spaRequest(challenge)}`);
  expect(login.res.status).toBe(200);
  return b.get(`${s.url}${continueWith(await login.res.text(), 'Example ID')}`);
}

/** At node-oidc-provider's development login: signs in as `account`, approves, and follows back through Tessera. */
export async function approveAtUpstream(b: ReturnType<typeof crossOriginBrowser>, at: { url: string; res: Response }, account: string) {
  const login = formOf(await at.res.text());
  let next = await b.post(new URL(login.action, at.url).href, { ...login.fields, login: account, password: 'anything' });
  if (next.res.status === 200 && /name="prompt" value="consent"/.test(await next.res.clone().text())) {
    const consent = formOf(await next.res.text());
    next = await b.post(new URL(consent.action, next.url).href, consent.fields);
  }
  return next;
}

/** The whole flow for `account`: back at the spa's redirect URI with a code, or wherever it ended. */
export async function signInWithIdp(s: UpstreamSetup, account: string) {
  const b = crossOriginBrowser([spaRedirect]);
  const v = pkce();
  const end = await approveAtUpstream(b, await continueWithIdp(s, b, v.challenge), account);
  return { b, end, verifier: v.verifier, params: end.url.startsWith(spaRedirect) ? Object.fromEntries(new URL(end.url).searchParams) : null };
}

export const redeemAtSpa = (s: UpstreamSetup, code: string, verifier: string) =>
  s.fetch('/token', form({ grant_type: 'authorization_code', client_id: 'spa', code, redirect_uri: spaRedirect, code_verifier: verifier }));

/** The message line of a login page. */
export const alertOf = (html: string) => /<p class="alert" role="alert"[^>]*>([^<]*)<\/p>/.exec(html)?.[1]?.replace(/&#39;/g, "'") ?? null;
