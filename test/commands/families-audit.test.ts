import { describe, expect, it } from 'vitest';
import { randomIds, type Ids } from '../../src/lib/ids.js';
import { cli } from '../helpers/cli.js';
import { makeDeps } from '../helpers/deps.js';
import { loginAlice, passwordGrant } from '../helpers/fixtures.js';
import { form, testServer } from '../helpers/server.js';

// The CLI in this process (test/helpers/cli.ts) on the deps of a test server: logins over HTTP and the commands
// see one store and one fixed clock. test/cli/smoke.test.ts runs the real binary.

const password = 'a long enough password';

/** A test server whose client `web` and user alice the CLI created, as an operator would. */
async function setup(options: { ids?: Ids; client?: string; scope?: string[] } = {}) {
  const server = await testServer({ ids: options.ids });
  const tessera = (...args: string[]) => cli(server.deps, args);
  const client = options.client ?? 'web';
  expect(await tessera('clients', 'create', client, '--public', '--grants', 'password', ...(options.scope ?? ['--scope', 'read']))).toMatchObject({
    code: 0,
    stderr: '',
  });
  expect(await cli(server.deps, ['users', 'create', 'alice', '--password-stdin'], { stdin: `${password}\n` })).toMatchObject({ code: 0, stderr: '' });
  const login = (userAgent: string) => loginAlice(server, { client_id: client, password }, { 'user-agent': userAgent });
  const refresh = (token: string) => server.fetch('/token', form({ grant_type: 'refresh_token', client_id: client, refresh_token: token }));
  return { server, login, refresh, tessera };
}

