import { describe, expect, it } from 'vitest';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { testServer } from '../helpers/server.js';

describe('GET /readyz and the periodic key refresh', () => {
  it('is 503 while refreshing the keys from the store fails, and ready again once it succeeds', async () => {
    const { deps, fetch } = await testServer();
    const ready = await fetch('/readyz');
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', checks: { store: true, signing_key: true, key_refresh: true } }]);

    // The signing-key table cannot be read (a permission revoked, a lock held): the store still answers pings.
    const { store } = deps;
    const listSigningKeys = store.listSigningKeys.bind(store);
    store.listSigningKeys = () => Promise.reject(new Error('permission denied for table signing_keys'));
    await expect(deps.keys.refresh(deps.clock.now())).rejects.toThrow('permission denied');
    const failing = await fetch('/readyz');
    await expectMatchesSpec(failing.clone(), { method: 'get', path: '/readyz' });
    expect([failing.status, await failing.json()]).toEqual([503, { status: 'not_ready', checks: { store: true, signing_key: true, key_refresh: false } }]);

    store.listSigningKeys = listSigningKeys;
    await deps.keys.refresh(deps.clock.now());
    expect((await fetch('/readyz')).status).toBe(200);
  });
});
