import { describe, expect, it } from 'vitest';
import { form, testServer } from '../helpers/server.js';

const origin = 'https://spa.example';
const preflight = (method: string, headers = 'content-type'): RequestInit => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
});

describe('CORS for browser apps', () => {
  it('answers preflights for /token, /userinfo and the discovery documents, for any origin', async () => {
    const { fetch } = await testServer();
    for (const [path, method, headers] of [
      ['/token', 'POST', 'content-type'],
      ['/userinfo', 'GET', 'authorization'],
      ['/.well-known/openid-configuration', 'GET', 'accept'],
    ] as const) {
      const res = await fetch(path, preflight(method, headers));
      expect(res.status, path).toBe(204);
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
      expect(res.headers.get('access-control-allow-methods'), path).toBe('GET,POST');
      expect(res.headers.get('access-control-allow-headers'), path).toBe('Authorization,Content-Type,Accept,DPoP');
      expect(res.headers.get('access-control-allow-credentials'), path).toBeNull();
    }
  });

  it('lets the page read answers and errors alike, without credentials', async () => {
    const { fetch } = await testServer();
    const res = await fetch('/token', {
      ...form({ grant_type: 'authorization_code', client_id: 'nobody' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toBe('WWW-Authenticate,Retry-After,DPoP-Nonce');
    const metadata = await fetch('/.well-known/jwks.json', { headers: { origin } });
    expect(metadata.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('leaves /refresh, /revoke and the hosted pages same-origin (they read cookies)', async () => {
    const { fetch } = await testServer();
    for (const path of ['/refresh', '/revoke', '/login', '/authorize']) {
      const res = await fetch(path, preflight('POST'));
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
      await res.body?.cancel();
    }
    const refresh = await fetch('/refresh', { ...form({ refresh_token: 'x' }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin } });
    expect(refresh.headers.get('access-control-allow-origin')).toBeNull();
  });
});
