import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { browser } from '../helpers/authorize.js';
import { onCleanup, tempDir } from '../helpers/deps.js';
import { freePort } from '../helpers/process.js';

// The README typed from top to bottom: every ```sh block, in order, in one shell, as a new user would in one
// terminal (shell variables carry over from block to block), with node and curl alone. Three commands stand in
// for what the user does elsewhere: `npm ci` is already done (the suite built dist/), `npm start` is the second
// terminal (it starts `node dist/main.js` in the background, stopping the one before as Ctrl-C would), and
// `npx tessera` runs bin/tessera.js. curl fails on an HTTP error, and any failing command stops the walk.
// A block preceded by `<!-- readme-check: skip, REASON -->` is not run (Docker, PostgreSQL, the npm registry).

const root = fileURLToPath(new URL('../..', import.meta.url));
const password = 'correct horse battery staple';

type ReadmeBlock = { heading: string; code: string; skip?: string };

/** The README's shell blocks in order, each with the heading above it and its skip reason, if any. */
function readmeBlocks(markdown: string): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  let heading = '';
  let skip: string | undefined;
  let open: { lines: string[]; shell: boolean } | undefined;
  for (const line of markdown.split('\n')) {
    if (open) {
      if (line.startsWith('```')) {
        if (open.shell) blocks.push({ heading, code: open.lines.join('\n'), ...(skip ? { skip } : {}) });
        open = undefined;
        skip = undefined;
      } else open.lines.push(line);
      continue;
    }
    const fence = /^```(\S*)/.exec(line);
    const marker = /^<!-- readme-check: skip, (.+) -->$/.exec(line);
    if (fence) open = { lines: [], shell: fence[1] === 'sh' };
    else if (marker) skip = marker[1];
    else if (line.startsWith('#')) heading = line.replace(/^#+\s*/, '');
    else if (/^\*\*[^*]+\*\*/.test(line)) heading = `${heading.split(' › ')[0]} › ${/^\*\*([^*]+)\*\*/.exec(line)![1]}`;
  }
  return blocks;
}

const prelude = (port: number) => `
set -euo pipefail
curl() { command curl --fail-with-body --show-error "$@"; }
npx() {
  if [ "$1" != tessera ]; then echo "readme check: unexpected npx $1" >&2; return 1; fi
  shift; node ${JSON.stringify(join(root, 'bin/tessera.js'))} "$@"
}
npm() {
  case "$1" in
    ci) ;;
    start)
      if [ -f server.pid ]; then kill "$(cat server.pid)"; wait "$(cat server.pid)"; fi
      echo "--- npm start" >> server.log
      node ${JSON.stringify(join(root, 'dist/main.js'))} >> server.log 2>&1 &
      echo $! > server.pid
      for i in $(seq 200); do command curl -sf http://127.0.0.1:${port}/readyz > /dev/null && return 0; sleep 0.1; done
      echo "readme check: the server did not become ready" >&2; cat server.log >&2; return 1 ;;
    *) echo "readme check: unexpected npm $1" >&2; return 1 ;;
  esac
}
`;

/** One bash process in `dir`; `run(code)` sources the code as a file of its own and resolves with its output. */
function shell(dir: string, env: Record<string, string>) {
  const child = spawn('bash', ['--noprofile', '--norc'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, ...env }, stdio: 'pipe' });
  let output = '';
  // Told of every piece of output as it comes, so a block is over the moment its end marker arrives (no polling).
  let onOutput = () => {};
  const take = (d: Buffer) => {
    output += d.toString();
    onOutput();
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const exited = once(child, 'exit');
  onCleanup(async () => {
    child.kill('SIGKILL');
    try {
      process.kill(Number(readFileSync(join(dir, 'server.pid'), 'utf8')), 'SIGKILL');
    } catch {
      // no server started, or it has stopped
    }
  });
  const done = '__readme_block_done__';
  let count = 0;
  // `during` sees the block's output so far while it runs, as the person at the terminal does.
  return async (code: string, during: (soFar: string) => void = () => {}): Promise<string> => {
    const file = `.readme-${String(++count).padStart(2, '0')}.sh`;
    writeFileSync(join(dir, file), `${code}\n`);
    const start = output.length;
    child.stdin.write(`. ./${file} < /dev/null\necho ${done}\n`);
    const finished = new Promise<void>((resolve) => {
      onOutput = () => {
        during(output.slice(start));
        if (output.includes(done, start)) resolve();
      };
    });
    const exit = await Promise.race([exited, finished]);
    onOutput = () => {};
    if (exit) throw new Error(`the shell stopped in this block (exit ${(exit as unknown[])[0]}):\n${code}\n--- output:\n${output.slice(start)}`);
    const text = output.slice(start, output.indexOf(done, start));
    output = output.replace(done, '');
    return text;
  };
}

/** What a browser does at the URL `tessera login-test` prints: alice signs in, and the browser follows the redirect to its listener. */
async function signInAt(url: string, port: number): Promise<void> {
  const base = `http://127.0.0.1:${port}`;
  const { pathname, search } = new URL(url);
  const b = browser((path, init) => fetch(`${base}${path}`, init));
  const page = await b.get(`${pathname}${search}`);
  expect(page.status).toBe(200);
  const signedIn = await b.login(page, 'alice', password);
  expect(signedIn.status).toBe(303);
  expect((await fetch(signedIn.headers.get('location')!)).status).toBe(200);
}

