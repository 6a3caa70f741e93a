import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/deps.js';
import { jsonCli, startService } from '../helpers/process.js';

// What a service that only verifies tokens gets: the packed tessera-verify, installed next to jose alone.

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_loglevel: 'error' };
const npm = (args: string[], cwd: string) => run('npm', args, { cwd, env: npmEnv });

/** The README's shell lines that install tessera-verify into a service (under "Verifying tokens in your service"). */
function readmeInstall(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Verifying tokens in your service'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  return block.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

type PackResult = { filename: string; files: { path: string }[] };
const pack = async (dir: string, destination: string): Promise<PackResult> =>
  (JSON.parse((await npm(['pack', '--json', '--pack-destination', destination], dir)).stdout) as PackResult[])[0]!;

const modules = ['dpop', 'errors', 'index', 'jose-errors', 'jwks', 'middleware', 'protected-resource', 'revocation-follower', 'sse', 'verifier'];
const specifiers = (source: string) => [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);

describe('the tessera-verify package', { timeout: 60_000 }, () => {
  it('packs only the built verifier: no server code, no sources, no tests', async () => {
    const { files } = await pack(join(root, 'packages/verify'), tempDir());
    expect(files.map((f) => f.path).sort()).toEqual(['README.md', ...modules.flatMap((m) => [`dist/${m}.d.ts`, `dist/${m}.js`]), 'package.json'].sort());
    const manifest = JSON.parse(readFileSync(join(root, 'packages/verify/package.json'), 'utf8'));
    expect(manifest.dependencies).toEqual({ jose: expect.any(String) });
    // Its code imports only jose and itself (the middleware's hono import is a type, erased in the build).
    const dist = join(root, 'packages/verify/dist');
    const imported = readdirSync(dist)
      .filter((f) => f.endsWith('.js'))
      .flatMap((f) => specifiers(readFileSync(join(dist, f), 'utf8')));
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.filter((s) => s !== 'jose' && !/^\.\/[a-z-]+\.js$/.test(s))).toEqual([]);
  });

  it('installs into an empty project as the README says, with only jose beside it, and verifies a token from a real Tessera', async () => {
    const project = join(tempDir(), 'service');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-service', private: true, type: 'module' }));
    // jose from this checkout, packed and installed first, so the README's install finds it and needs no network.
    const tarballs = tempDir();
    const joseTgz = join(tarballs, (await pack(join(root, 'node_modules/jose'), tarballs)).filename);
    await npm(['install', '--offline', joseTgz], project);
    // The README's lines, with its two placeholder paths replaced by this checkout and the project.
    const lines = readmeInstall().map((line) => line.replaceAll('/path/to/tessera', root.replace(/\/$/, '')).replaceAll('/path/to/your-service', project));
    for (const line of lines) await run('bash', ['-euo', 'pipefail', '-c', line], { env: { ...npmEnv, npm_config_offline: 'true' } });
    expect(
      readdirSync(join(project, 'node_modules'))
        .filter((n) => !n.startsWith('.'))
        .sort(),
    ).toEqual(['jose', 'tessera-verify']);

    const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
    const secret: string = (await jsonCli(env)(['clients', 'create', 'reports', '--grants', 'client_credentials', '--scope', 'read'])).client_secret;
    const tessera = await startService(env);
    const res = await fetch(`${tessera.url}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`reports:${secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read' }),
    });
    const { access_token: token } = (await res.json()) as { access_token: string };

    writeFileSync(
      join(project, 'check.js'),
      `import { createVerifier } from 'tessera-verify';
const [issuer, token] = process.argv.slice(2);
const verifier = createVerifier({ issuer, audience: issuer }); // the README: a token's aud is the issuer
const claims = await verifier.verify(token);
const tampered = await verifier.verify(token.slice(0, -4) + 'AAAA').catch((error) => error.code);
console.log(JSON.stringify({ client_id: claims.client_id, scope: claims.scope, tampered }));
`,
    );
    const { stdout } = await run(process.execPath, ['check.js', tessera.url, token], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({ client_id: 'reports', scope: 'read', tampered: 'ERR_SIGNATURE_INVALID' });
    expect(await tessera.stop()).toBe(0);
  });
});
