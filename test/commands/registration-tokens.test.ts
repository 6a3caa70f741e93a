import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { makeDeps } from '../helpers/deps.js';

// `tessera registration-token …` in this process, on a fresh store with a fixed clock (2023-11-14T22:13:20Z).

describe('tessera registration-token', () => {
  it('makes a token printed once, lists it without the token, revokes it, and audits both', async () => {
    const deps = await makeDeps();
    const made = await cli(deps, ['registration-token', 'create', '--expires-in', '3600', '--uses', '5']);
    expect(made.code).toBe(0);
    const [first, second] = made.stdout.trim().split('\n');
    expect(first).toBe('created registration token rgt_1 (until 2023-11-14T23:13:20.000Z, 5 use(s))');
    const token = /: ([A-Za-z0-9_-]{43})$/.exec(second!)![1]!;

    const listed = await cli(deps, ['registration-token', 'list']);
    expect(listed.stdout).toBe(
      [
        'ID     STATUS  USES  CREATED_AT                EXPIRES_AT                REVOKED_AT',
        'rgt_1  active  0/5   2023-11-14T22:13:20.000Z  2023-11-14T23:13:20.000Z  -',
        '',
      ].join('\n'),
    );
    expect(listed.stdout).not.toContain(token);

    expect(await cli(deps, ['registration-token', 'revoke', 'rgt_1', '--json'])).toEqual({
      code: 0,
      stdout: '{\n  "id": "rgt_1",\n  "revoked": true\n}\n',
      stderr: '',
    });
    expect((await cli(deps, ['registration-token', 'revoke', 'rgt_1'])).code).toBe(1);
    const types = (await deps.store.listAuditEvents({ limit: 10 })).items.map((e) => [e.type, e.actor]);
    expect(types).toEqual([
      ['registration_token.revoked', 'cli'],
      ['registration_token.created', 'cli'],
    ]);
  });

  it('refuses bounds that are not whole numbers in range, before making anything', async () => {
    const deps = await makeDeps();
    for (const args of [
      ['--uses', 'many'],
      ['--expires-in', '-5'],
      ['--uses', '0'],
      ['--expires-in', '999999999'],
    ]) {
      const out = await cli(deps, ['registration-token', 'create', ...args]);
      expect(out.code, args.join(' ')).toBe(2);
      expect(out.stderr).toMatch(/^tessera: /);
    }
    expect(await deps.store.listRegistrationTokens()).toEqual([]);
  });
});
