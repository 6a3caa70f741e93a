import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { openCliDeps } from '../../src/cli/open-deps.js';
import { browser } from '../../test/helpers/authorize.js';
import { cliOn } from '../../test/helpers/cli.js';
import { onCleanup, tempDir } from '../../test/helpers/deps.js';
import { freePort, jsonCli, startService, type ServiceProcess } from '../../test/helpers/process.js';

// The README's walk-through "Tessera in front of an MCP server", run as written: Tessera as a real process with
// REGISTRATION=open, the operator's commands, examples/mcp-server/server.ts as a real process started as the README
// starts it (ISSUER, RESOURCE and PORT, no AUDIENCE), then the client's steps with fetch where the README has curl, the
// browser's sign-in and consent through the hosted pages. The commands and every output the README prints are read
// from the README itself, with its ports, client id, user id and times replaced by this run's.

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Tessera in front of an MCP server'));
const walk = /```sh\n([\s\S]*?)```/.exec(section)![1]!.split('\n');
const password = 'correct horse battery staple';

/** The index of the walk-through's line that starts with `start`. */
function lineOf(start: string): number {
  const i = walk.findIndex((line) => line.startsWith(start));
  if (i < 0) throw new Error(`the README's walk-through has no line starting with ${start}`);
  return i;
}

/** The command that starts with `start`, its continuation lines joined as the shell joins them. */
function command(start: string): string {
  const lines = [];
  for (let i = lineOf(start); ; i++) {
    const line = walk[i]!;
    if (!line.endsWith('\\')) return [...lines, line.trim()].join(' ');
    lines.push(line.slice(0, -1).trim());
  }
}

/** The `# ` lines the README prints under the command that starts with `start`. */
function printed(start: string): string[] {
  let i = lineOf(start);
  while (walk[i]!.endsWith('\\')) i++;
  const out = [];
  for (i++; walk[i]?.startsWith('# '); i++) out.push(walk[i]!.slice(2));
  return out;
}

/** The operator's CLI on the store, its human-readable output (jsonCli has the --json one). */
function textCli(env: Record<string, string>) {
  return async (args: string[]) => {
    const result = await cliOn(() => openCliDeps(env, new PassThrough(), { create: true }), args);
    expect(result, args.join(' ')).toMatchObject({ code: 0, stderr: '' });
    return result.stdout;
  };
}

/** Tessera on a free port with ISSUER http://localhost:PORT, as `npm start` has it on :3000. */
async function startTessera(env: Record<string, string>): Promise<ServiceProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await startService({ ...env, ISSUER: `http://localhost:${port}` }, { port });
    } catch (error) {
      if (attempt === 3 || !/is already in use/.test((error as Error).message)) throw error;
    }
  }
}

/** `npx tsx examples/mcp-server/server.ts` (node --import tsx), once it has printed its first line. */
async function startMcpServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/mcp-server/server.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: 'pipe',
  });
  let output = '';
  const closed = once(child, 'close');
  onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await closed;
    }
  });
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the MCP server printed nothing within 20 s:\n${output}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('\n')) {
        clearTimeout(timer);
        resolve(output.split('\n')[0]!);
      }
    });
    child.once('close', (code) => reject(new Error(`the MCP server exited with ${code}:\n${output}`)));
  });
  const stop = async () => {
    child.kill('SIGTERM');
    const [code] = (await closed) as [number | null];
    return code;
  };
  return { first, stop, output: () => output };
}

