import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { fixedClock } from '../helpers/clock.js';
import { makeDeps, sqliteMemoryStore } from '../helpers/deps.js';
import { seqIds } from '../helpers/ids.js';

// The keys commands in this process (test/helpers/cli.ts). Each call gets deps as bin/tessera.js opens them with
// the environment `env` (its own key ring, not loaded, so a command creates no key it was not asked for) on one
// store with one fixed clock. test/keys/cli.test.ts keeps what needs processes: the service's startup on an
// encrypted store, and processes racing to rotate.

const kek = Buffer.alloc(32, 7).toString('base64');
const otherKek = Buffer.alloc(32, 9).toString('base64');

async function store() {
  const shared = { store: await sqliteMemoryStore(), clock: fixedClock(), ids: seqIds() };
  const tessera = async (env: Record<string, string>, ...args: string[]) => cli(await makeDeps({ ...shared, env, refreshKeys: false }), args);
  return { ...shared, tessera };
}

type KeyView = { kid: string; alg: string; state: string; activates_at: string };

describe('tessera keys', () => {
  it('lists, rotates with pre-publication, and says so when --now skips it', async () => {
    const { tessera, clock } = await store();
    const listKeys = async (): Promise<KeyView[]> => {
      const result = await tessera({}, 'keys', 'list', '--json');
      expect(result).toMatchObject({ code: 0, stderr: '' });
      return JSON.parse(result.stdout).keys;
    };
    // A listing writes nothing: on a fresh store it creates no key.
    expect(await listKeys()).toEqual([]);
    const rotated = await tessera({}, 'keys', 'rotate', '--now', '--json');
    expect(rotated).toMatchObject({ code: 0, stderr: '' });
    const first: KeyView = JSON.parse(rotated.stdout).key;
    expect(first).toMatchObject({ alg: 'RS256', state: 'active', activates_at: clock.now().toISOString() });

    const planned = await tessera({}, 'keys', 'rotate', '--json');
    expect(planned.code).toBe(0);
    const next = JSON.parse(planned.stdout).key;
    expect(next).toMatchObject({ state: 'next', pre_published: true, pre_publish_seconds: 330 });
    expect(Date.parse(next.activates_at) - clock.now().getTime()).toBe(330_000);

    const emergency = await tessera({}, 'keys', 'rotate', '--now');
    expect(emergency.code).toBe(0);
    expect(emergency.stderr).toBe('');
    expect(emergency.stdout).toMatch(/^new signing key [\w-]{43} \(RS256\)\nit signs now: pre-publication was skipped \(--now\)\.\n/);

    const keys = await listKeys();
    expect(keys.map((k) => k.state)).toEqual(['active', 'retired']);
    expect(keys[1]!.kid).toBe(first.kid);
    const text = await tessera({}, 'keys', 'list');
    expect(text.stdout.split('\n')[0]).toMatch(/^KID\s+ALG\s+STATE\s+ACTIVATES_AT\s+CREATED_AT$/);

    const usage = await tessera({}, 'keys', 'rotate', 'now');
    expect(usage).toEqual({ code: 2, stdout: '', stderr: 'tessera: unexpected argument "now"; see tessera keys rotate --help\n' });
  });

  it('encrypts a store kept in clear; afterwards a missing or wrong key is one clear error', async () => {
    const { tessera, store: kept } = await store();
    expect((await tessera({}, 'keys', 'rotate', '--now')).code).toBe(0);
    expect((await tessera({}, 'keys', 'rotate')).code).toBe(0);

    const withoutKey = await tessera({}, 'keys', 'encrypt');
    expect(withoutKey).toEqual({
      code: 1,
      stdout: '',
      stderr: 'tessera: KEY_ENCRYPTION_KEY is not set: it is the key the private signing keys are encrypted with\n',
    });

    const sealed = await tessera({ KEY_ENCRYPTION_KEY: kek }, 'keys', 'encrypt');
    expect(sealed).toEqual({ code: 0, stdout: 'encrypted 2 signing keys with KEY_ENCRYPTION_KEY (0 already encrypted)\n', stderr: '' });
    const kids = (await kept.listSigningKeys()).map((k) => k.kid);
    const again = await tessera({ KEY_ENCRYPTION_KEY: kek }, 'keys', 'encrypt', '--json');
    expect(JSON.parse(again.stdout)).toEqual({ encrypted: [], already_encrypted: kids });
    expect(kids).toHaveLength(2);
    expect(await tessera({ KEY_ENCRYPTION_KEY: kek }, 'keys', 'encrypt')).toEqual({
      code: 0,
      stdout: 'nothing to do: 2 signing keys, all already encrypted\n',
      stderr: '',
    });

    const missing = await tessera({}, 'keys', 'list');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(
      /^tessera: the signing keys in the store are encrypted \(key [\w-]{43}\): set KEY_ENCRYPTION_KEY to the key they were encrypted with\n$/,
    );
    expect(await tessera({ KEY_ENCRYPTION_KEY: otherKek }, 'keys', 'list')).toEqual({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(
        /^tessera: KEY_ENCRYPTION_KEY does not decrypt signing key [\w-]{43}: it is not the key the signing keys were encrypted with\n$/,
      ),
    });
    expect((await tessera({ KEY_ENCRYPTION_KEY: kek }, 'keys', 'list')).code).toBe(0);
  });
});
