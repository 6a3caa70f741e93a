import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { makeDeps } from '../helpers/deps.js';
import { freePort } from '../helpers/process.js';
import { fakeUpstream, upstreamClient } from '../helpers/upstream.js';
import { addFamily, family } from '../store/fixtures.js';

// The CLI in this process (test/helpers/cli.ts) on a fresh store with a fixed clock; the upstream providers it
// discovers are real HTTP servers on loopback. test/cli/smoke.test.ts runs the real binary.

const kek = Buffer.alloc(32, 9).toString('base64');

async function setup(env: Record<string, string> = {}) {
  const deps = await makeDeps({ env: { ISSUER: 'https://auth.example.com', ...env } });
  return { deps, tessera: (args: string[], stdin?: string) => cli(deps, args, { stdin }) };
}

describe('tessera providers and users unlink', () => {
  it('adds a provider after discovering it, prints the redirect URI to register, lists and removes it; the secret is sealed and never printed', async () => {
    const { tessera, deps } = await setup({ KEY_ENCRYPTION_KEY: kek });
    const upstream = await fakeUpstream();
    const args = ['providers', 'add', 'idp', '--issuer', upstream.issuer, '--client-id', upstreamClient.id, '--client-secret-stdin', '--name', 'Example ID'];
    const added = await tessera([...args, '--link-by-email', '--json'], `${upstreamClient.secret}\n`);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(added.stdout)).toEqual({
      provider: {
        id: 'idp',
        name: 'Example ID',
        issuer: upstream.issuer,
        client_id: upstreamClient.id,
        scope: 'openid email profile',
        signup: true,
        link_by_email: true,
        allow_token_exchange: false,
        redirect_uri: 'https://auth.example.com/upstream/idp/callback',
        created_at: '2023-11-14T22:13:20.000Z',
      },
    });
    deps.clock.advance(1);
    expect(
      await tessera(['providers', 'add', 'kakao-like', '--issuer', upstream.issuer, '--client-id', 'k', '--client-secret-stdin', '--no-signup'], 'k-secret'),
    ).toEqual({
      code: 0,
      stdout: `added provider kakao-like (Kakao-like, ${upstream.issuer})\nregister this redirect URI at the provider: https://auth.example.com/upstream/kakao-like/callback\n`,
      stderr: '',
    });

    const list = await tessera(['providers', 'list']);
    const [header, ...rows] = list.stdout.trimEnd().split('\n');
    expect(header!.split(/\s{2,}/)).toEqual(['ID', 'NAME', 'ISSUER', 'CLIENT_ID', 'SIGNUP', 'LINK_BY_EMAIL', 'REDIRECT_URI']);
    expect(rows.map((r) => r.split(/\s{2,}/))).toEqual([
      ['idp', 'Example ID', upstream.issuer, upstreamClient.id, 'yes', 'yes', 'https://auth.example.com/upstream/idp/callback'],
      ['kakao-like', 'Kakao-like', upstream.issuer, 'k', 'no', 'no', 'https://auth.example.com/upstream/kakao-like/callback'],
    ]);
    const everything = [added.stdout, list.stdout, (await tessera(['providers', 'list', '--json'])).stdout, (await tessera(['audit', '--json'])).stdout].join(
      '\n',
    );
    expect(everything).not.toContain(upstreamClient.secret);
    expect((await deps.store.findProvider('idp'))!.clientSecret).toMatch(/^v1\./);

    deps.clock.advance(1);
    expect(await tessera(['providers', 'remove', 'kakao-like'])).toEqual({
      code: 0,
      stdout: 'removed provider kakao-like; 0 identities unlinked\n',
      stderr: '',
    });
    expect(await tessera(['providers', 'remove', 'kakao-like'])).toEqual({ code: 1, stdout: '', stderr: 'tessera: no provider "kakao-like"\n' });
    const types = JSON.parse((await tessera(['audit', '--json'])).stdout).events.map((e: { type: string }) => e.type);
    expect(types).toEqual(['provider.removed', 'provider.added', 'provider.added']);
  });

  it('refuses with one line an issuer that is down, one without OpenID metadata, a secret not on stdin, and a taken id', async () => {
    const { tessera } = await setup();
    const upstream = await fakeUpstream();
    const add = (issuer: string, ...more: string[]) => tessera(['providers', 'add', 'idp', '--issuer', issuer, '--client-id', 'c', ...more], 's');
    expect(await add(`${upstream.issuer}/elsewhere`, '--client-secret-stdin')).toEqual({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/^tessera: http:\/\/127\.0\.0\.1:\d+\/elsewhere did not answer with valid OpenID provider metadata \(.+\)\n$/),
    });
    expect(await add(upstream.issuer)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'tessera: --client-secret-stdin is required: secrets are never taken as arguments\n',
    });
    expect((await add(upstream.issuer, '--client-secret-stdin')).code).toBe(0);
    expect(await add(upstream.issuer, '--client-secret-stdin')).toEqual({ code: 1, stdout: '', stderr: 'tessera: provider "idp" already exists\n' });
    // A port nothing listens on. (Not the closed upstream's: this process's fetch may still hold a connection to it,
    // which a new tessera process would not have, and which fails with "other side closed" instead.)
    const down = `http://127.0.0.1:${await freePort()}`;
    expect(await tessera(['providers', 'add', 'other', '--issuer', down, '--client-id', 'c', '--client-secret-stdin'], 's')).toEqual({
      code: 2,
      stdout: '',
      stderr: `tessera: ${down} cannot be reached (ECONNREFUSED)\n`,
    });
  });

  it('users show lists the identities of a user, families list names the provider of a session, and users unlink removes one', async () => {
    const { tessera, deps } = await setup();
    const { store } = deps;
    const created = JSON.parse((await tessera(['users', 'create', 'alice', '--json'])).stdout);
    await store.insertIdentity({
      providerId: 'google',
      subject: '1234567890',
      userId: created.user.id,
      email: 'alice@gmail.com',
      emailVerified: true,
      linkedAt: Date.UTC(2026, 0, 2),
    });

    expect((await tessera(['users', 'show', 'alice'])).stdout).toMatch(
      /\nidentity +google 1234567890 \(alice@gmail\.com\), linked 2026-01-02T00:00:00\.000Z\ntotp +off\n/,
    );
    expect(JSON.parse((await tessera(['users', 'show', 'alice', '--json'])).stdout).identities).toEqual([
      { provider: 'google', subject: '1234567890', email: 'alice@gmail.com', linked_at: '2026-01-02T00:00:00.000Z' },
    ]);
    const now = deps.clock.now().getTime();
    await addFamily(store, family({ userId: created.user.id, provider: 'google', createdAt: now, lastUsedAt: now, expiresAt: now + 60_000 }));
    expect((await tessera(['families', 'list', '--user', 'alice'])).stdout).toMatch(/\n {2}via: google {2}ip: 127\.0\.0\.1 {2}user agent: vitest\n$/);
    expect(JSON.parse((await tessera(['families', 'list', '--user', 'alice', '--json'])).stdout).families).toMatchObject([
      { id: 'fam_1', provider: 'google', status: 'active' },
    ]);
    expect(await tessera(['users', 'unlink', 'alice', '--provider', 'google'])).toEqual({
      code: 0,
      stdout: 'unlinked alice from provider google\n',
      stderr: '',
    });
    expect(await tessera(['users', 'unlink', 'alice', '--provider', 'google'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'tessera: the user has no identity at provider "google"\n',
    });
    expect(await tessera(['users', 'unlink', 'alice'])).toEqual({ code: 2, stdout: '', stderr: 'tessera: --provider is required\n' });
    expect(await store.listIdentities(created.user.id)).toEqual([]);
  });
});
