import { describe, expect, it } from 'vitest';
import { dpopKey } from '../helpers/dpop.js';
import { passwordForm } from '../helpers/fixtures.js';
import type { ServiceProcess } from '../helpers/process.js';
import { describeOnPostgres, issuer, startCluster } from './cluster.js';

// A DPoP proof is accepted once across every instance on the store (RFC 9449 §11.1): its jti is recorded in the
// database, not in one process's memory.

const loginWith = (instance: ServiceProcess, dpop: string) => fetch(`${instance.url}/token`, passwordForm({}, { dpop }));

function replayAcrossInstances(on: 'postgres' | 'sqlite') {
  it('refuses a proof replayed at the other instance, and lets one of parallel uses through', async () => {
    const { a, b } = await startCluster({}, { on });
    const key = await dpopKey();
    const proof = () => key.proof({ htm: 'POST', htu: `${issuer}/token`, iat: Math.floor(Date.now() / 1000) });

    const once = await proof();
    expect((await loginWith(a, once)).status).toBe(200);
    const replay = await loginWith(b, once);
    expect([replay.status, await replay.json()]).toEqual([
      400,
      { error: 'invalid_dpop_proof', error_description: 'the DPoP proof was used before (its jti is not new)' },
    ]);

    const raced = await proof();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => loginWith(i % 2 ? b : a, raced)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400, 400, 400, 400]);
  });
}

describe('DPoP proof replay across two instances on one SQLite file', () => {
  replayAcrossInstances('sqlite');
});

describeOnPostgres('DPoP proof replay across two instances on one PostgreSQL database', () => {
  replayAcrossInstances('postgres');
});
