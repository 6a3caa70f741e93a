import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { describeOnPostgres, introspect, login, post, refresh, startCluster } from './cluster.js';

// The longest window the configuration allows, so a slow machine never pushes a retry out of it.
const wideWindow = { REFRESH_REUSE_GRACE: '300' };

const invalidGrant = (description: string) => ({ error: 'invalid_grant', error_description: description });

/** Races on one token from two processes: on either store, the store's conditional write must pick one successor. */
function parallelExchanges(on: 'postgres' | 'sqlite') {
  it('gives 16 parallel exchanges of one token, spread over both instances, one identical successor', async () => {
    const { a, b } = await startCluster(wideWindow, { on });
    const { refresh_token } = await login(a);

    const responses = await Promise.all(Array.from({ length: 16 }, (_, i) => refresh(i % 2 ? b : a, refresh_token)));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(responses.map((r) => r.status)).toEqual(Array(16).fill(200));
    expect(new Set(bodies.map((body) => body.refresh_token)).size).toBe(1);
    expect(new Set(bodies.map((body) => decodeJwt(body.access_token).jti)).size).toBe(16);
    // The family lives on: the successor rotates on either instance.
    expect((await refresh(b, bodies[0].refresh_token)).status).toBe(200);
  });

  it('lets exactly one of parallel exchanges succeed when the grace window is 0', async () => {
    const { a, b } = await startCluster({ REFRESH_REUSE_GRACE: '0' }, { on });
    const { refresh_token } = await login(a);

    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => refresh(i % 2 ? b : a, refresh_token)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(9);
  });
}

// Within one process better-sqlite3 never runs two store calls at once; two processes on one file do race.
describe('refresh rotation across two instances on one SQLite file', () => {
  parallelExchanges('sqlite');
});

describeOnPostgres('refresh rotation across two instances on one PostgreSQL database', () => {
  parallelExchanges('postgres');

  it('answers a retry on the other instance, within the window, with the same successor', async () => {
    const { a, b } = await startCluster(wideWindow);
    const { refresh_token } = await login(a);
    const first = await (await refresh(a, refresh_token)).json();
    const retry = await refresh(b, refresh_token);
    expect(retry.status).toBe(200);
    const again = await retry.json();
    expect(again.refresh_token).toBe(first.refresh_token);
    expect(decodeJwt(again.access_token).jti).not.toBe(decodeJwt(first.access_token).jti);
  });

  it('revokes the family for instance A when instance B detects a reuse', async () => {
    const cluster = await startCluster();
    const { a, b } = cluster;
    const { refresh_token: stolen } = await login(a);
    const second = await (await refresh(a, stolen)).json();
    const third = await (await refresh(a, second.refresh_token)).json();
    expect(await introspect(a, cluster, third.access_token)).toMatchObject({ active: true, sid: decodeJwt(third.access_token).sid });

    // The first token comes back on B after its successor was used: theft.
    const reuse = await refresh(b, stolen);
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toEqual(invalidGrant('refresh token was already used; the session has been revoked'));

    expect(await (await refresh(a, third.refresh_token)).json()).toEqual(invalidGrant('refresh token has been revoked'));
    expect(await introspect(a, cluster, third.access_token)).toEqual({ active: false });
    expect(await introspect(a, cluster, third.refresh_token)).toEqual({ active: false });
  });

  it('ends the session on instance A when it is revoked on instance B', async () => {
    const cluster = await startCluster();
    const { a, b } = cluster;
    const session = await login(a);
    expect((await post(b, '/revoke', { token: session.refresh_token, client_id: 'web-app' })).status).toBe(200);

    expect(await introspect(a, cluster, session.access_token)).toEqual({ active: false });
    expect(await (await refresh(a, session.refresh_token)).json()).toEqual(invalidGrant('refresh token has been revoked'));
  });
});
