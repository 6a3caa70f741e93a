// The reference server of `npm run bench`: node-oidc-provider 9 with JWT (RS256) access tokens through its
// resource indicators, client_credentials and rotating refresh tokens, on its in-memory adapter, or with REDIS_URL
// on Redis (redis-adapter.ts: the durable peer, whose tokens survive a restart as Tessera's do).
// Env: PORT, REDIS_URL (optional), and SESSIONS (refresh tokens to mint at start-up; printed as one JSON line on stdout).
// After start-up it reads more session counts from stdin, one number a line, and answers each with a JSON line.
import { createInterface } from 'node:readline';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';
import { redisAdapter } from './redis-adapter.js';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const resource = 'urn:bench:api';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  ...(process.env.REDIS_URL ? { adapter: redisAdapter(process.env.REDIS_URL) } : {}),
  clients: [
    {
      client_id: 'bench-app',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: ['https://app.example/cb'],
    },
    { client_id: 'bench-service', client_secret: 'bench-service-secret', grant_types: ['client_credentials'], response_types: [], redirect_uris: [] },
  ],
  jwks: { keys: [jwk] },
  rotateRefreshToken: true,
  ttl: { AccessToken: 600, ClientCredentials: 600, Grant: 14 * 86_400, RefreshToken: 14 * 86_400 },
  scopes: ['openid', 'offline_access', 'read'],
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({ scope: 'read', audience: resource, accessTokenTTL: 600, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
    },
  },
  findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub }) }),
});
// Its default logger would write a line for each expected error; the figures are about the happy path.
provider.on('server_error', (_ctx: unknown, error: Error) => console.error(error));

/** A grant and its first refresh token, as an authorization code exchange would have left them. */
async function session(): Promise<string> {
  const grant = new provider.Grant({ accountId: 'alice', clientId: 'bench-app' });
  grant.addOIDCScope('offline_access');
  grant.addResourceScope(resource, 'read');
  const grantId = await grant.save();
  const client = await provider.Client.find('bench-app');
  const token = new provider.RefreshToken({ accountId: 'alice', client, grantId, gty: 'authorization_code', scope: 'offline_access read', resource });
  return token.save();
}

const mint = async (n: number) => Promise.all(Array.from({ length: n }, session));

provider.listen(port, '127.0.0.1', async () => {
  console.log(JSON.stringify({ ready: true, tokens: await mint(Number(process.env.SESSIONS ?? 0)) }));
  for await (const line of createInterface({ input: process.stdin })) console.log(JSON.stringify({ tokens: await mint(Number(line)) }));
});
