import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/deps.js';
import { jsonCli, startService } from '../helpers/process.js';

// A strict third-party OAuth client library talks to the built service as a real process.
// Tessera listens on plain http on loopback, which oauth4webapi refuses unless told otherwise.
const insecure = { [oauth.allowInsecureRequests]: true } as const;
const password = 'a long enough password';

async function start() {
  const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
  const cli = jsonCli(env);
  await cli(['clients', 'create', 'web', '--public', '--grants', 'password', '--scope', 'read write']);
  const { client_secret: reportsSecret } = await cli(['clients', 'create', 'reports', '--grants', 'client_credentials', '--scope', 'read']);
  const { user } = await cli(['users', 'create', 'alice', '--password-stdin'], `${password}\n`);
  const service = await startService(env);
  const issuer = new URL(service.url);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
  return { service, issuer, as, reportsSecret: reportsSecret as string, userId: user.id as string };
}

/** What a resource server does with a bearer token: RFC 9068 validation against the JWKS. */
const validate = (as: oauth.AuthorizationServer, token: string, audience: string) =>
  oauth.validateJwtAccessToken(as, new Request('http://api.example/resource', { headers: { authorization: `Bearer ${token}` } }), audience, insecure);

describe('a strict OAuth client (oauth4webapi) against the service', () => {
  it('discovers the metadata, logs in with the password grant, refreshes, and the tokens validate as RFC 9068', async () => {
    const { service, issuer, as, userId } = await start();
    expect(as).toMatchObject({
      issuer: service.url,
      token_endpoint: `${service.url}/token`,
      jwks_uri: `${service.url}/.well-known/jwks.json`,
      grant_types_supported: expect.arrayContaining(['password', 'client_credentials', 'refresh_token']),
    });

    const web: oauth.Client = { client_id: 'web' };
    const login = await oauth.processGenericTokenEndpointResponse(
      as,
      web,
      await oauth.genericTokenEndpointRequest(as, web, oauth.None(), 'password', { username: 'alice', password, scope: 'read' }, insecure),
    );
    expect(login).toMatchObject({ token_type: 'bearer', expires_in: 600, scope: 'read', refresh_token: expect.any(String) });

    const claims = await validate(as, login.access_token, issuer.href.replace(/\/$/, ''));
    expect(claims).toMatchObject({ iss: service.url, sub: userId, aud: service.url, client_id: 'web', scope: 'read', sid: expect.any(String) });

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      web,
      await oauth.refreshTokenGrantRequest(as, web, oauth.None(), login.refresh_token!, insecure),
    );
    expect(refreshed.refresh_token).not.toBe(login.refresh_token);
    expect((await validate(as, refreshed.access_token, service.url)).sid).toBe(claims.sid);
    expect(await service.stop()).toBe(0);
  });

  it('gets a client_credentials token with client_secret_basic', async () => {
    const { service, as, reportsSecret } = await start();
    const reports: oauth.Client = { client_id: 'reports' };
    const response = await oauth.processClientCredentialsResponse(
      as,
      reports,
      await oauth.clientCredentialsGrantRequest(as, reports, oauth.ClientSecretBasic(reportsSecret), { scope: 'read' }, insecure),
    );
    expect(response.refresh_token).toBeUndefined();
    const claims = await validate(as, response.access_token, service.url);
    expect(claims).toMatchObject({ sub: 'reports', client_id: 'reports', scope: 'read' });
    expect(claims.sid).toBeUndefined();
  });

  it('surfaces our errors as RFC 6749 error responses, and a resource server refuses a token for another audience', async () => {
    const { as, service } = await start();
    const web: oauth.Client = { client_id: 'web' };
    const wrong = oauth.genericTokenEndpointRequest(as, web, oauth.None(), 'password', { username: 'alice', password: 'not the password' }, insecure);
    await expect(oauth.processGenericTokenEndpointResponse(as, web, await wrong)).rejects.toMatchObject({ error: 'invalid_grant', status: 400 });

    const login = await oauth.processGenericTokenEndpointResponse(
      as,
      web,
      await oauth.genericTokenEndpointRequest(as, web, oauth.None(), 'password', { username: 'alice', password }, insecure),
    );
    await expect(validate(as, login.access_token, 'https://other.example')).rejects.toThrow(/aud/);
    await expect(validate(as, `${login.access_token.slice(0, -4)}AAAA`, service.url)).rejects.toThrow();
  });
});