describe('tessera families', () => {
  it("lists a user's sessions with client, times, status, reason, IP and user agent", async () => {
    const { login, tessera, server } = await setup();
    await login('Firefox/128');
    server.deps.clock.advance(90);
    await login('Safari/17');
    const text = await tessera('families', 'list', '--user', 'alice');
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('');
    const [header, newest, newestDetail, row, detail, ...rest] = text.stdout.trimEnd().split('\n');
    expect(header!.split(/\s+/)).toEqual(['ID', 'CLIENT', 'STATUS', 'CREATED', 'LAST_USED', 'EXPIRES']);
    // The clock starts at 2023-11-14T22:13:20Z; a session lasts 30 days. Newest first, times to the minute.
    expect(newest!.split(/\s{2,}/)).toEqual(['fam_2', 'web', 'active', '2023-11-14 22:14Z', '2023-11-14 22:14Z', '2023-12-14 22:14Z']);
    expect(newestDetail).toBe('  ip: 127.0.0.1  user agent: Safari/17');
    expect(row!.split(/\s{2,}/)).toEqual(['fam_1', 'web', 'active', '2023-11-14 22:13Z', '2023-11-14 22:13Z', '2023-12-14 22:13Z']);
    expect(detail).toBe('  ip: 127.0.0.1  user agent: Firefox/128');
    expect(rest).toEqual([]);

    const json = await tessera('families', 'list', '--user', 'ALICE', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      families: [
        expect.objectContaining({ id: 'fam_2', user_agent: 'Safari/17' }),
        expect.objectContaining({
          id: 'fam_1',
          client_id: 'web',
          status: 'active',
          created_at: '2023-11-14T22:13:20.000Z',
          revoke_reason: null,
          ip: '127.0.0.1',
          user_agent: 'Firefox/128',
        }),
      ],
      next_cursor: null,
    });
  });

  it('fits 120 columns, keeping the family id whole and cutting what is too long to fit', async () => {
    // Real ids (40 characters), as production makes them.
    const client = 'quarterly-reporting-dashboard';
    const { server, tessera } = await setup({ ids: randomIds, client, scope: [] });
    const browser = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
    const res = await passwordGrant(server, { client_id: client, password }, { 'user-agent': browser });
    expect(res.status).toBe(200);
    const [family] = JSON.parse((await tessera('families', 'list', '--user', 'alice', '--json')).stdout).families;
    expect(family.id).toHaveLength(40);
    expect((await tessera('families', 'revoke', family.id, '--reason', 'reported stolen by the user on the phone')).code).toBe(0);

    const { stdout } = await tessera('families', 'list', '--user', 'alice');
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(120);
    expect(lines[1]).toMatch(new RegExp(`^${family.id}  quarterly-r…  revoked  `));
    // biome-ignore lint/complexity/noAdjacentSpacesInRegex: two spaces separate the CLI's columns, as the output shows them
    expect(lines[2]).toMatch(/^  reason: reported stolen by the user on the phone  ip: 127\.0\.0\.1  user agent: Mozilla\/5\.0 .*…$/);
  });

  it('revokes one family with a reason: its refresh token is refused right after', async () => {
    const { login, refresh, tessera } = await setup();
    const doomed = await login('Phone/1');
    const kept = await login('Laptop/1');
    const result = await tessera('families', 'revoke', 'fam_1', '--reason', 'lost phone');
    expect(result).toEqual({ code: 0, stdout: 'revoked fam_1\n', stderr: '' });
    expect(await (await refresh(doomed.refresh_token)).json()).toEqual({ error: 'invalid_grant', error_description: 'refresh token has been revoked' });
    expect((await refresh(kept.refresh_token)).status).toBe(200);

    const listed = JSON.parse((await tessera('families', 'list', '--user', 'alice', '--json')).stdout);
    expect(listed.families.find((f: { id: string }) => f.id === 'fam_1')).toMatchObject({ status: 'revoked', revoke_reason: 'lost phone' });
    const again = await tessera('families', 'revoke', 'fam_1', '--json');
    expect(JSON.parse(again.stdout)).toEqual({ family_id: 'fam_1', revoked: false });
  });

  it('logs a user out everywhere with --user', async () => {
    const { login, refresh, tessera } = await setup();
    const sessions = [await login('A/1'), await login('B/1')];
    const result = await tessera('families', 'revoke', '--user', 'alice', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ user_id: expect.stringMatching(/^usr_/), revoked: ['fam_1', 'fam_2'] });
    for (const s of sessions) expect((await refresh(s.refresh_token)).status).toBe(400);
    expect((await tessera('families', 'revoke', '--user', 'alice')).stdout).toBe('revoked 0 session(s) of alice\n');
  });

  it('exits non-zero with one clear line on bad use', async () => {
    const { tessera } = await setup();
    expect(await tessera('families', 'list')).toEqual({ code: 2, stdout: '', stderr: 'tessera: --user NAME is required\n' });
    expect(await tessera('families', 'list', '--user', 'nobody')).toEqual({ code: 1, stdout: '', stderr: 'tessera: no user "nobody"\n' });
    expect(await tessera('families', 'revoke')).toEqual({ code: 2, stdout: '', stderr: 'tessera: missing FAMILY_ID (or --user NAME)\n' });
    expect(await tessera('families', 'revoke', 'fam_1', '--user', 'alice')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'tessera: give FAMILY_ID or --user NAME, not both\n',
    });
    expect(await tessera('families', 'revoke', 'fam_404')).toEqual({ code: 1, stdout: '', stderr: 'tessera: no family "fam_404"\n' });
  });

  it('puts a code in --json errors, as the admin API does, and the line a person reads beside it', async () => {
    const { tessera } = await setup();
    const jsonError = async (...args: string[]) => {
      const result = await tessera(...args, '--json');
      return { code: result.code, stdout: result.stdout, stderr: JSON.parse(result.stderr) };
    };
    expect(await jsonError('families', 'revoke', 'fam_404')).toEqual({ code: 1, stdout: '', stderr: { error: 'not_found', message: 'no family "fam_404"' } });
    expect(await jsonError('families', 'list', '--user', 'alice', '--limit', '0')).toEqual({
      code: 2,
      stdout: '',
      stderr: { error: 'invalid_request', message: 'limit must be a whole number from 1 to 500' },
    });
    expect(await jsonError('families', 'revoke')).toEqual({
      code: 2,
      stdout: '',
      stderr: { error: 'invalid_request', message: 'missing FAMILY_ID (or --user NAME)' },
    });
    expect(await jsonError('families', 'list', '--user', 'alice', '--bogus')).toEqual({
      code: 2,
      stdout: '',
      stderr: { error: 'invalid_request', message: 'unknown option --bogus; see tessera families list --help' },
    });
    expect(await jsonError('users', 'create', 'alice')).toMatchObject({ code: 1, stderr: { error: 'conflict' } });
  });

  it('refuses a bad limit', async () => {
    const { tessera } = await setup();
    expect(await tessera('families', 'list', '--user', 'alice', '--limit', '0')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'tessera: limit must be a whole number from 1 to 500\n',
    });
  });
});

