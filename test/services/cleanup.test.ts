import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { pruneExpired } from '../../src/services/retention.js';
import { makeDeps, sqliteMemoryStore } from '../helpers/deps.js';
import { loginAlice, seed } from '../helpers/fixtures.js';
import { form } from '../helpers/server.js';

describe('cleanup of expired refresh tokens', () => {
  it('deletes every expired token, in batches, and nothing a live family still needs', async () => {
    // Batches of 10, so 24 rotations already span more than two of them.
    const deps = await makeDeps({ env: { REFRESH_TOKEN_IDLE_TTL: '100' }, store: await sqliteMemoryStore({ cleanupBatch: 10 }) });
    await seed(deps);
    const app = createApp(deps);
    const post = (path: string, fields: Record<string, string>) => app.request(path, form(fields));
    const login = async () => (await loginAlice({ fetch: async (path, init) => app.request(path, init) })).refresh_token;

    // 24 rotations leave 24 used tokens behind (more than two batches), all idle-expired 100s later.
    let token = await login();
    for (let i = 0; i < 24; i++) token = (await (await post('/refresh', { refresh_token: token })).json()).refresh_token;
    deps.clock.advance(60);
    const kept = await login(); // a second family, logged in later: its token must survive
    deps.clock.advance(41);
    token = (await (await post('/refresh', { refresh_token: kept })).json()).refresh_token;

    expect(await pruneExpired(deps)).toBe(25);
    expect(await deps.store.findRefreshToken('rt_1')).toBeNull();
    const res = await post('/refresh', { refresh_token: token });
    expect(res.status).toBe(200);
  });
});
