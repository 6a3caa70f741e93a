import { describe, expect, it } from 'vitest';
import { adminSetup } from '../admin/setup.js';
import { alicePassword, passwordForm } from '../helpers/fixtures.js';

/** A password login to web-app that claims, through X-Forwarded-For, to come from `forwardedFor`. */
const login = (username: string, password: string, forwardedFor: string) => passwordForm({ username, password }, { 'x-forwarded-for': forwardedFor });

async function setup(env: Record<string, string>) {
  const server = await adminSetup({ env: { LOGIN_RATE_LIMIT_PER_IP: '2', ...env } });
  const familyIps = async () =>
    ((await (await server.admin('GET', `/admin/users/${server.alice.id}/families`)).json()).families as { ip: string }[]).map((f) => f.ip);
  const failureIps = async () => ((await (await server.admin('GET', '/admin/audit?type=login.failed')).json()).events as { ip: string }[]).map((e) => e.ip);
  return { ...server, familyIps, failureIps };
}

// Over real HTTP on loopback: the TCP peer of every request is 127.0.0.1.
describe('the client IP behind proxies (TRUST_PROXY)', () => {
  it('ignores X-Forwarded-For from a peer that is not a trusted proxy: limits, audit and sessions see the peer', async () => {
    const { fetch, familyIps, failureIps } = await setup({});
    expect((await fetch('/token', login('alice', alicePassword, '203.0.113.9'))).status).toBe(200);
    expect((await fetch('/token', login('bob', 'wrong password', '203.0.113.1'))).status).toBe(400);
    expect((await fetch('/token', login('carol', 'wrong password', '203.0.113.2'))).status).toBe(400);
    // A third forged address does not escape the per-IP limit: both failures were counted against 127.0.0.1.
    expect((await fetch('/token', login('alice', alicePassword, '203.0.113.3'))).status).toBe(429);

    expect(await failureIps()).toEqual(['127.0.0.1', '127.0.0.1']);
    expect(await familyIps()).toEqual(['127.0.0.1']);
  });

  it('takes the client from X-Forwarded-For when the peer is a trusted proxy, past every trusted hop', async () => {
    const { fetch, familyIps, failureIps } = await setup({ TRUST_PROXY: '127.0.0.1/32, 10.0.0.0/8' });
    expect((await fetch('/token', login('bob', 'wrong password', '198.51.100.8'))).status).toBe(400);
    expect((await fetch('/token', login('carol', 'wrong password', '203.0.113.66, 198.51.100.8, 10.1.2.3'))).status).toBe(400);
    // 198.51.100.8 is at its limit; another client behind the same proxy is not.
    expect((await fetch('/token', login('alice', alicePassword, '198.51.100.8'))).status).toBe(429);
    expect((await fetch('/token', login('alice', alicePassword, '198.51.100.9'))).status).toBe(200);

    expect(await failureIps()).toEqual(['198.51.100.8', '198.51.100.8']);
    expect(await familyIps()).toEqual(['198.51.100.9']);
  });
});