describe('README', () => {
  it('runs from top to bottom with node and curl', { timeout: 180_000 }, async () => {
    const blocks = readmeBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
    // A clean folder, as a new user's: nothing made beforehand (`tessera backup backups/…` makes its folder).
    const dir = tempDir();
    const port = await freePort();
    // JWKS_MAX_AGE 2: the server reloads its keys every second, so a reload that fails shows in the log at once.
    const run = shell(dir, { PORT: String(port), HOST: '127.0.0.1', JWKS_MAX_AGE: '2' });
    await run(prelude(port));

    const ran: string[] = [];
    const started = Date.now();
    for (const block of blocks.filter((b) => !b.skip)) {
      const text = block.code.replaceAll('localhost:3000', `localhost:${port}`);
      const blockStart = Date.now();
      // A block that prints an authorization URL waits for a browser to sign in there.
      let signIn: Promise<void> | undefined;
      await run(text, (soFar) => {
        const authorizeUrl = /^http:\/\/localhost:\d+\/authorize\?\S+$/m.exec(soFar)?.[0];
        if (authorizeUrl && !signIn) signIn = signInAt(authorizeUrl, port);
      });
      await signIn;
      ran.push(`${block.heading} (${Date.now() - blockStart} ms)`);
    }
    const log = readFileSync(join(dir, 'server.log'), 'utf8');
    console.info(`README check: ${ran.length} blocks in ${Date.now() - started} ms, ${blocks.length - ran.length} skipped:\n  ${ran.join('\n  ')}`);

    // What step 1 promises the first start logs.
    const starts = log.split('--- npm start\n').slice(1);
    const first = starts[0]!
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(first).toContainEqual(
      expect.objectContaining({ msg: 'tessera listening', issuer: `http://localhost:${port}`, jwks_uri: `http://localhost:${port}/.well-known/jwks.json` }),
    );
    // The hint is the command step 2 runs, word for word.
    const hint = first.find((line) => line.msg === 'no client exists yet; create one with the CLI')?.hint;
    expect(blocks.flatMap((b) => b.code.split('\n'))).toContain(hint);
    // Between `keys encrypt` and the restart the README asks for, the old server may log `key refresh failed`
    // (the README says so); the server started again with the key serves the rest of the README without an error.
    expect(starts).toHaveLength(2);
    expect(starts[1]!.split('\n').filter((line) => line.includes('"level":50'))).toEqual([]);
    // What the walk-through leaves in the folder (the test's own scaffolding aside) is ignored by git in a checkout.
    const left = readdirSync(dir)
      .filter((name) => !/^(server\.(log|pid)|\.readme-\d+\.sh)$/.test(name))
      .map((name) => (statSync(join(dir, name)).isDirectory() ? `${name}/` : name));
    expect(left).toContain('backups/');
    const ignored = spawnSync('git', ['check-ignore', '--no-index', '--stdin'], { cwd: root, input: left.join('\n'), encoding: 'utf8' });
    expect(ignored.stdout.split('\n').filter(Boolean).sort()).toEqual(left.sort());
    // Blocks left out stay few: Quick start, the verifier's install into another project, the Google and Kakao providers, PostgreSQL (2), Docker, Compose,
    // the MCP walk-through (a second service and a browser; test/http/register-flow.test.ts runs its path), and the mail
    // commands (an SMTP server; test/admin/account-mail.test.ts runs them against one).
    expect(blocks.filter((b) => b.skip).length).toBeLessThanOrEqual(9);
  });
});
