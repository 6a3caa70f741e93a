import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/deps.js';
import { runTessera, startService } from '../helpers/process.js';

const kek = Buffer.alloc(32, 7).toString('base64');
const otherKek = Buffer.alloc(32, 9).toString('base64');
const dbEnv = () => ({ DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` });

/** Output of a child process arrives on its own pipe, possibly after its HTTP answers: poll for it. */
async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the process output');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type KeyView = { kid: string; alg: string; state: string; activates_at: string };
const listKeys = async (env: Record<string, string>): Promise<KeyView[]> => {
  const result = await runTessera(['keys', 'list', '--json'], { env });
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(result.stdout).keys;
};

/** The first key of a fresh store, which only the server's key refresh or a rotation creates. */
const firstKey = async (env: Record<string, string>): Promise<KeyView> => {
  const result = await runTessera(['keys', 'rotate', '--now', '--json'], { env });
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(result.stdout).key;
};

describe('tessera keys', () => {
  it('lists, rotates with pre-publication, and says so when --now skips it', async () => {
    const env = dbEnv();
    // A listing writes nothing: on a fresh store it creates no key.
    expect(await listKeys(env)).toEqual([]);
    const first = await firstKey(env);
    expect(first).toMatchObject({ alg: 'RS256', state: 'active' });

    const planned = await runTessera(['keys', 'rotate', '--json'], { env });
    expect(planned.code).toBe(0);
    const next = JSON.parse(planned.stdout).key;
    expect(next).toMatchObject({ state: 'next', pre_published: true, pre_publish_seconds: 330 });
    expect(Date.parse(next.activates_at) - Date.now()).toBeGreaterThan(300_000);

    const emergency = await runTessera(['keys', 'rotate', '--now'], { env });
    expect(emergency.code).toBe(0);
    expect(emergency.stderr).toBe('');
    expect(emergency.stdout).toMatch(/^new signing key [\w-]{43} \(RS256\)\nit signs now: pre-publication was skipped \(--now\)\.\n/);

    const keys = await listKeys(env);
    expect(keys.map((k) => k.state)).toEqual(['active', 'retired']);
    expect(keys[1]!.kid).toBe(first.kid);
    const text = await runTessera(['keys', 'list'], { env });
    expect(text.stdout.split('\n')[0]).toMatch(/^KID\s+ALG\s+STATE\s+ACTIVATES_AT\s+CREATED_AT$/);

    const usage = await runTessera(['keys', 'rotate', 'now'], { env });
    expect(usage).toEqual({ code: 2, stdout: '', stderr: 'tessera: unexpected argument "now"; see tessera keys rotate --help\n' });
  });

  it('encrypts a store kept in clear; afterwards a missing or wrong key is one clear error, for the CLI and at startup', async () => {
    const env = dbEnv();
    await firstKey(env);
    await runTessera(['keys', 'rotate'], { env });

    const withoutKey = await runTessera(['keys', 'encrypt'], { env });
    expect(withoutKey).toEqual({
      code: 1,
      stdout: '',
      stderr: 'tessera: KEY_ENCRYPTION_KEY is not set: it is the key the private signing keys are encrypted with\n',
    });

    // Started with a key while the store is still in clear: it serves, and says how to fix it.
    const warned = await startService({ ...env, KEY_ENCRYPTION_KEY: kek });
    await waitFor(() => warned.output().includes('run: npx tessera keys encrypt'));
    expect(warned.output()).not.toContain(kek);
    expect(await warned.stop()).toBe(0);

    const sealed = await runTessera(['keys', 'encrypt'], { env: { ...env, KEY_ENCRYPTION_KEY: kek } });
    expect(sealed).toEqual({ code: 0, stdout: 'encrypted 2 signing keys with KEY_ENCRYPTION_KEY (0 already encrypted)\n', stderr: '' });
    const again = await runTessera(['keys', 'encrypt', '--json'], { env: { ...env, KEY_ENCRYPTION_KEY: kek } });
    expect(JSON.parse(again.stdout)).toEqual({ encrypted: [], already_encrypted: [expect.any(String), expect.any(String)] });

    const missing = await runTessera(['keys', 'list'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^tessera: the signing keys in the store are encrypted \(key [\w-]{43}\): set KEY_ENCRYPTION_KEY to the key they were encrypted with\n$/,
    );

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
    const env = { ...dbEnv(), SIGNING_ALG: 'EdDSA' };
    const rotations = await Promise.all([1, 2, 3, 4].map(() => runTessera(['keys', 'rotate', '--now', '--json'], { env })));
    expect(rotations.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const rotated = rotations.map((r) => JSON.parse(r.stdout).key.kid as string);

    const keys = await listKeys(env);
    const active = keys.filter((k) => k.state === 'active');
    expect(active).toHaveLength(1);
    expect(keys[0]).toBe(active[0]);
    expect(rotated).toContain(active[0]!.kid);
    for (const kid of rotated) expect(keys.map((k) => k.kid)).toContain(kid);
  }, 60_000);
});
