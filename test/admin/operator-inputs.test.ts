import { describe, expect, it } from 'vitest';
import { adminSetup, cli } from './setup.js';

const limitRule = 'limit must be a whole number from 1 to 500';
const reasonRule = 'reason must be at most 200 printable characters';
const sinceRule = 'since must be an ISO 8601 date or date-time with offset, e.g. 2024-05-01T12:00:00Z';

// Each: what is wrong, the admin request that carries it, the CLI line that carries it, and the one answer both give.
const cases: [string, (ids: { user: string }) => string, string[], unknown][] = [
  ['a limit of 0', ({ user }) => `GET /admin/users/${user}/families?limit=0`, ['families', 'list', '--user', 'alice', '--limit', '0'], limitRule],
  ['a limit above 500', () => 'GET /admin/users?limit=501', ['users', 'list', '--limit', '501'], limitRule],
  ['a limit in words', () => 'GET /admin/audit?limit=ten', ['audit', '--limit', 'ten'], limitRule],
  ['a cursor this service did not issue', () => 'GET /admin/audit?cursor=bm9wZQ', ['audit', '--cursor', 'bm9wZQ'], 'cursor is not one this service issued'],
  ['a since that is not ISO 8601', () => 'GET /admin/audit?since=last%20tuesday', ['audit', '--since', 'last tuesday'], sinceRule],
  ['a since without an offset', () => 'GET /admin/audit?since=2024-05-01T12:00', ['audit', '--since', '2024-05-01T12:00'], sinceRule],
  [
    'an unknown event type',
    () => 'GET /admin/audit?type=login.maybe',
    ['audit', '--type', 'login.maybe'],
    expect.stringMatching(/^type must be one of login\.succeeded, /),
  ],
  [
    'a reason with a line break',
    () => 'DELETE /admin/families/fam_1?reason=stolen%0Alaptop',
    ['families', 'revoke', 'fam_1', '--reason', 'stolen\nlaptop'],
    reasonRule,
  ],
  ['a reason with an escape', () => 'DELETE /admin/families/fam_1?reason=%1B%5B2J', ['families', 'revoke', 'fam_1', '--reason', '\u001b[2J'], reasonRule],
  [
    'a reason of 201 characters',
    ({ user }) => `DELETE /admin/users/${user}/families?reason=${'r'.repeat(201)}`,
    ['families', 'revoke', '--user', 'alice', '--reason', 'r'.repeat(201)],
    reasonRule,
  ],
];

describe('operator input, through the admin API and the CLI', () => {
  it.each(cases)('refuses %s the same way in both, and changes nothing', async (_what, request, argv, rule) => {
    const { admin, login, alice, deps } = await adminSetup();
    await login();
    const before = await deps.store.listAuditEvents({ limit: 100 });

    const [method, path] = request({ user: alice.id }).split(' ') as [string, string];
    const res = await admin(method, path);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: rule });

    const line = await cli(deps, argv);
    expect(line).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^tessera: [^\n]+\n$/) });
    expect(line.stderr.slice('tessera: '.length, -1)).toEqual(rule);

    expect(await deps.store.listAuditEvents({ limit: 100 })).toEqual(before);
    expect((await deps.store.findFamily('fam_1'))?.revokedAt).toBeNull();
  });

  it('accepts the same good values in both', async () => {
    const { admin, login, alice, deps } = await adminSetup();
    await login();
    await login();
    const api = await admin('DELETE', '/admin/families/fam_1?reason=stolen%20laptop');
    expect(await api.json()).toEqual({ id: 'fam_1', deleted: true, revoked_families: 1, unlinked_identities: 0 });
    expect(await cli(deps, ['families', 'revoke', 'fam_2', '--reason', 'stolen laptop'])).toEqual({ code: 0, stdout: 'revoked fam_2\n', stderr: '' });
    const reasons = (await deps.store.listFamilies({ userId: alice.id, limit: 10 })).items.map((f) => [f.id, f.revokeReason]);
    expect(reasons.sort()).toEqual([
      ['fam_1', 'stolen laptop'],
      ['fam_2', 'stolen laptop'],
    ]);

    const since = '2023-11-14';
    const fromApi = await (await admin('GET', `/admin/audit?since=${since}&type=family.revoked&limit=1`)).json();
    const fromCli = JSON.parse((await cli(deps, ['audit', '--since', since, '--type', 'family.revoked', '--limit', '1', '--json'])).stdout);
    expect(fromCli).toEqual(fromApi);
    expect(fromApi.events).toHaveLength(1);
    expect(fromApi.next_cursor).toEqual(expect.any(String));
  });

  it('answers an unknown user with not_found: 404 from the API, one line and exit code 1 from the CLI', async () => {
    const { admin, deps } = await adminSetup();
    const res = await admin('GET', '/admin/users/usr_nobody');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found', error_description: 'no user "usr_nobody"' });
    expect(await cli(deps, ['users', 'show', 'nobody'])).toEqual({ code: 1, stdout: '', stderr: 'tessera: no user "nobody"\n' });
    expect(await cli(deps, ['users', 'show', 'nobody', '--json'])).toEqual({
      code: 1,
      stdout: '',
      stderr: '{"error":"not_found","message":"no user \\"nobody\\""}\n',
    });
  });

  it('answers a taken name with conflict: 409 from the API, one line and exit code 1 from the CLI', async () => {
    const { admin, deps } = await adminSetup();
    const res = await admin('POST', '/admin/clients', { body: { id: 'web-app', public: true, grants: ['password'] } });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: 'conflict', error_description: 'client "web-app" already exists' });
    expect(await cli(deps, ['clients', 'create', 'web-app', '--public', '--grants', 'password'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'tessera: client "web-app" already exists\n',
    });
  });
});
