import type { Config } from '../config/schema.js';
import type { Actor, Deps } from '../services/deps.js';

export type OptionSpec = { type: 'string' | 'boolean'; description: string; multiple?: boolean };

export type CommandContext = {
  deps: Deps;
  /** Who the audit log records: `cli`. */
  actor: Actor;
  /** Positional arguments after the command words. */
  args: string[];
  /** A `multiple` option is a list of its values. */
  options: Record<string, string | boolean | string[] | undefined>;
  readStdin(): Promise<string>;
};

/** What a command prints: `json` under --json, `text` otherwise. */
export type CommandOutput = { json: unknown; text: string };

type CommandBase = {
  /** The command words, e.g. ['users', 'create']. */
  words: string[];
  usage: string;
  summary: string;
  /** Its positional arguments in order, `[NAME]` for an optional one; the CLI refuses more, or fewer than required. */
  args: string[];
  options: Record<string, OptionSpec>;
};

/** A command on the store. `store: 'create'` may create it when there is none (`migrate`); the others refuse a missing one. */
export type StoreCommand = CommandBase & { store?: 'create'; run(ctx: CommandContext): Promise<CommandOutput> };

/** A command that talks HTTP to a running Tessera and never opens the store. */
export type ServerCommand = CommandBase & { store: 'none'; run(ctx: ServerCommandContext): Promise<CommandOutput> };

export type Command = StoreCommand | ServerCommand;

export type ServerCommandContext = Pick<CommandContext, 'args' | 'options'> & {
  /** The configuration of the CLI's environment (its ISSUER is the server's). */
  config: Config;
  /** What the person at the terminal reads while the command runs (stderr: stdout keeps the result alone). */
  progress(text: string): void;
};

/** The value of a string option, or undefined when it was not given. */
export function textOption(ctx: Pick<CommandContext, 'options'>, name: string): string | undefined {
  const value = ctx.options[name];
  return typeof value === 'string' ? value : undefined;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The command's one positional argument, named as its usage line names it; a UsageError when it is missing. */
export function firstArg(ctx: Pick<CommandContext, 'args'>, name: string): string {
  const value = ctx.args[0];
  if (!value) throw new UsageError(`missing ${name}`);
  return value;
}

/** Formats rows as aligned columns for people; --json gives machines the same data. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cell = (v: unknown) => (v === null || v === undefined ? '-' : String(v));
  const widths = columns.map((col) => Math.max(col.length, ...rows.map((r) => cell(r[col]).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}

/** Cuts `text` to `width` characters, marking the cut with an ellipsis. */
export function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
