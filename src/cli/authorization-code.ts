import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';

/** A sign-in through the browser that did not end with tokens; the message is the one line the person reads. */
export class LoginFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoginFailed';
  }
}

export type AuthorizationCodeInput = {
  issuer: string;
  clientId: string;
  scope: string;
  /** The loopback port to listen on; 0 takes a free one (a loopback redirect URI matches on any port, RFC 8252 §7.3). */
  port: number;
  /** How long to wait for the browser. */
  timeoutMs: number;
  /** Tells the person at the terminal which URL to open. */
  progress(text: string): void;
};

/** What the token endpoint answered. */
export type TokenResponse = Record<string, unknown> & { access_token: string; id_token?: string };

type Metadata = { authorization_endpoint: string; token_endpoint: string; jwks_uri: string };

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/**
 * What a native app does (RFC 8252): listens on a loopback port, sends the person's browser to /authorize with PKCE
 * (S256), a state and a nonce, receives the redirect, checks its state and its iss (RFC 9207), exchanges the code at
 * /token and checks the id_token. Like Hydra's `perform authorization-code`; it talks HTTP to the server only.
 */
export async function performAuthorizationCode(input: AuthorizationCodeInput): Promise<TokenResponse> {
  const metadata = await discover(input.issuer);
  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  const nonce = base64url(randomBytes(16));

  const callback = await loopbackCallback(input.port, input.timeoutMs);
  try {
    const redirectUri = `http://127.0.0.1:${callback.port}/callback`;
    const url = new URL(metadata.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: input.clientId,
      redirect_uri: redirectUri,
      scope: input.scope,
      state,
      nonce,
      code_challenge: base64url(createHash('sha256').update(verifier).digest()),
      code_challenge_method: 'S256',
    }).toString();
    input.progress(`Open this URL in a browser and sign in (waiting for ${redirectUri}):\n${url}\n`);

    const params = await callback.received((query) => {
      if (query.get('state') !== state) return 'its state is not the one sent: it does not answer this sign-in';
      if (query.get('iss') !== input.issuer) return `its iss is ${JSON.stringify(query.get('iss'))}, not ${input.issuer} (RFC 9207)`;
      return undefined;
    });
    if (params.get('error')) {
      throw new LoginFailed(`the server answered ${params.get('error')}: ${params.get('error_description') ?? 'no description'}`);
    }
    const tokens = await exchange(metadata, { clientId: input.clientId, code: params.get('code') ?? '', redirectUri, verifier });
    if (tokens.id_token) await checkIdToken(tokens.id_token, metadata, input, nonce);
    return tokens;
  } finally {
    await callback.close();
  }
}

async function discover(issuer: string): Promise<Metadata> {
  const where = `${issuer}/.well-known/oauth-authorization-server`;
  let res: Response;
  try {
    res = await fetch(where);
  } catch (error) {
    throw new LoginFailed(`cannot reach ${where} (${(error as Error).message}): is Tessera running there? set ISSUER or --issuer`);
  }
  if (!res.ok) throw new LoginFailed(`${where} answered ${res.status}: is ${issuer} Tessera's issuer? set ISSUER or --issuer`);
  return (await res.json()) as Metadata;
}

async function exchange(metadata: Metadata, fields: { clientId: string; code: string; redirectUri: string; verifier: string }): Promise<TokenResponse> {
  const res = await fetch(metadata.token_endpoint, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: fields.clientId,
      code: fields.code,
      redirect_uri: fields.redirectUri,
      code_verifier: fields.verifier,
    }),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, string>;
  if (!res.ok) throw new LoginFailed(`the token endpoint refused the code (${res.status}): ${body.error ?? 'no error'}: ${body.error_description ?? ''}`);
  return body as unknown as TokenResponse;
}

async function checkIdToken(idToken: string, metadata: Metadata, input: AuthorizationCodeInput, nonce: string): Promise<void> {
  try {
    const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(metadata.jwks_uri)), { issuer: input.issuer, audience: input.clientId });
    if (payload.nonce !== nonce) throw new Error('its nonce is not the one sent');
  } catch (error) {
    throw new LoginFailed(`the id_token does not check out: ${(error as Error).message}`);
  }
}

// Each answer closes its connection, so closing the listener does not wait on a browser's keep-alive.
const headers = { 'content-type': 'text/html; charset=utf-8', connection: 'close' };
const page = (title: string, text: string) => `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title}</title><p>${text}</p></html>`;

/**
 * A listener on 127.0.0.1 for the one redirect that ends the sign-in. `received(check)` resolves with the query of
 * the first request to /callback, or rejects with what `check` found wrong with it, or after `timeoutMs`.
 */
async function loopbackCallback(port: number, timeoutMs: number) {
  let settle: { resolve(query: URLSearchParams): void; reject(error: Error): void } | undefined;
  let check: (query: URLSearchParams) => string | undefined = () => undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback' || !settle) {
      res.writeHead(404, headers).end(page('Not found', 'Nothing here.'));
      return;
    }
    const problem = check(url.searchParams);
    const ok = !problem && !url.searchParams.get('error');
    res
      .writeHead(ok ? 200 : 400, headers)
      .end(
        ok
          ? page('Signed in', 'Signed in. The tokens are in the terminal; you can close this tab.')
          : page('Sign-in failed', 'The sign-in failed; the terminal says why.'),
      );
    const done = settle;
    settle = undefined;
    if (problem) done.reject(new LoginFailed(`refused the redirect to the callback: ${problem}`));
    else done.resolve(url.searchParams);
  });
  server.listen(port, '127.0.0.1');
  try {
    await once(server, 'listening');
  } catch (error) {
    throw new LoginFailed(`cannot listen on 127.0.0.1:${port} (--port): ${(error as Error).message}`);
  }
  return {
    port: (server.address() as AddressInfo).port,
    received(checkQuery: typeof check): Promise<URLSearchParams> {
      check = checkQuery;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new LoginFailed(`no sign-in came back within ${timeoutMs / 1000} s`)), timeoutMs);
        settle = {
          resolve: (query) => {
            clearTimeout(timer);
            resolve(query);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
