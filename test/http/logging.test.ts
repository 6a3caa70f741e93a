import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.js';
import { adminSetup } from '../admin/setup.js';
import { alicePassword } from '../helpers/fixtures.js';
import { basic, form } from '../helpers/server.js';

/** A test server whose JSON log lines are kept in memory. */
async function loggedServer() {
  const lines: string[] = [];
  const log = createLogger('info', { write: (line: string) => void lines.push(line) });
  const server = await adminSetup({ log });
  const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { ...server, lines, entries };
}

describe('request logs', () => {
  it('writes one JSON line per request with its id, method, path without query, status and duration', async () => {
    const { fetch, entries } = await loggedServer();
    const given = await fetch('/healthz?token=abc', { headers: { 'x-request-id': 'req-42' } });
    expect(given.headers.get('x-request-id')).toBe('req-42');
    const generated = await fetch('/no-such-route', { headers: { 'x-request-id': 'bad id with spaces' } });
    const id = generated.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const requests = entries().filter((e) => e.msg === 'request');
    expect(requests.slice(-2)).toEqual([
      { level: 30, time: expect.any(Number), msg: 'request', request_id: 'req-42', method: 'GET', path: '/healthz', status: 200, duration_ms: expect.any(Number) },
      { level: 30, time: expect.any(Number), msg: 'request', request_id: id, method: 'GET', path: '/no-such-route', status: 404, duration_ms: expect.any(Number) },
    ]);
  });

  it('never contains a token, password or client secret the requests carried', async () => {
    const { fetch, admin, login, refresh, lines, entries, serviceSecret, adminToken } = await loggedServer();
    const session = await login();
    const rotated = await (await refresh(session.refresh_token)).json();
    const created = await (await admin('POST', '/admin/clients', { body: { id: 'reports', scope: 'read' } })).json();
    await admin('POST', '/admin/users', { body: { username: 'bob', password: 'bobs secret password' } });
    await fetch('/token', {
      ...form({ grant_type: 'client_credentials' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('reports', created.client_secret) },
    });
    await fetch(`/healthz?access_token=${session.access_token}`);
    await fetch('/token', form({ grant_type: 'password', client_id: 'web-app', username: 'alice', password: 'a wrong guess of a password' }));

    const secrets = [
      alicePassword,
      'bobs secret password',
      'a wrong guess of a password',
      serviceSecret,
      created.client_secret,
      adminToken,
      session.access_token,
      session.refresh_token,
      rotated.access_token,
      rotated.refresh_token,
    ];
    const text = lines.join('');
    expect(entries().filter((e) => e.msg === 'request').length).toBeGreaterThanOrEqual(8);
    for (const secret of secrets) {
      expect(typeof secret).toBe('string');
      expect(text).not.toContain(secret);
    }
  });
});
