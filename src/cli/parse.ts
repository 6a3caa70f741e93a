import { parseArgs } from 'node:util';
import { UsageError, type Command } from './command.js';

export type ParsedLine = { args: string[]; options: Record<string, string | string[] | boolean | undefined> };

/**
 * The arguments after a command's words, checked against what it declares. Every refusal is a
 * UsageError of a few words (Node's own parseArgs messages run to several lines).
 */
export function parseCommandLine(command: Command, argv: string[]): ParsedLine {
  const specs = { ...command.options, json: { type: 'boolean' as const } };
  const { tokens } = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { type: spec.type }])),
    allowPositionals: true,
    strict: false,
    tokens: true,
  });

  const options: ParsedLine['options'] = {};
  const args: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') args.push(token.value);
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(specs, token.name) ? specs[token.name as keyof typeof specs] : undefined;
    if (!spec) throw new UsageError(`unknown option ${token.rawName}`);
    if (spec.type === 'boolean') {
      if (token.inlineValue) throw new UsageError(`${token.rawName} takes no value`);
      options[token.name] = true;
    } else {
      // Without "=", a value that looks like an option is the next option, not this one's value.
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) throw new UsageError(`${token.rawName} needs a value`);
      // A repeatable option collects its values; any other keeps the last one given.
      const earlier = options[token.name];
      options[token.name] = 'multiple' in spec && spec.multiple ? [...(Array.isArray(earlier) ? earlier : []), token.value] : token.value;
    }
  }

  const required = command.args.filter((a) => !a.startsWith('['));
  if (args.length > command.args.length) throw new UsageError(`unexpected argument "${args[command.args.length]}"`);
  if (args.length < required.length) throw new UsageError(`missing ${required[args.length]}`);
  return { args, options };
}
