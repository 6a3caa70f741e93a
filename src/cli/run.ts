import { loadConfig } from '../config/load.js';
import { DomainError, domainErrorWireCode, InvalidInput } from '../errors/domain.js';
import { OAuthError } from '../errors/oauth.js';
import { errorReason } from '../errors/startup.js';
import { KeyRingError } from '../keys/errors.js';
import { buildInfo } from '../lib/version.js';
import type { Deps } from '../services/deps.js';
import type { OpenOptions } from './open-deps.js';
import { UsageError, type Command, type OptionSpec } from './command.js';
import { commands } from './commands/index.js';
import { parseCommandLine, type ParsedLine } from './parse.js';

export type CliIo = {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
};

/** Who the audit log records for every command. */
const cliActor = { name: 'cli' };

/**
 * Runs one CLI invocation on the deps `openDeps` opens (store migrated) and returns its exit code:
 * 0 done, 1 failed, 2 bad usage (the command line or a value in it must change). A command that talks to the
 * server instead of the store reads its configuration from `env`.
 */
export async function runCli(argv: string[], io: CliIo, openDeps: (options: OpenOptions) => Promise<Deps>, env: NodeJS.ProcessEnv = {}): Promise<number> {
  if (argv.length === 1 && argv[0] === '--version') {
    const { version, commit } = buildInfo();
    io.stdout(`tessera ${version} (commit ${commit})\n`);
    return 0;
  }
  const command = findCommand(argv);
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  if (!command) {
    // A bare group (`tessera users`) or an unknown word after it gets that group's commands.
    const group = commands.some((c) => c.words.length > 1 && c.words[0] === argv[0]) ? argv[0] : undefined;
    if (argv.length === 0 || wantsHelp || (group && argv.length === 1)) {
      io.stdout(overview(group));
      return wantsHelp ? 0 : 2;
    }
    const where = group ? `tessera ${group} --help` : 'tessera --help';
    const what = argv[0]!.startsWith('-') && !group ? `unknown option ${argv[0]}` : `unknown command "${argv.join(' ')}"`;
    io.stderr(`tessera: ${what}; see ${where}\n`);
    return 2;
  }
  if (wantsHelp) {
    io.stdout(help(command));
    return 0;
  }

  let parsed: ParsedLine;
  try {
    parsed = parseCommandLine(command, argv.slice(command.words.length));
  } catch (error) {
    const message = `${(error as Error).message}; see tessera ${command.words.join(' ')} --help`;
    io.stderr(argv.includes('--json') ? jsonError('invalid_request', message) : `tessera: ${message}\n`);
    return 2;
  }
  const json = parsed.options.json === true;

  let deps: Deps | undefined;
  try {
    const { args, options } = parsed;
    let output;
    if (command.store === 'none') output = await command.run({ config: loadConfig(env), args, options, progress: io.stderr });
    else {
      deps = await openDeps({ create: command.store === 'create' });
      output = await command.run({ deps, actor: cliActor, args, options, readStdin: io.readStdin });
    }
    io.stdout(json ? `${JSON.stringify(output.json, null, 2)}\n` : `${output.text}\n`);
    return 0;
  } catch (error) {
    // Every refusal of a use case (not found, conflict, invalid input) and every fault: one line, the message.
    const message = errorReason(error);
    io.stderr(json ? jsonError(errorCode(error), message) : `tessera: ${message}\n`);
    return error instanceof UsageError || error instanceof InvalidInput ? 2 : 1;
  } finally {
    await deps?.store.close();
  }
}

/** A --json error: `error` is a stable code, as an HTTP answer's, and `message` the line a person reads. */
const jsonError = (code: string, message: string) => `${JSON.stringify({ error: code, message })}\n`;

/** The code of an error as the admin API would answer it; a fault is `server_error`. */
function errorCode(error: unknown): string {
  if (error instanceof DomainError) return domainErrorWireCode[error.code];
  if (error instanceof UsageError) return 'invalid_request';
  if (error instanceof OAuthError || error instanceof KeyRingError) return error.code;
  return 'server_error';
}

function findCommand(argv: string[]): Command | undefined {
  return commands.filter((c) => c.words.every((w, i) => argv[i] === w)).sort((a, b) => b.words.length - a.words.length)[0];
}

/** Every command, or those of one group (`users`, `clients`…). */
function overview(group?: string): string {
  const listed = group ? commands.filter((c) => c.words[0] === group) : commands;
  const width = Math.max(...listed.map((c) => c.words.join(' ').length));
  const lines = listed.map((c) => `  ${c.words.join(' ').padEnd(width)}  ${c.summary}`);
  const prefix = group ? `tessera ${group}` : 'tessera';
  return [`usage: ${prefix} <command> [options] [--json]`, '', 'commands:', ...lines, '', `${prefix} <command> --help shows its options.`, ''].join('\n');
}

function help(command: Command): string {
  const options: [string, OptionSpec][] = Object.entries({ ...command.options, json: { type: 'boolean', description: 'machine-readable output' } });
  const width = Math.max(...options.map(([n]) => n.length)) + 2;
  return [
    `usage: ${command.usage} [--json]`,
    '',
    command.summary,
    '',
    'options:',
    ...options.map(
      ([name, spec]) => `  --${name.padEnd(width)}${spec.type === 'string' ? '<value> ' : ''}${spec.description}${spec.multiple ? ' (repeatable)' : ''}`,
    ),
    '',
  ].join('\n');
}
