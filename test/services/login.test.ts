import { describe, expect, it } from 'vitest';
import { authenticateUser } from '../../src/services/login.js';
import { countingHasher, makeDeps } from '../helpers/deps.js';
import { alicePassword, seed } from '../helpers/fixtures.js';

async function setup(env: Record<string, string>) {
  const deps = await makeDeps({ env });
  const cast = await seed(deps);
  const hasher = countingHasher();
  const attempt = (username: string, password: string, ip = '192.0.2.1') =>
    authenticateUser({ ...deps, hasher }, { name: 'client:web-app', ip }, { username, password, clientId: 'web-app', ip });
  return { deps, hasher, attempt, ...cast };
}

// fixedClock() starts at 1_700_000_000, 20 s into a minute.
const window = (1_700_000_000 - 20) * 1000;

describe('authenticateUser', () => {
  it('returns the user for the right password, whatever the case of the name, and counts nothing', async () => {
    const { deps, attempt, alice } = await setup({});
    expect(await attempt('Alice', alicePassword)).toMatchObject({ user: { id: alice.id, username: 'alice' }, authTime: 1_700_000_000_000 });
    expect(await deps.store.peekRateLimit('login-ip:192.0.2.1', window)).toBe(0);
    expect((await deps.store.listAuditEvents({ type: 'login.failed', limit: 10 })).items).toEqual([]);
  });

  it('counts a failure against the username and the IP, and records it in the audit log with the IP', async () => {
    const { deps, attempt, alice } = await setup({ LOGIN_RATE_LIMIT_PER_USER: '5', LOGIN_RATE_LIMIT_PER_IP: '5' });
    await expect(attempt('alice', 'wrong password')).rejects.toMatchObject({ code: 'invalid_grant', description: 'wrong username or password' });
    await expect(attempt('nobody', 'wrong password', '192.0.2.2')).rejects.toMatchObject({ code: 'invalid_grant' });
    expect(await deps.store.peekRateLimit('login-ip:192.0.2.1', window)).toBe(1);
    expect(await deps.store.peekRateLimit('login-ip:192.0.2.2', window)).toBe(1);
    const failed = (await deps.store.listAuditEvents({ type: 'login.failed', limit: 10 })).items;
    expect(failed.map((e) => [e.userId, e.ip, e.details.reason])).toEqual([
      [null, '192.0.2.2', 'unknown_user'],
      [alice.id, '192.0.2.1', 'wrong_password'],
    ]);
  });

  it('refuses an attempt at the limit before spending argon2 on it, and does not count the refusal', async () => {
    const { deps, hasher, attempt } = await setup({ LOGIN_RATE_LIMIT_PER_USER: '2', LOGIN_RATE_LIMIT_PER_IP: '100' });
    for (const ip of ['192.0.2.1', '192.0.2.2']) await expect(attempt('alice', 'wrong password', ip)).rejects.toMatchObject({ code: 'invalid_grant' });
    expect(hasher.verified).toHaveLength(2);

    await expect(attempt('alice', alicePassword, '192.0.2.3')).rejects.toMatchObject({
      code: 'too_many_requests',
      status: 429,
      headers: { 'Retry-After': '40' },
    });
    expect(hasher.verified).toHaveLength(2);
    expect(await deps.store.peekRateLimit('login-ip:192.0.2.3', window)).toBe(0);

    deps.clock.advance(40);
    expect((await attempt('alice', alicePassword, '192.0.2.3')).user.username).toBe('alice');
  });

  it('counts a disabled user like a wrong password, with the same answer', async () => {
    const { deps, attempt, alice } = await setup({ LOGIN_RATE_LIMIT_PER_USER: '1' });
    await deps.store.disableUser(alice.id, 1_700_000_000);
    await expect(attempt('alice', alicePassword)).rejects.toMatchObject({ code: 'invalid_grant', description: 'wrong username or password' });
    await expect(attempt('alice', alicePassword)).rejects.toMatchObject({ code: 'too_many_requests' });
  });
});
