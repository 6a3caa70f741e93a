import { describe, expect, it } from 'vitest';
import { startFamily } from '../../src/services/sessions/families.js';
import { readRefreshToken, rotate } from '../../src/services/sessions/rotate.js';
import { setPassword } from '../../src/services/users.js';
import { makeDeps } from '../helpers/deps.js';
import { seed } from '../helpers/fixtures.js';

// Starting and rotating a session answer with typed outcomes, which each grant words as its own OAuth
// error (the password grant: wrong username or password; the code: the sign-in no longer holds).

const actor = { name: 'client:web-app' };

async function setup() {
  const deps = await makeDeps();
  await seed(deps);
  const alice = (await deps.store.findUserByUsername('alice'))!;
  const [app, service] = [(await deps.store.findClient('web-app'))!, (await deps.store.findClient('billing'))!];
  const start = (authTime: number) => startFamily(deps, actor, { user: alice, client: app, scope: 'read', audience: deps.config.issuer, authTime });
  return { deps, start, alice, app, service };
}

describe('sessions: start and rotate', () => {
  it('starts no family for a sign-in checked before the password changed: the outcome is stale', async () => {
    const { deps, start, alice } = await setup();
    const checkedAt = deps.clock.now().getTime();
    deps.clock.advance(1);
    await setPassword(deps, { name: 'operator' }, alice.id, 'another long passphrase');
    expect(await start(checkedAt)).toEqual({ kind: 'stale' });
    expect((await deps.store.listFamilies({ userId: alice.id, limit: 10 })).items).toEqual([]);
    deps.clock.advance(1);
    expect(await start(deps.clock.now().getTime())).toMatchObject({ kind: 'started', family: { userId: alice.id, scope: 'read' } });
  });

  it('rotates once, answers a retry within the grace window with the same successor, and refuses a later reuse, revoking the family', async () => {
    const { deps, start, app, service } = await setup();
    const started = await start(deps.clock.now().getTime());
    if (started.kind !== 'started') throw new Error('alice could not sign in');
    const presented = () => readRefreshToken(deps, started.refreshToken);

    expect(await rotate(deps, actor, { presented: await readRefreshToken(deps, 'not a token'), client: app })).toEqual({ kind: 'refused', reason: 'invalid' });
    // Another client's token is refused without being used.
    expect(await rotate(deps, actor, { presented: await presented(), client: service })).toEqual({ kind: 'refused', reason: 'invalid' });

    const first = await rotate(deps, actor, { presented: await presented(), client: app });
    expect(first).toMatchObject({ kind: 'rotated', family: { id: started.family.id }, response: { token_type: 'Bearer', scope: 'read' } });
    const retry = await rotate(deps, actor, { presented: await presented(), client: app });
    if (first.kind !== 'rotated' || retry.kind !== 'rotated') throw new Error('the exchange or its retry was refused');
    expect(retry.response.refresh_token).toBe(first.response.refresh_token);

    deps.clock.advance(deps.config.refreshReuseGrace + 1);
    expect(await rotate(deps, actor, { presented: await presented(), client: app })).toEqual({ kind: 'refused', reason: 'reused' });
    expect((await deps.store.findFamily(started.family.id))?.revokeReason).toBe('reuse_detected');
    expect(await rotate(deps, actor, { presented: await presented(), client: app })).toEqual({ kind: 'refused', reason: 'revoked' });
  });
});
