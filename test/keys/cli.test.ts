import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { fixedClock } from '../helpers/clock.js';
import { makeDeps, sqliteFileStore, tempDir } from '../helpers/deps.js';
import { runTessera, startService } from '../helpers/process.js';

// What needs real processes: the service starting on a store whose keys are (not yet) encrypted, and processes
// racing to rotate. The keys commands' output is tested in-process in test/commands/keys.test.ts.

const kek = Buffer.alloc(32, 7).toString('base64');
const otherKek = Buffer.alloc(32, 9).toString('base64');

/** A fresh database file, and the environment that points the processes at it. */
function database() {
  const path = join(tempDir(), 'tessera.db');
  return { path, env: { DATABASE_URL: `file:${path}` } };
}

/** Deps on that file as bin/tessera.js opens them (the key ring not loaded), at the real time the processes read. */
const opened = async (path: string, env: Record<string, string> = {}) =>
  makeDeps({ store: await sqliteFileStore(path), env, clock: fixedClock(Math.ceil(Date.now() / 1000)), refreshKeys: false });

/** Output of a child process arrives on its own pipe, possibly after its HTTP answers: poll for it. */
async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the process output');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Room for a machine busy with other work: each test starts several processes (issue 24 item 18).
describe('tessera keys and the service as real processes', { timeout: 60_000 }, () => {
  it('starts on a store kept in clear, saying how to encrypt it; once encrypted, a missing or wrong key stops it with one clear line', async () => {
    const { path, env } = database();
    // Two keys in clear, made in this process: one signing, one pre-published.
    const deps = await opened(path);
    expect((await cli(deps, ['keys', 'rotate', '--now'])).code).toBe(0);
    expect((await cli(deps, ['keys', 'rotate'])).code).toBe(0);

    // Started with a key while the store is still in clear: it serves, and says how to fix it.
    const warned = await startService({ ...env, KEY_ENCRYPTION_KEY: kek });
    await waitFor(() => warned.output().includes('run: npx tessera keys encrypt'));
    expect(warned.output()).not.toContain(kek);
    expect(await warned.stop()).toBe(0);

    // The real binary takes KEY_ENCRYPTION_KEY from its environment.
    const sealed = await runTessera(['keys', 'encrypt'], { env: { ...env, KEY_ENCRYPTION_KEY: kek } });
    expect(sealed).toEqual({
      code: 0,
      stdout: 'encrypted 2 signing keys with KEY_ENCRYPTION_KEY (0 already encrypted)\n',
      stderr: `tessera: using the SQLite database ${path}\n`,
    });

    await expect(startService({ ...env, KEY_ENCRYPTION_KEY: otherKek })).rejects.toThrow(
      /^service exited with 1:\ntessera: KEY_ENCRYPTION_KEY does not decrypt signing key [\w-]{43}: it is not the key the signing keys were encrypted with\n$/,
    );
    await expect(startService(env)).rejects.toThrow(/^service exited with 1:\ntessera: the signing keys in the store are encrypted \(key [\w-]{43}\)/);

    const service = await startService({ ...env, KEY_ENCRYPTION_KEY: kek });
    expect((await (await fetch(`${service.url}/.well-known/jwks.json`)).json()).keys).toHaveLength(2);
    expect(service.output()).not.toContain('keys encrypt');
    expect(await service.stop()).toBe(0);
  });

  it('agrees on one active key when processes race to rotate on a fresh store', async () => {
    // Four processes each generate a key: Ed25519, which costs nothing to generate; the algorithm is not the point.
    const { path, env: dbEnv } = database();
    const env = { ...dbEnv, SIGNING_ALG: 'EdDSA' };
    await sqliteFileStore(path); // migrated, as `tessera migrate` leaves it: no command but that one creates a store
    const rotations = await Promise.all([1, 2, 3, 4].map(() => runTessera(['keys', 'rotate', '--now', '--json'], { env })));
    expect(rotations.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const rotated = rotations.map((r) => JSON.parse(r.stdout).key.kid as string);

    const listed = await cli(await opened(path, { SIGNING_ALG: 'EdDSA' }), ['keys', 'list', '--json']);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    const keys: { kid: string; state: string }[] = JSON.parse(listed.stdout).keys;
    const active = keys.filter((k) => k.state === 'active');
    expect(active).toHaveLength(1);
    expect(keys[0]).toBe(active[0]);
    expect(rotated).toContain(active[0]!.kid);
    for (const kid of rotated) expect(keys.map((k) => k.kid)).toContain(kid);
  });
});