describe('examples/mcp-server', () => {
  it('runs the README walk-through "Tessera in front of an MCP server": 401 → metadata → /register → code + PKCE with resource → the server answers for alice', async () => {
    const readmeClient = /dyn_[0-9a-f-]{36}/.exec(section)![0];
    const readmeUser = /usr_[0-9a-f-]{36}/.exec(section)![0];
    const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };

    // REGISTRATION=open npm start
    expect(lineOf('REGISTRATION=open npm start')).toBe(0);
    const tessera = await startTessera({ ...env, REGISTRATION: 'open' });
    const issuer = `http://localhost:${tessera.port}`;
    const mcpPort = await freePort();
    const resource = `http://localhost:${mcpPort}/mcp`;
    let clientId = readmeClient;
    let userId = readmeUser;
    const ours = (text: string) =>
      text
        .replaceAll('localhost:3000', `localhost:${tessera.port}`)
        .replaceAll('localhost%3A3000', `localhost%3A${tessera.port}`)
        .replaceAll('localhost:4000', `localhost:${mcpPort}`)
        .replaceAll('127.0.0.1:4000', `127.0.0.1:${mcpPort}`)
        .replaceAll(readmeClient, clientId)
        .replaceAll(readmeUser, userId);
    const printedJson = (start: string) => JSON.parse(ours(printed(start).join('')));

    // The operator registers the server as an API open to dynamic registration, and creates alice with mcp:tools.
    expect(command('npx tessera apis create')).toBe(
      `npx tessera apis create mcp --identifier http://localhost:4000/mcp --name "Example MCP server" --scope tools --describe "tools=Use the server's tools" --dynamic-registration`,
    );
    const created = await textCli(env)([
      ...['apis', 'create', 'mcp', '--identifier', resource, '--name', 'Example MCP server'],
      ...['--scope', 'tools', '--describe', "tools=Use the server's tools", '--dynamic-registration'],
    ]);
    expect(created).toBe(`${ours(printed('npx tessera apis create').join('\n'))}\n`);
    expect(command("echo 'correct horse")).toBe(`echo '${password}' | npx tessera users create alice --password-stdin --scope mcp:tools`);
    const { user: alice } = await jsonCli(env)(['users', 'create', 'alice', '--password-stdin', '--scope', 'mcp:tools'], `${password}\n`);
    expect(alice).toMatchObject({ username: 'alice', scope: 'mcp:tools' });
    userId = alice.id;

    // The MCP server, without AUDIENCE: its verifier expects aud = RESOURCE.
    expect(command('ISSUER=')).toBe('ISSUER=http://localhost:3000 RESOURCE=http://localhost:4000/mcp PORT=4000 npx tsx examples/mcp-server/server.ts');
    const mcp = await startMcpServer({ ISSUER: issuer, RESOURCE: resource, PORT: String(mcpPort) });
    expect(mcp.first).toBe(ours(printed('ISSUER=')[0]!));

    // 1. Refused, with the way to the metadata (RFC 9728).
    expect(command('curl -si -X POST http://localhost:4000/mcp')).toBe('curl -si -X POST http://localhost:4000/mcp');
    const [statusLine, challengeLine, refusalBody] = printed('curl -si -X POST http://localhost:4000/mcp').map(ours);
    const refused = await fetch(resource, { method: 'POST' });
    expect(`HTTP/1.1 ${refused.status} ${refused.statusText}`).toBe(statusLine);
    expect(`www-authenticate: ${refused.headers.get('www-authenticate')}`).toBe(challengeLine);
    expect(refused.headers.get('www-authenticate')).toBe(
      `Bearer realm="api", resource_metadata="http://localhost:${mcpPort}/.well-known/oauth-protected-resource/mcp"`,
    );
    expect(await refused.json()).toEqual(JSON.parse(refusalBody!));
    const metadataRes = await fetch(`http://localhost:${mcpPort}/.well-known/oauth-protected-resource/mcp`);
    expect(metadataRes.status).toBe(200);
    const metadata = await metadataRes.json();
    expect(metadata).toEqual(printedJson('curl -s http://localhost:4000/.well-known/oauth-protected-resource/mcp'));
    expect(metadata).toEqual({
      resource,
      authorization_servers: [issuer],
      bearer_methods_supported: ['header'],
      scopes_supported: ['tools'],
      resource_name: 'Example MCP server',
    });

    // 2. Tessera's metadata names /register (RFC 8414); the client registers itself (RFC 7591).
    const asMetadata = await (await fetch(`${metadata.authorization_servers[0]}/.well-known/oauth-authorization-server`)).json();
    expect(asMetadata).toMatchObject({ issuer, registration_endpoint: `${issuer}/register` });
    expect(walk[lineOf('# 2.')]).toContain('(registration_endpoint: http://localhost:3000/register)');
    const registerCommand = command('curl -s -X POST http://localhost:3000/register -H');
    const [registerBody, refusedBody] = [...section.matchAll(/-d '(\{[^']*\})'/g)].map((m) => m[1]!);
    expect(registerCommand).toBe(`curl -s -X POST http://localhost:3000/register -H 'content-type: application/json' -d '${registerBody}'`);
    const registeredRes = await fetch(asMetadata.registration_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: registerBody,
    });
    expect(registeredRes.status).toBe(201);
    const registered = await registeredRes.json();
    expect(registered.client_id).toMatch(/^dyn_[0-9a-f-]{36}$/);
    clientId = registered.client_id;
    expect(Math.abs(registered.client_id_issued_at - Date.now() / 1000)).toBeLessThan(60);
    const registeredAsPrinted = printedJson('curl -s -X POST http://localhost:3000/register -H');
    expect(registered).toEqual({ ...registeredAsPrinted, client_id_issued_at: registered.client_id_issued_at });

    // clients show: the client got the only API open to registration, as its default; it is a third party.
    const shown = await textCli(env)(['clients', 'show', clientId]);
    const shownAsPrinted = printed(`npx tessera clients show ${readmeClient}`)
      .map(ours)
      .filter((line) => line !== '…');
    expect(shownAsPrinted).toHaveLength(4);
    expect(shown.split('\n')).toEqual(expect.arrayContaining(shownAsPrinted));
    expect(await jsonCli(env)(['clients', 'show', clientId])).toMatchObject({ client: { id: clientId, apis: ['mcp'], default_api: 'mcp' } });

    // An http redirect that is not loopback is refused.
    expect(command(`curl -s -X POST http://localhost:3000/register -H 'content-type: application/json' -d '{"redirect_uris"`)).toBe(
      `curl -s -X POST http://localhost:3000/register -H 'content-type: application/json' -d '${refusedBody}'`,
    );
    const refusedRegistration = await fetch(`${issuer}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: refusedBody });
    expect(refusedRegistration.status).toBe(400);
    expect(await refusedRegistration.json()).toEqual(
      printedJson(`curl -s -X POST http://localhost:3000/register -H 'content-type: application/json' -d '{"redirect_uris"`),
    );

    // 3. /authorize with PKCE and resource; alice signs in and consents; the code is exchanged with resource.
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorizeUrl = /^echo "(.*)"$/.exec(command('echo "http://localhost:3000/authorize'))![1]!;
    const url = new URL(ours(authorizeUrl).replace('$CHALLENGE', challenge));
    expect(`${url.origin}`).toBe(issuer);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: 'http://127.0.0.1:33418/callback',
      scope: 'tools',
      state: 'xyz',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      resource,
    });
    const b = browser((path, init) => fetch(`${issuer}${path}`, init));
    const login = await b.get(`${url.pathname}${url.search}`);
    expect(login.status).toBe(200);
    const consent = await b.login(login, 'alice', password);
    expect(consent.status).toBe(200);
    const page = await consent.clone().text();
    const pageText = page
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#39;/g, "'")
      .replace(/\s+/g, ' ');
    expect(pageText).toContain('Allow Example agent to access your account?');
    expect(pageText).toContain('Example MCP server');
    expect(pageText).toMatch(/tools\s*(—\s*)?Use the server's tools/);
    const back = await b.consent(consent, 'allow');
    expect(back.status).toBe(303);
    const callback = new URL(back.headers.get('location')!);
    const readmeCallback = new URL(ours(/→ (\S+)$/.exec(printed('echo "http://localhost:3000/authorize')[0]!)![1]!));
    expect(`${callback.origin}${callback.pathname}`).toBe(`${readmeCallback.origin}${readmeCallback.pathname}`);
    expect([...callback.searchParams.keys()]).toEqual([...readmeCallback.searchParams.keys()]);
    expect(callback.searchParams.get('state')).toBe('xyz');
    expect(callback.searchParams.get('iss')).toBe(readmeCallback.searchParams.get('iss'));
    expect(callback.searchParams.get('iss')).toBe(issuer);
    const code = callback.searchParams.get('code')!;

    const readmeCode = readmeCallback.searchParams.get('code')!;
    const tokenCommand = command('ACCESS_TOKEN=$(curl -s http://localhost:3000/token');
    const fields = Object.fromEntries([...tokenCommand.matchAll(/-d (\w+)=(\S+)/g)].map((m) => [m[1]!, ours(m[2]!)]));
    expect(fields).toEqual({
      grant_type: 'authorization_code',
      client_id: clientId,
      code: readmeCode,
      redirect_uri: 'http://127.0.0.1:33418/callback',
      code_verifier: '$VERIFIER',
      resource,
    });
    const tokenRes = await fetch(`${issuer}/token`, { method: 'POST', body: new URLSearchParams({ ...fields, code, code_verifier: verifier }) });
    expect(tokenRes.status).toBe(200);
    const tokens = await tokenRes.json();
    const answer = JSON.parse(/^the answer: (.*)$/.exec(printed('ACCESS_TOKEN=$(curl -s http://localhost:3000/token')[0]!)![1]!);
    expect(Object.keys(tokens).sort()).toEqual(Object.keys(answer).sort());
    expect(tokens).toEqual({
      ...answer,
      access_token: expect.stringMatching(new RegExp(`^${answer.access_token.replace(/…$/, '')}`)),
      refresh_token: expect.any(String),
    });
    expect(answer.refresh_token).toMatch(/…$/);

    // The token's claims: aud is exactly the server, scope the API's.
    const claims = decodeJwt(tokens.access_token);
    const decoded = printed(`node -p 'JSON.parse(Buffer.from(process.argv[1]`).join(' ');
    const readmeClaims = Object.fromEntries([...ours(decoded).matchAll(/(\w+): '([^']*)'/g)].map((m) => [m[1]!, m[2]!]));
    expect(readmeClaims).toEqual({ iss: issuer, sub: alice.id, aud: resource, client_id: clientId, scope: 'tools' });
    expect(claims).toMatchObject(readmeClaims);
    expect(claims.aud).toBe(resource);

    // 4. The server answers for alice, via the registered client.
    const called = await fetch(resource, { method: 'POST', headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(called.status).toBe(200);
    expect(await called.json()).toEqual(printedJson('curl -s -X POST http://localhost:4000/mcp -H'));
    expect(walk.at(-2)).toBe(`# {"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"whoami","description":"acting for ${readmeUser} via ${readmeClient}"}]}}`);

    // "As mcp is the only API open to registration, it is also the client's default: a request without resource gets
    // the same token." Alice is still signed in, so the browser goes straight back (or through consent once more).
    const again = new URL(url);
    again.searchParams.delete('resource');
    let answered = await b.get(`${again.pathname}${again.search}`);
    if (answered.status === 200) answered = await b.consent(answered, 'allow');
    expect(answered.status).toBe(303);
    const secondCode = new URL(answered.headers.get('location')!).searchParams.get('code')!;
    const { resource: _, ...withoutResource } = fields;
    const second = await fetch(`${issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ ...withoutResource, code: secondCode, code_verifier: verifier }),
    });
    expect(second.status).toBe(200);
    const secondToken = (await second.json()).access_token;
    expect(decodeJwt(secondToken)).toMatchObject({ aud: resource, scope: 'tools', sub: alice.id, client_id: clientId });
    expect((await fetch(resource, { method: 'POST', headers: { authorization: `Bearer ${secondToken}` } })).status).toBe(200);

    // The server shuts down on SIGTERM as its main block says.
    expect(await mcp.stop()).toBe(0);
    expect(await tessera.stop()).toBe(0);
  });
});
