import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { clientKey, jwksOf } from '../helpers/client-keys.js';
import { makeDeps, tempDir } from '../helpers/deps.js';

// `tessera clients create|update` with keys (private_key_jwt), --require-par and --profile fapi2.

async function store() {
  const deps = await makeDeps();
  return (args: string[]) => cli(deps, args);
}

describe('tessera clients with keys', () => {
  it('registers a fapi2 client from a JWKS file, prints no secret, and shows how it authenticates', async () => {
    const tessera = await store();
    const file = join(tempDir(), 'jwks.json');
    writeFileSync(file, jwksOf(await clientKey('k1')));
    const args = [
      'clients',
      'create',
      'bank',
      '--grants',
      'authorization_code',
      '--redirect-uri',
      'https://bank.example/cb',
      '--jwks',
      file,
      '--profile',
      'fapi2',
    ];
    expect(await tessera(args)).toEqual({ code: 0, stdout: 'created confidential client bank (grants: refresh_token, authorization_code)\n', stderr: '' });
    const shown = await tessera(['clients', 'show', 'bank']);
    expect(shown.stdout).toContain('auth method    private_key_jwt\n');
    expect(shown.stdout).toContain('jwks           1 key(s) inline\n');
    expect(shown.stdout).toContain('require PAR    yes\n');
    expect(shown.stdout).toContain('require DPoP   yes\n');
    expect(shown.stdout).toContain('profile        fapi2\n');
  });

  it('switches a client to a jwks_uri and PAR, and refuses what the profile or the file does not allow, with one line', async () => {
    const tessera = await store();
    await tessera(['clients', 'create', 'partner', '--grants', 'authorization_code', '--redirect-uri', 'https://p.example/cb']);
    const updated = await tessera(['clients', 'update', 'partner', '--jwks-uri', 'https://p.example/jwks.json', '--require-par', '--json']);
    expect(JSON.parse(updated.stdout).client).toMatchObject({
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: 'https://p.example/jwks.json',
      require_pushed_authorization_requests: true,
    });
    expect(await tessera(['clients', 'update', 'partner', '--jwks', join(tempDir(), 'missing.json')])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^tessera: cannot read the JWKS file .*missing\.json\n$/),
    });
    expect(await tessera(['clients', 'update', 'partner', '--require-par', '--no-require-par'])).toMatchObject({
      code: 2,
      stderr: 'tessera: give --require-par or --no-require-par, not both\n',
    });
    expect(await tessera(['clients', 'create', 'app', '--grants', 'password', '--jwks-uri', 'https://a.example/jwks', '--profile', 'fapi2'])).toMatchObject({
      code: 2,
      stderr: 'tessera: the fapi2 profile forbids the password grant\n',
    });
  });
});
