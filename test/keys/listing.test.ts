import { describe, expect, it } from 'vitest';
import { listKeys, rotateKeys } from '../../src/services/keys.js';
import { makeDeps } from '../helpers/deps.js';

// JWKS_MAX_AGE 120 gives a reload period of 30 s: a successor is published 150 s before the rotation is due.
const env = { JWKS_MAX_AGE: '120', KEY_ROTATION_INTERVAL: '1200', ACCESS_TOKEN_TTL: '600' };

describe('listing the signing keys', () => {
  it('writes nothing when a rotation is due: no successor is published', async () => {
    const deps = await makeDeps({ env });
    const stored = await deps.store.listSigningKeys();
    deps.clock.advance(1200);

    expect(await listKeys(deps)).toEqual([expect.objectContaining({ kid: stored[0]!.kid, state: 'active' })]);
    expect(await deps.store.listSigningKeys()).toEqual(stored);

    // The key refresh (main.ts, every reload period) is what publishes the successor.
    await deps.keys.refresh(deps.clock.now());
    expect(await deps.store.listSigningKeys()).toHaveLength(2);
  });

  it('writes nothing when a retired key has expired: the listing leaves it out, the store keeps it', async () => {
    const deps = await makeDeps({ env });
    const [first] = await deps.store.listSigningKeys();
    const second = await rotateKeys(deps, { name: 'cli' }, { immediate: true });
    expect((await listKeys(deps)).map((k) => [k.kid, k.state])).toEqual([
      [second.kid, 'active'],
      [first!.kid, 'retired'],
    ]);

    // Its tokens have all expired once the access-token lifetime has passed after the reload period.
    deps.clock.advance(30 + 600);
    expect((await listKeys(deps)).map((k) => [k.kid, k.state])).toEqual([[second.kid, 'active']]);
    expect((await deps.store.listSigningKeys()).map((k) => k.kid).sort()).toEqual([first!.kid, second.kid].sort());

    await deps.keys.refresh(deps.clock.now());
    expect((await deps.store.listSigningKeys()).map((k) => k.kid)).toEqual([second.kid]);
  });
});
