import { describe, expect, it } from 'vitest';
import { adminSetup, cli } from '../admin/setup.js';

// Issue 24 item 5: every text an operator stores is refused when it holds a control character (NUL
// among them, which PostgreSQL refuses and SQLite keeps) or a lone UTF-16 surrogate (which no
// encoding stores, so the row could never be found again), through the admin API and the CLI alike.

const password = 'a long enough password';
const controls: [string, string][] = [
  ['a NUL', '\u0000'],
  ['a lone surrogate', '\ud800'],
  ['a control character', '\u0007'],
];
const textRule = (field: string, bad: string) => (bad === '\ud800' ? `${field} must be well-formed Unicode` : `${field} must not contain control characters`);

// Each: what holds the bad character x, the admin request, the CLI line (and its stdin), and the one answer both give.
// `api` is null where a URL cannot carry the character (a lone surrogate has no UTF-8 to percent-encode).
type Case = [string, (x: string) => { api: [string, string, unknown] | null; argv: string[]; stdin?: string; rule: string }];
const cases: Case[] = [
  [
    'a username',
    (x) => ({
      api: ['POST', '/admin/users', { username: `eve${x}`, password }],
      argv: ['users', 'create', `eve${x}`, '--password-stdin'],
      stdin: password,
      rule: textRule('username', x),
    }),
  ],
  [
    'an e-mail address',
    (x) => ({
      api: ['POST', '/admin/users', { username: 'eve', password, email: `eve${x}@example.com` }],
      argv: ['users', 'create', 'eve', '--password-stdin', '--email', `eve${x}@example.com`],
      stdin: password,
      rule: textRule('email', x),
    }),
  ],
  [
    'a redirect URI',
    (x) => ({
      api: ['POST', '/admin/clients', { id: 'shop', public: true, grants: ['authorization_code'], redirect_uris: [`https://shop.example/cb${x}`] }],
      argv: ['clients', 'create', 'shop', '--public', '--grants', 'authorization_code', '--redirect-uri', `https://shop.example/cb${x}`],
      rule: `redirect URI: ${textRule('redirect URI', x)}`,
    }),
  ],
  [
    'a post-logout redirect URI',
    (x) => ({
      api: [
        'POST',
        '/admin/clients',
        {
          id: 'shop',
          public: true,
          grants: ['authorization_code'],
          redirect_uris: ['https://shop.example/cb'],
          post_logout_redirect_uris: [`https://shop.example/bye${x}`],
        },
      ],
      argv: [
        'clients',
        'create',
        'shop',
        '--public',
        '--grants',
        'authorization_code',
        '--redirect-uri',
        'https://shop.example/cb',
        '--post-logout-redirect-uri',
        `https://shop.example/bye${x}`,
      ],
      rule: `post-logout redirect URI: ${textRule('redirect URI', x)}`,
    }),
  ],
  [
    'an audience',
    (x) => ({
      api: ['POST', '/admin/clients', { id: 'shop', audience: `https://api.example/${x}` }],
      argv: ['clients', 'create', 'shop', '--audience', `https://api.example/${x}`],
      rule: 'audience must be an absolute URI of at most 2000 printable characters',
    }),
  ],
  [
    'a client id',
    (x) => ({
      api: ['POST', '/admin/clients', { id: `shop${x}` }],
      argv: ['clients', 'create', `shop${x}`],
      rule: 'client id must be 1-128 characters of A-Z a-z 0-9 . _ ~ - and start with a letter or digit',
    }),
  ],
  [
    'a scope',
    (x) => ({
      api: ['POST', '/admin/clients', { id: 'shop', scope: `read${x}` }],
      argv: ['clients', 'create', 'shop', '--scope', `read${x}`],
      rule: `invalid scope "read${x}"`,
    }),
  ],
  [
    'a provider name',
    (x) => ({
      api: ['POST', '/admin/providers', { id: 'corp', issuer: 'https://id.example', client_id: 'tessera', client_secret: 's3cret', name: `Corp${x}` }],
      argv: ['providers', 'add', 'corp', '--issuer', 'https://id.example', '--client-id', 'tessera', '--client-secret-stdin', '--name', `Corp${x}`],
      stdin: 's3cret',
      rule: 'name must be 1-60 printable characters',
    }),
  ],
  [
    'a provider client id',
    (x) => ({
      api: ['POST', '/admin/providers', { id: 'corp', issuer: 'https://id.example', client_id: `tessera${x}`, client_secret: 's3cret' }],
      argv: ['providers', 'add', 'corp', '--issuer', 'https://id.example', '--client-id', `tessera${x}`, '--client-secret-stdin'],
      stdin: 's3cret',
      rule: 'client id must be 1-512 printable characters',
    }),
  ],
  [
    'a provider issuer',
    (x) => ({
      api: ['POST', '/admin/providers', { id: 'corp', issuer: `https://id.example/${x}`, client_id: 'tessera', client_secret: 's3cret' }],
      argv: ['providers', 'add', 'corp', '--issuer', `https://id.example/${x}`, '--client-id', 'tessera', '--client-secret-stdin'],
      stdin: 's3cret',
      rule: textRule('issuer', x),
    }),
  ],
  [
    'a provider id',
    (x) => ({
      api: ['POST', '/admin/providers', { id: `corp${x}`, issuer: 'https://id.example', client_id: 'tessera', client_secret: 's3cret' }],
      argv: ['providers', 'add', `corp${x}`, '--issuer', 'https://id.example', '--client-id', 'tessera', '--client-secret-stdin'],
      stdin: 's3cret',
      rule: 'provider id must be 1-32 lowercase letters, digits, "-" or "_" (it names the redirect URI)',
    }),
  ],
  [
    'a revocation reason',
    (x) => ({
      api: x === '\ud800' ? null : ['DELETE', `/admin/families/fam_1?reason=${encodeURIComponent(`stolen${x}`)}`, undefined],
      argv: ['families', 'revoke', 'fam_1', '--reason', `stolen${x}`],
      rule: 'reason must be at most 200 printable characters',
    }),
  ],
];

const table = cases.flatMap(([what, make]) => controls.map(([how, x]) => [`${what} with ${how}`, make(x)] as const));

describe('stored text, through the admin API and the CLI', () => {
  it.each(table)('refuses %s with invalid_request in both, and stores nothing', async (_, c) => {
    const { admin, login, deps } = await adminSetup();
    await login();
    const snapshot = async () => ({
      audit: await deps.store.listAuditEvents({ limit: 100 }),
      users: await deps.store.listUsers({ limit: 100 }),
      clients: await deps.store.listClients(),
      providers: await deps.store.listProviders(),
      family: await deps.store.findFamily('fam_1'),
    });
    const before = await snapshot();

    if (c.api) {
      const [method, path, body] = c.api;
      const res = await admin(method, path, { body });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'invalid_request', error_description: c.rule });
    }

    const line = await cli(deps, c.argv, { stdin: c.stdin });
    expect(line).toEqual({ code: 2, stdout: '', stderr: `tessera: ${c.rule}\n` });

    expect(await snapshot()).toEqual(before);
  });
});
