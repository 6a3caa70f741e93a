import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { randomIds } from '../../src/lib/ids.js';
import { setPassword } from '../../src/services/users.js';
import { loginAlice, passwordGrant, seededServer } from '../helpers/fixtures.js';
import { form, type testServer } from '../helpers/server.js';

// Issue #11, findings 4, 5 and 7: the session rules to the millisecond and under races.

const refresh = (server: Awaited<ReturnType<typeof testServer>>, token: string) =>
  server.fetch('/token', form({ grant_type: 'refresh_token', client_id: 'web-app', refresh_token: token }));

describe('max_sessions', () => {
  it('evicts the oldest session, by the millisecond, whatever the random ids', async () => {
    for (let trial = 0; trial < 5; trial++) {
      const server = await seededServer({ ids: randomIds, seed: { app: { maxSessions: 2 } } });
      const sids: string[] = [];
      for (let n = 0; n < 3; n++) {
        sids.push(decodeJwt((await loginAlice(server)).access_token).sid as string);
        server.deps.clock.advance(0.001);
      }
      const [first, second, third] = await Promise.all(sids.map((sid) => server.deps.store.findFamily(sid)));
      expect(first).toMatchObject({ revokeReason: 'max_sessions' });
      expect(second).toMatchObject({ revokedAt: null });
      expect(third).toMatchObject({ revokedAt: null });
    }
  });

  it('leaves exactly one live session when logins with max_sessions 1 arrive together', async () => {
    const server = await seededServer({ ids: randomIds, seed: { app: { maxSessions: 1 } } });
    const logins = await Promise.all(Array.from({ length: 6 }, () => loginAlice(server)));
    const families = await Promise.all(logins.map((l) => server.deps.store.findFamily(decodeJwt(l.access_token).sid as string)));
    expect(families.filter((f) => f!.revokedAt === null)).toHaveLength(1);
  });
});

describe('the grace window', () => {
  it('is measured in milliseconds: 2 s after a use is a retry, 2.5 s is theft', async () => {
    const server = await seededServer({ env: { REFRESH_REUSE_GRACE: '2' } });
    const { refresh_token: first } = await loginAlice(server);
    const rotated = await (await refresh(server, first)).json();
    server.deps.clock.advance(2);
    const retry = await (await refresh(server, first)).json();
    expect(retry.refresh_token).toBe(rotated.refresh_token);

    const again = await loginAlice(server);
    await refresh(server, again.refresh_token);
    server.deps.clock.advance(2.5);
    const res = await refresh(server, again.refresh_token);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('invalid_grant');
    expect(await server.deps.store.findFamily(decodeJwt(again.access_token).sid as string)).toMatchObject({ revokeReason: 'reuse_detected' });
  });
});

describe('a password change', () => {
  it('also ends a login that checked the old password and had not committed its session yet', async () => {
    const server = await seededServer();
    const { alice } = server;
    // The login's argon2 check passes, then waits: the password changes before its session is written.
    const { hasher } = server.deps;
    let verified!: () => void;
    const checked = new Promise<void>((resolve) => (verified = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server.deps.hasher = {
      hash: (password) => hasher.hash(password),
      async verify(stored, password) {
        const ok = await hasher.verify(stored, password);
        verified();
        await gate;
        return ok;
      },
    };
    const login = passwordGrant(server);
    await checked;
    server.deps.hasher = hasher;
    server.deps.clock.advance(0.001);
    await setPassword(server.deps, { name: 'cli' }, alice.id, 'a brand new passphrase');
    release();

    const res = await login;
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await server.deps.store.listFamilies({ userId: alice.id, limit: 10 })).items).toEqual([]);
  });
});
