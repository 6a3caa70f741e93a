import { defaultPageSize, maxPageSize, type PageInput } from '../../services/inputs.js';
import type { OptionSpec } from '../command.js';
import { textOption, type CommandContext } from '../command.js';

export const pageSpec: Record<string, OptionSpec> = {
  limit: { type: 'string', description: `how many to show, 1-${maxPageSize} (default ${defaultPageSize})` },
  cursor: { type: 'string', description: 'continue after a previous listing (its next_cursor)' },
};

/** A page's table, and the option that shows the next page when there is one. */
export const pageText = (text: string, nextCursor: string | null): string => (nextCursor ? `${text}\nmore: --cursor ${nextCursor}` : text);

/** --limit and --cursor of a listing command, as typed: the listing services check them. */
export const pageOptions = (ctx: CommandContext): PageInput => ({ limit: textOption(ctx, 'limit'), cursor: textOption(ctx, 'cursor') });
