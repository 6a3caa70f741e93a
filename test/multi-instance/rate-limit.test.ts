import { expect, it } from 'vitest';
import { alicePassword, httpAt, passwordGrant } from '../helpers/fixtures.js';
import type { ServiceProcess } from '../helpers/process.js';
import { describeOnPostgres, startCluster } from './cluster.js';

const attempt = (instance: ServiceProcess, username: string, password = 'wrong password', clientId = 'web-app') =>
  passwordGrant(httpAt(instance.url), { client_id: clientId, username, password });

const minute = () => Math.floor(Date.now() / 60_000);

describeOnPostgres('login rate limits across two instances on one PostgreSQL database', () => {
  it('counts failed checks on either instance against one limit per username', async () => {
    const { a, b } = await startCluster({ LOGIN_RATE_LIMIT_PER_USER: '4' });
    // Limits count in fixed one-minute windows of the real clock; a run that straddles two windows is repeated with a fresh name.
    for (let run = 1; ; run++) {
      const username = `alice-${run}`;
      const started = minute();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await attempt(i % 2 ? b : a, username)).status);
      const last = await attempt(b, username);
      if (minute() !== started && run < 3) continue;

      expect(statuses).toEqual([400, 400, 400, 400, 429, 429]);
      expect(last.status).toBe(429);
      expect(Number(last.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await last.json()).toEqual({ error: 'too_many_requests', error_description: 'too many requests, try again later' });
      // Another username is not affected.
      expect((await attempt(a, 'bob')).status).toBe(400);
      return;
    }
  });

  it('counts neither successful logins nor requests with an unknown client, on either instance', async () => {
    const { a, b } = await startCluster({ LOGIN_RATE_LIMIT_PER_USER: '2', LOGIN_RATE_LIMIT_PER_IP: '2' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt(i % 2 ? b : a, 'alice', 'wrong password', 'no-such-client')).status);
    for (let i = 0; i < 6; i++) statuses.push((await attempt(i % 2 ? b : a, 'alice', alicePassword)).status);
    expect(statuses).toEqual([...Array(6).fill(401), ...Array(6).fill(200)]);
  });
});
