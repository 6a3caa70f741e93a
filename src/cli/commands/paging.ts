import type { OptionSpec } from '../command.js';
import { UsageError, type CommandContext } from '../command.js';

export const pageSpec: Record<string, OptionSpec> = {
  limit: { type: 'string', description: 'how many to show, 1-500 (default 50)' },
  cursor: { type: 'string', description: 'continue after a previous listing (its next_cursor)' },
};

/** --limit and --cursor of a listing command. */
export function pageOptions(ctx: CommandContext): { limit: number; cursor?: string } {
  const { limit, cursor } = ctx.options;
  if (limit !== undefined && (!/^\d{1,3}$/.test(String(limit)) || Number(limit) < 1 || Number(limit) > 500)) {
    throw new UsageError('--limit takes a whole number from 1 to 500');
  }
  return { limit: limit === undefined ? 50 : Number(limit), ...(typeof cursor === 'string' && cursor !== '' ? { cursor } : {}) };
}
