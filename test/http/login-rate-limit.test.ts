import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { randomIds } from '../../src/lib/ids.js';
import { alicePassword, passwordForm, seededServer } from '../helpers/fixtures.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { basic, form, testServer } from '../helpers/server.js';

const setup = (env?: Record<string, string>) => seededServer({ env });

const login = (username: string, password = 'wrong password', clientId = 'web-app') => passwordForm({ client_id: clientId, username, password });

// fixedClock() starts 20 s into a minute, so the first window ends 40 s later.
const tooMany = { error: 'too_many_requests', error_description: 'too many requests, try again later' };

describe('POST /token login rate limits', () => {
  it('refuses a login after 10 failed checks of one username within a minute, even with the right password, and starts no session', async () => {
    const { fetch, deps, alice } = await setup();
    for (let i = 0; i < 10; i++) expect((await fetch('/token', login(i % 2 ? 'alice' : 'ALICE'))).status).toBe(400);

    const res = await fetch('/token', login('alice', alicePassword));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('40');
    expect(res.headers.get('cache-control')).toBe('no-store');
    await expectMatchesSpec(res.clone(), { method: 'post', path: '/token' });
    expect(await res.json()).toEqual(tooMany);
    expect((await deps.store.listFamilies({ userId: alice.id, limit: 10 })).items).toEqual([]);

    expect((await fetch('/token', login('bob'))).status).toBe(400);
    deps.clock.advance(40);
    expect((await fetch('/token', login('alice', alicePassword))).status).toBe(200);
  });

  it('never counts a request whose client is unknown or not allowed the grant, so nobody can lock a user out without a client', async () => {
    const { fetch, serviceSecret } = await setup({ LOGIN_RATE_LIMIT_PER_USER: '2', LOGIN_RATE_LIMIT_PER_IP: '2' });
    for (let i = 0; i < 11; i++) {
      const res = await fetch('/token', login('alice', 'wrong password', 'no-such-client'));
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'unknown client or wrong credentials' });
    }
    const notAllowed = { ...login('alice'), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', serviceSecret) } };
    for (let i = 0; i < 3; i++) expect((await fetch('/token', notAllowed)).status).toBe(400);

    expect((await fetch('/token', login('alice', alicePassword))).status).toBe(200);
  });

  it('never counts a successful login: a user logging in from many devices is not refused', async () => {
    const { fetch } = await setup({ LOGIN_RATE_LIMIT_PER_USER: '2', LOGIN_RATE_LIMIT_PER_IP: '2' });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await fetch('/token', login('alice', alicePassword))).status);
    expect(statuses).toEqual(Array(12).fill(200));
    // The failures that follow still get their full allowance.
    expect((await fetch('/token', login('alice'))).status).toBe(400);
    expect((await fetch('/token', login('alice'))).status).toBe(400);
    expect((await fetch('/token', login('alice', alicePassword))).status).toBe(429);
  });

  it('limits failed checks per client IP across usernames, unknown ones included', async () => {
    const { fetch } = await setup({ LOGIN_RATE_LIMIT_PER_IP: '3' });
    for (const name of ['alice', 'bob', 'carol']) expect((await fetch('/token', login(name))).status).toBe(400);
    const res = await fetch('/token', login('alice', alicePassword));
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual(tooMany);
  });

  it('shares the counters between instances on one store', async () => {
    const one = await setup({ LOGIN_RATE_LIMIT_PER_USER: '4' });
    const two = await testServer({ env: { LOGIN_RATE_LIMIT_PER_USER: '4' }, store: one.deps.store, ids: randomIds });
    for (let i = 0; i < 4; i++) expect((await (i % 2 ? two : one).fetch('/token', login('alice'))).status).toBe(400);
    expect((await two.fetch('/token', login('alice', alicePassword))).status).toBe(429);
    expect((await one.fetch('/token', login('alice', alicePassword))).status).toBe(429);
  });

  it('counts only the password grant', async () => {
    const { fetch, serviceSecret } = await setup({ LOGIN_RATE_LIMIT_PER_IP: '1' });
    const cc = {
      ...form({ grant_type: 'client_credentials' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', serviceSecret) },
    };
    for (let i = 0; i < 3; i++) expect((await fetch('/token', cc)).status).toBe(200);
    expect((await fetch('/token', login('alice', alicePassword))).status).toBe(200);
  });

  it('is off when set to 0', async () => {
    const { fetch } = await setup({ LOGIN_RATE_LIMIT_PER_USER: '0', LOGIN_RATE_LIMIT_PER_IP: '0' });
    for (let i = 0; i < 12; i++) expect((await fetch('/token', login('alice'))).status).toBe(400);
    expect((await fetch('/token', login('alice', alicePassword))).status).toBe(200);
  });

  it('rejects a limit that is not a whole number, naming the variable', () => {
    expect(() => loadConfig({ LOGIN_RATE_LIMIT_PER_USER: 'ten', LOGIN_RATE_LIMIT_PER_IP: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOGIN_RATE_LIMIT_PER_USER: 'ten' })).toThrow(/LOGIN_RATE_LIMIT_PER_USER/);
    expect(() => loadConfig({ LOGIN_RATE_LIMIT_PER_IP: '-1' })).toThrow(/LOGIN_RATE_LIMIT_PER_IP/);
    expect(loadConfig({})).toMatchObject({ loginRateLimitPerUser: 10, loginRateLimitPerIp: 100 });
  });
});
