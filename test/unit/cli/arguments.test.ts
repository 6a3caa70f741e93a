import { describe, expect, it } from 'vitest';
import { commands } from '../../../src/cli/commands/index.js';
import { auditEventTypes } from '../../../src/domain/audit-types.js';
import { cli } from '../../helpers/cli.js';
import { makeDeps } from '../../helpers/deps.js';

// Every command handles its arguments the same way, before it touches the store: what it does not
// take is refused with one short line and exit code 2. In this process (test/helpers/cli.ts), on a fresh
// store each time; test/cli/smoke.test.ts checks that the real binary answers the same way.

/** The CLI on a fresh store. */
const runTessera = async (argv: string[], { stdin }: { stdin?: string } = {}) => cli(await makeDeps(), argv, { stdin });
const usageError = (line: string) => ({ code: 2, stdout: '', stderr: `tessera: ${line}\n` });
// Enough positional arguments for each command to get past them.
const filled = (args: string[]) => args.flatMap((a) => (a.startsWith('[') ? [] : ['x']));

describe('tessera argument handling, the same for every command', () => {
  it.each(commands.map((c) => [c.words.join(' '), c] as const))('%s refuses an unknown option and an extra argument', async (name, command) => {
    const given = [...command.words, ...filled(command.args)];
    expect(await runTessera([...given, '--nope'])).toEqual(usageError(`unknown option --nope; see tessera ${name} --help`));
    const extra = [...given, ...(command.args.some((a) => a.startsWith('[')) ? ['x'] : []), 'extra'];
    expect(await runTessera(extra)).toEqual(usageError(`unexpected argument "extra"; see tessera ${name} --help`));
  });

  it('names a missing argument, an option without its value and a value given to a switch', async () => {
    expect(await runTessera(['clients', 'delete'])).toEqual(usageError('missing ID; see tessera clients delete --help'));
    expect(await runTessera(['users', 'create'])).toEqual(usageError('missing NAME; see tessera users create --help'));
    expect(await runTessera(['users', 'create', 'bob', '--scope'])).toEqual(usageError('--scope needs a value; see tessera users create --help'));
    expect(await runTessera(['clients', 'create', 'web', '--scope', '--public'])).toEqual(
      usageError('--scope needs a value; see tessera clients create --help'),
    );
    expect(await runTessera(['clients', 'create', 'web', '--public=yes'])).toEqual(usageError('--public takes no value; see tessera clients create --help'));
    expect(await runTessera(['keys', 'list', '-x'])).toEqual(usageError('unknown option -x; see tessera keys list --help'));
  });

  it('still takes a value with "=", and a value after --', async () => {
    const deps = await makeDeps();
    expect(await cli(deps, ['clients', 'create', 'web', '--public', '--grants=password', '--scope=read write', '--json'])).toMatchObject({
      code: 0,
      stderr: '',
    });
    expect((await deps.store.findClient('web'))?.scopes).toEqual(['read', 'write']);
    const created = await cli(deps, ['users', 'create', '--password-stdin', '--', '-dash'], { stdin: 'a long enough password' });
    expect(created).toEqual({ code: 0, stdout: expect.stringMatching(/^created user -dash /), stderr: '' });
  });

  it('checks audit --type against the event types Tessera writes', async () => {
    expect(await runTessera(['audit', '--type', 'login.fail'])).toEqual(usageError(`type must be one of ${auditEventTypes.join(', ')}`));
    expect((await runTessera(['audit', '--help'])).stdout).toContain(auditEventTypes.join(', '));
    expect(await runTessera(['audit', '--type', 'login.failed'])).toEqual({ code: 0, stdout: '(none)\n', stderr: '' });
  });
});

describe('tessera command groups', () => {
  it('shows the commands of a bare group, as the bare tessera shows all', async () => {
    const users = await runTessera(['users']);
    expect(users.code).toBe(2);
    expect(users.stderr).toBe('');
    expect(users.stdout).toMatch(/^usage: tessera users <command> \[options\] \[--json\]\n/);
    expect(users.stdout).toContain('  users create ');
    expect(users.stdout).toContain('  users disable ');
    expect(users.stdout).not.toContain('clients');
    expect(await runTessera(['users', '--help'])).toEqual({ ...users, code: 0 });
    expect((await runTessera([])).stdout).toContain('  clients create ');
  });

  it('refuses an unknown command in a group, pointing at the group', async () => {
    expect(await runTessera(['users', 'frobnicate'])).toEqual(usageError('unknown command "users frobnicate"; see tessera users --help'));
    expect(await runTessera(['frobnicate'])).toEqual(usageError('unknown command "frobnicate"; see tessera --help'));
    expect(await runTessera(['--nope'])).toEqual(usageError('unknown option --nope; see tessera --help'));
  });
});
