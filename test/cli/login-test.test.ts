import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { browser } from '../helpers/authorize.js';
import { onCleanup, tempDir } from '../helpers/deps.js';
import { jsonCli, startService, type ServiceProcess } from '../helpers/process.js';

// `tessera login-test` as the README's browser walk-through runs it: a real process against a real Tessera, the
// browser played by fetch (test/helpers/authorize.ts). It never opens the store: it runs in a folder without one.

const root = fileURLToPath(new URL('../..', import.meta.url));
const password = 'correct horse battery staple';

async function tesseraWithApp(): Promise<ServiceProcess> {
  const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
  const cli = jsonCli(env);
  await cli(['clients', 'create', 'photo-app', '--public', '--grants', 'authorization_code', '--scope', 'read', '--redirect-uri', 'http://127.0.0.1/callback']);
  await cli(['users', 'create', 'alice', '--password-stdin', '--email', 'alice@example.com'], password);
  return startService(env);
}

/** `tessera login-test ARGS` in a folder of its own; `url()` resolves with the authorization URL once it is printed. */
function loginTest(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [join(root, 'bin/tessera.js'), 'login-test', ...args], {
    cwd: tempDir(),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = once(child, 'close');
  onCleanup(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return {
    async url(): Promise<URL> {
      for (let i = 0; i < 200; i++) {
        const line = /^http\S+\/authorize\?\S+$/m.exec(stderr)?.[0];
        if (line) return new URL(line);
        if (child.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no authorization URL printed:\n${stderr}`);
    },
    async result() {
      const [code] = (await closed) as [number | null];
      return { code, stdout, stderr };
    },
  };
}

describe('tessera login-test', { timeout: 60_000 }, () => {
  it('prints the authorization URL, receives the redirect, exchanges the code and prints the tokens', async () => {
    const tessera = await tesseraWithApp();
    const run = loginTest(['--client', 'photo-app', '--scope', 'openid profile email read', '--json'], { ISSUER: tessera.url });
    const url = await run.url();
    expect(url.origin).toBe(tessera.url);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'photo-app',
      redirect_uri: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/callback$/),
      scope: 'openid profile email read',
      code_challenge_method: 'S256',
      state: expect.any(String),
      nonce: expect.any(String),
    });

    // The browser signs alice in and follows the redirect to the loopback listener.
    const b = browser((path, init) => fetch(`${tessera.url}${path}`, init));
    const signedIn = await b.login(await b.get(`${url.pathname}${url.search}`), 'alice', password);
    expect(signedIn.status).toBe(303);
    const landing = await fetch(signedIn.headers.get('location')!);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('Signed in');

    const { code, stdout } = await run.result();
    expect(code).toBe(0);
    const tokens = JSON.parse(stdout);
    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'openid profile email read', refresh_token: expect.any(String), id_token: expect.any(String) });
    const userinfo = await fetch(`${tessera.url}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(await userinfo.json()).toMatchObject({ preferred_username: 'alice', email: 'alice@example.com' });
    expect(await tessera.stop()).toBe(0);
  });

  it('refuses a redirect that does not answer its own request (another state), exchanging nothing', async () => {
    const tessera = await tesseraWithApp();
    const run = loginTest(['--client', 'photo-app', '--scope', 'read'], { ISSUER: tessera.url });
    const redirect = new URL((await run.url()).searchParams.get('redirect_uri')!);
    redirect.search = new URLSearchParams({ code: 'forged', state: 'not-the-one-sent', iss: tessera.url }).toString();
    expect((await fetch(redirect)).status).toBe(400);
    expect(await run.result()).toEqual({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/\ntessera: refused the redirect to the callback: its state is not the one sent: it does not answer this sign-in\n$/),
    });
    expect(await tessera.stop()).toBe(0);
  });

  it('says where it looked when no Tessera answers there', async () => {
    const run = loginTest(['--client', 'photo-app', '--issuer', 'http://127.0.0.1:9'], {});
    const { code, stderr } = await run.result();
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^tessera: cannot reach http:\/\/127\.0\.0\.1:9\/\.well-known\/oauth-authorization-server \(.+\): is Tessera running there\? set ISSUER or --issuer\n$/,
    );
  });
});
