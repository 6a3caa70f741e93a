import { describe, expect, it } from 'vitest';
import { password } from '../../../src/grants/password.js';
import { countingHasher, makeDeps } from '../../helpers/deps.js';
import { alicePassword, seed } from '../../helpers/fixtures.js';

describe('password grant', () => {
  it('spends one argon2 verification on an unknown user, against the dummy hash, exactly as for a known one', async () => {
    const deps = await makeDeps();
    await seed(deps);
    const app = (await deps.store.findClient('web-app'))!;
    const hasher = countingHasher();
    const run = (username: string, pw: string) =>
      password.handler({
        deps: { ...deps, hasher },
        client: app,
        params: new Map([
          ['username', username],
          ['password', pw],
        ]),
        actor: { name: 'test' },
      });

    await expect(run('mallory', alicePassword)).rejects.toMatchObject({ code: 'invalid_grant', description: 'wrong username or password' });
    await expect(run('alice', 'wrong password')).rejects.toMatchObject({ code: 'invalid_grant', description: 'wrong username or password' });
    expect(hasher.verified).toHaveLength(2);
    expect(hasher.verified[0]).toBe(deps.dummyPasswordHash);
    expect(hasher.verified[1]).not.toBe(deps.dummyPasswordHash);
  });

  it('refuses a disabled user with the same answer', async () => {
    const deps = await makeDeps();
    const { alice } = await seed(deps);
    const app = (await deps.store.findClient('web-app'))!;
    await deps.store.disableUser(alice.id, 1_700_000_000_000);
    await expect(
      password.handler({
        deps,
        client: app,
        params: new Map([
          ['username', 'alice'],
          ['password', alicePassword],
        ]),
        actor: { name: 'test' },
      }),
    ).rejects.toMatchObject({ code: 'invalid_grant', description: 'wrong username or password' });
  });

  it('limits a user with its own scopes to the intersection with the client', async () => {
    const deps = await makeDeps();
    await seed(deps, { user: { scopes: ['read', 'admin'] } });
    const app = (await deps.store.findClient('web-app'))!;
    const response = await password.handler({
      deps,
      client: app,
      params: new Map([
        ['username', 'alice'],
        ['password', alicePassword],
      ]),
      actor: { name: 'test' },
    });
    expect(response.scope).toBe('read');
  });
});
