import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { makeDeps } from '../helpers/deps.js';

// The CLI in this process (test/helpers/cli.ts), each test on a fresh store with a fixed clock (2023-11-14T22:13:20Z).
// test/cli/smoke.test.ts runs the real binary.

async function store() {
  const deps = await makeDeps();
  return (args: string[], stdin?: string) => cli(deps, args, { stdin });
}

describe('tessera users and clients', () => {
  it('creates, re-passwords and disables a user, writing an audit event for each', async () => {
    const tessera = await store();
    const created = await tessera(['users', 'create', 'alice', '--scope', 'read write', '--json']);
    expect(created.code).toBe(0);
    const { user, password } = JSON.parse(created.stdout);
    expect(user).toMatchObject({ username: 'alice', scope: 'read write', disabled_at: null });
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect(await tessera(['users', 'set-password', 'alice', '--password-stdin'], 'a new long password\n')).toEqual({
      code: 0,
      stdout: 'password changed for alice; 0 session(s) revoked\n',
      stderr: '',
    });
    expect(await tessera(['users', 'set-password', 'alice'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'tessera: --password-stdin is required: passwords are never taken as arguments\n',
    });
    expect(await tessera(['users', 'disable', 'alice'])).toEqual({ code: 0, stdout: 'disabled alice; 0 session(s) revoked\n', stderr: '' });

    const audit = JSON.parse((await tessera(['audit', '--user', 'alice', '--json'])).stdout);
    expect(audit.events.map((e: { type: string }) => e.type).sort()).toEqual(['user.created', 'user.disabled', 'user.password_changed']);
    expect(audit.events.every((e: { actor: string }) => e.actor === 'cli')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain('a new long password');
  });

  it('lists, shows, enables and deletes users by name', async () => {
    const tessera = await store();
    expect((await tessera(['users', 'create', 'alice', '--scope', 'read'])).code).toBe(0);
    expect((await tessera(['users', 'create', 'bob'])).code).toBe(0);

    const list = await tessera(['users', 'list']);
    expect(list.code).toBe(0);
    const [header, ...rows] = list.stdout.trimEnd().split('\n');
    expect(header!.split(/\s+/)).toEqual(['ID', 'USERNAME', 'STATUS', 'SCOPE', 'CREATED']);
    expect(rows.map((r) => r.split(/\s+/).slice(1, 4)).sort()).toEqual([
      ['alice', 'active', 'read'],
      ['bob', 'active', '-'],
    ]);

    const shown = JSON.parse((await tessera(['users', 'show', 'ALICE', '--json'])).stdout);
    expect(shown.user).toMatchObject({ username: 'alice', scope: 'read', disabled_at: null });
    expect((await tessera(['users', 'show', 'alice'])).stdout).toMatch(new RegExp(`^id +${shown.user.id}\nusername +alice\nscope +read\nemail +-\n`));

    expect((await tessera(['users', 'disable', 'alice'])).code).toBe(0);
    expect(
      JSON.parse((await tessera(['users', 'list', '--json'])).stdout).users.find((u: { username: string }) => u.username === 'alice').disabled_at,
    ).not.toBeNull();
    expect(await tessera(['users', 'enable', 'alice'])).toEqual({ code: 0, stdout: 'enabled alice\n', stderr: '' });
    expect(await tessera(['users', 'enable', 'alice'])).toEqual({ code: 0, stdout: 'alice was not disabled\n', stderr: '' });

    expect(await tessera(['users', 'delete', 'bob'])).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^deleted bob \(usr_\S+\); 0 session\(s\) revoked\n$/),
      stderr: '',
    });
    expect(await tessera(['users', 'show', 'bob'])).toEqual({ code: 1, stdout: '', stderr: 'tessera: no user "bob"\n' });
    const audit = JSON.parse((await tessera(['audit', '--json'])).stdout).events.map((e: { type: string }) => e.type);
    expect(audit).toEqual(expect.arrayContaining(['user.enabled', 'user.deleted']));
  });

  it('creates, lists and deletes clients', async () => {
    const tessera = await store();
    const created = await tessera(['clients', 'create', 'billing', '--scope', 'read']);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(
      /^created confidential client billing \(grants: client_credentials\)\nclient secret: [A-Za-z0-9_-]{43}\nit is shown only now\n$/,
    );

    const list = await tessera(['clients', 'list']);
    expect(list.code).toBe(0);
    const [header, row] = list.stdout.trimEnd().split('\n');
    expect(header!.split(/\s+/)).toEqual([
      'ID',
      'TYPE',
      'GRANTS',
      'SCOPE',
      'AUDIENCE',
      'MAX_SESSIONS',
      'COOKIE',
      'PARTY',
      'BY',
      'REDIRECT_URIS',
      'CREATED',
      'NAME',
    ]);
    expect(row!.split(/\s+/).slice(0, 10)).toEqual(['billing', 'confidential', 'client_credentials', 'read', '-', '-', 'no', 'first', 'operator', '-']);
    expect(list.stdout).not.toContain(created.stdout.split('\n')[1]!.slice('client secret: '.length));

    expect(await tessera(['clients', 'create', 'billing'])).toEqual({ code: 1, stdout: '', stderr: 'tessera: client "billing" already exists\n' });
    expect(await tessera(['clients', 'delete', 'billing'])).toEqual({ code: 0, stdout: 'deleted client billing\n', stderr: '' });
    expect(await tessera(['clients', 'delete', 'billing'])).toEqual({ code: 1, stdout: '', stderr: 'tessera: no client "billing"\n' });
    expect(JSON.parse((await tessera(['clients', 'list', '--json'])).stdout)).toEqual({ clients: [], next_cursor: null });
  });

  it('creates a browser app with repeated --redirect-uri, a third-party app, and a user with an e-mail address', async () => {
    const tessera = await store();
    const spa = await tessera([
      'clients',
      'create',
      'spa',
      '--public',
      '--grants',
      'authorization_code',
      '--scope',
      'read',
      '--redirect-uri',
      'https://spa.example/cb',
      '--redirect-uri',
      'http://127.0.0.1/cb',
      '--post-logout-redirect-uri',
      'https://spa.example/bye',
      '--json',
    ]);
    expect(spa.code).toBe(0);
    expect(JSON.parse(spa.stdout).client).toMatchObject({
      grants: ['refresh_token', 'authorization_code'],
      redirect_uris: ['https://spa.example/cb', 'http://127.0.0.1/cb'],
      post_logout_redirect_uris: ['https://spa.example/bye'],
      third_party: false,
    });
    const partner = await tessera([
      'clients',
      'create',
      'partner',
      '--grants',
      'authorization_code',
      '--redirect-uri',
      'https://partner.example/cb',
      '--third-party',
    ]);
    expect(partner.stdout).toMatch(/^created confidential client partner \(grants: refresh_token, authorization_code\)\n/);
    const list = (await tessera(['clients', 'list'])).stdout.trimEnd().split('\n');
    expect(list[1]!.split(/\s+/).slice(7, 10)).toEqual(['third', 'operator', 'https://partner.example/cb']);

    expect(await tessera(['clients', 'create', 'bad', '--public', '--grants', 'authorization_code'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'tessera: the authorization_code grant needs at least one redirect URI\n',
    });
    expect((await tessera(['clients', 'create', 'bad', '--grants', 'password', '--third-party'])).stderr).toBe(
      'tessera: a third-party client cannot use the password grant\n',
    );
    expect((await tessera(['clients', 'create', 'bad', '--public', '--grants', 'authorization_code', '--redirect-uri', 'javascript:alert(1)'])).code).toBe(2);

    const user = await tessera(['users', 'create', 'alice', '--email', 'alice@example.com', '--email-verified', '--json']);
    expect(JSON.parse(user.stdout).user).toMatchObject({ username: 'alice', email: 'alice@example.com', email_verified: true });
    expect((await tessera(['users', 'create', 'bob', '--email', 'not an address'])).stderr).toBe(
      'tessera: email must look like name@example.com (at most 254 characters)\n',
    );
  });

  it('shows and updates a client, and rotates its secret with an overlap', async () => {
    const tessera = await store();
    expect((await tessera(['clients', 'create', 'billing', '--scope', 'read'])).code).toBe(0);

    expect(await tessera(['clients', 'update', 'billing', '--scope', 'read write', '--max-sessions', '5'])).toEqual({
      code: 0,
      stdout: 'updated client billing\n',
      stderr: '',
    });
    expect((await tessera(['clients', 'update', 'billing', '--max-sessions', 'none', '--audience', 'https://api.example.com'])).code).toBe(0);
    const shown = await tessera(['clients', 'show', 'billing']);
    expect(shown.stdout).toMatch(
      /^id +billing\ntype +confidential\ngrants +client_credentials\nscope +read write\naudience +https:\/\/api\.example\.com\napis +-\ndefault api +\(its audience\)\nmax sessions +no limit\n/,
    );
    // A browser app's redirect URIs are replaced by those given.
    expect((await tessera(['clients', 'create', 'spa', '--public', '--grants', 'authorization_code', '--redirect-uri', 'https://old.example/cb'])).code).toBe(
      0,
    );
    const spa = await tessera([
      'clients',
      'update',
      'spa',
      '--redirect-uri',
      'https://spa.example/cb',
      '--redirect-uri',
      'http://127.0.0.1/cb',
      '--third-party',
      '--json',
    ]);
    expect(JSON.parse(spa.stdout).client).toMatchObject({ redirect_uris: ['https://spa.example/cb', 'http://127.0.0.1/cb'], third_party: true });
    expect((await tessera(['clients', 'show', 'spa'])).stdout).toMatch(
      /\nparty +third \(users are asked for consent\)\nredirect URIs +https:\/\/spa\.example\/cb http:\/\/127\.0\.0\.1\/cb\nlogout URIs +-\n/,
    );
    expect(await tessera(['clients', 'update', 'spa', '--third-party', '--first-party'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'tessera: give --third-party or --first-party, not both\n',
    });
    expect(await tessera(['clients', 'update', 'billing'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'tessera: nothing to change: give at least one setting\n',
    });

    const rotated = await tessera(['clients', 'rotate-secret', 'billing', '--overlap', '3600']);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/^new secret for billing: [A-Za-z0-9_-]{43}\nit is shown only now\nthe old secret works until 2023-11-14T23:13:20\.000Z\n$/);
    expect((await tessera(['clients', 'show', 'billing'])).stdout).toMatch(/\nold secret +accepted until 2023-11-14T23:13:20\.000Z$/m);
    expect(JSON.parse((await tessera(['clients', 'rotate-secret', 'billing', '--json'])).stdout).client.previous_secret_expires_at).toBeNull();
    expect(await tessera(['clients', 'rotate-secret', 'billing', '--overlap', 'an hour'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'tessera: --overlap takes a whole number of seconds\n',
    });

    const events: { type: string; client_id: string | null }[] = JSON.parse((await tessera(['audit', '--json'])).stdout).events;
    const billing = events.filter((e) => e.client_id === 'billing').map((e) => e.type);
    expect(billing.sort()).toEqual(['client.created', 'client.secret_rotated', 'client.secret_rotated', 'client.updated', 'client.updated']);
  });

  it.each([
    ['users', 'list'],
    ['users', 'show'],
    ['users', 'create'],
    ['users', 'set-password'],
    ['users', 'disable'],
    ['users', 'enable'],
    ['users', 'delete'],
    ['clients', 'create'],
    ['clients', 'list'],
    ['clients', 'show'],
    ['clients', 'update'],
    ['clients', 'rotate-secret'],
    ['clients', 'delete'],
    ['clients', 'disable'],
    ['clients', 'enable'],
    ['migrate'],
  ])('tessera %s %s --help prints its usage and exits 0', async (...words) => {
    const args = words.filter((w): w is string => typeof w === 'string');
    const result = await (await store())([...args, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^usage: tessera ${args.join(' ')}`));
  });
});