describe('tessera audit', () => {
  it('shows the events with actor, IP and details, filtered by user, type and time', async () => {
    const { login, server, tessera } = await setup();
    await passwordGrant(server, { client_id: 'web', password: 'not the password' });
    await login('Firefox/128');
    expect((await tessera('families', 'revoke', 'fam_1', '--reason', 'suspicious')).code).toBe(0);

    const all = await tessera('audit', '--json');
    expect(all.code).toBe(0);
    const { events, next_cursor } = JSON.parse(all.stdout);
    expect(next_cursor).toBeNull();
    // The clock stands still, so the order of these events is their ids' (a detail): compare as a set.
    const byType = new Map(events.map((e: { type: string }) => [e.type, e]));
    expect(events).toHaveLength(5);
    expect([...byType.keys()].sort()).toEqual(['client.created', 'family.revoked', 'login.failed', 'login.succeeded', 'user.created']);
    expect(byType.get('family.revoked')).toMatchObject({ actor: 'cli', family_id: 'fam_1', details: { reason: 'suspicious' } });
    expect(byType.get('login.failed')).toMatchObject({ actor: 'client:web', ip: '127.0.0.1', details: { reason: 'wrong_password' } });
    expect(all.stdout).not.toContain('not the password');

    const text = await tessera('audit', '--user', 'alice', '--type', 'login.failed');
    const [header, row, ...rest] = text.stdout.trimEnd().split('\n');
    expect(header!.split(/\s+/)).toEqual(['AT', 'TYPE', 'ACTOR', 'USER', 'CLIENT', 'FAMILY', 'IP', 'USER_AGENT', 'DETAILS']);
    expect(row).toMatch(/ login\.failed +client:web +usr_\S+ +web +- +127\.0\.0\.1 +\S+ +\{"reason":"wrong_password"\}$/);
    expect(rest).toEqual([]);

    const future = await tessera('audit', '--since', '2999-01-01');
    expect(future).toEqual({ code: 0, stdout: '(none)\n', stderr: '' });
    // --since takes the events from that instant on: the clock's minute keeps them all, the next one none.
    expect(JSON.parse((await tessera('audit', '--since', '2023-11-14T22:13:00Z', '--json')).stdout).events).toHaveLength(5);
    expect((await tessera('audit', '--since', '2023-11-14T22:14:00Z')).stdout).toBe('(none)\n');
  });

  it('exits non-zero with one clear line on a bad --since or an unknown user', async () => {
    const { tessera } = await setup();
    expect(await tessera('audit', '--since', 'last tuesday')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'tessera: since must be an ISO 8601 date or date-time with offset, e.g. 2024-05-01T12:00:00Z\n',
    });
    expect(await tessera('audit', '--user', 'nobody')).toEqual({ code: 1, stdout: '', stderr: 'tessera: no user "nobody"\n' });
  });
});

describe('tessera --help', () => {
  it.each([['families', 'list'], ['families', 'revoke'], ['audit']])('tessera %s %s --help prints the usage and exits 0', async (...words) => {
    const args = words.filter((w): w is string => typeof w === 'string');
    const result = await cli(await makeDeps(), [...args, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^usage: tessera ${args.join(' ')}`));
    expect(result.stdout).toContain('--json');
  });
});
