import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { onCleanup } from './deps.js';

// A private_key_jwt client's side: its key pairs, its client assertions (RFC 7523), and a JWKS it serves itself.

export const jwtBearer = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export type ClientKey = { kid: string; alg: string; privateKey: CryptoKey; publicJwk: JWK };

export async function clientKey(kid: string, alg: 'ES256' | 'PS256' | 'RS256' | 'EdDSA' = 'ES256'): Promise<ClientKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export const jwksOf = (...keys: ClientKey[]) => JSON.stringify({ keys: keys.map((k) => k.publicJwk) });

let seq = 0;

/** A client assertion for `clientId` to `aud`, valid for 60 s from `now`; `claims` override or (undefined) remove claims. */
export async function assertion(
  key: ClientKey,
  clientId: string,
  aud: string,
  now: Date,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const payload = { iss: clientId, sub: clientId, aud, iat, exp: iat + 60, jti: `jti-${++seq}`, ...claims };
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete (payload as Record<string, unknown>)[k];
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, ...header }).sign(key.privateKey);
}

/** Form fields that authenticate with an assertion. */
export const assertionFields = (clientAssertion: string) => ({ client_assertion_type: jwtBearer, client_assertion: clientAssertion });

/** A loopback HTTP server serving a JWKS that the test can change; counts its requests. */
export async function jwksServer(initial: string) {
  let body = initial;
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    serve: (jwks: string) => {
      body = jwks;
    },
    requests: () => requests,
  };
}
