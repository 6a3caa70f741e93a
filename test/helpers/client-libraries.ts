import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import * as oauth from 'oauth4webapi';
import { expect } from 'vitest';
import type { browser } from './authorize.js';

// What the tests that drive unmodified client libraries (oauth4webapi, openid-client) against a real Tessera share.

/** What the user does in the browser: open the authorization URL, sign in as alice, land on the redirect URI. */
export async function signIn(b: ReturnType<typeof browser>, authorizationUrl: URL, password: string): Promise<URL> {
  const page = await b.get(`${authorizationUrl.pathname}${authorizationUrl.search}`);
  expect(page.status).toBe(200);
  const back = await b.login(page, 'alice', password);
  expect(back.status).toBe(303);
  return new URL(back.headers.get('location')!);
}

/** Runs `request` once more when the server asked for a nonce: oauth4webapi keeps the nonce in its DPoP handle. */
export async function withNonceRetry<T>(request: () => Promise<T>): Promise<{ result: T; retried: boolean }> {
  try {
    return { result: await request(), retried: false };
  } catch (error) {
    if (!oauth.isDPoPNonceError(error)) throw error;
    return { result: await request(), retried: true };
  }
}

/** A client's PS256 key pair for private_key_jwt, its public JWKS written to `dir` for `clients create --jwks FILE`. */
export async function clientKeysFile(dir: string, kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('PS256', { extractable: true });
  const file = join(dir, `${kid}-jwks.json`);
  writeFileSync(file, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'PS256', use: 'sig' }] }));
  return { file, key: { key: privateKey, kid } };
}
