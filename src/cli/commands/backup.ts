import { backupDatabase } from '../../services/backup.js';
import type { Command } from '../command.js';

export const backup: Command = {
  words: ['backup'],
  usage: 'tessera backup FILE',
  summary: 'copy the SQLite store to a new FILE while the server runs (PostgreSQL: use pg_dump)',
  args: ['FILE'],
  options: {},
  async run(ctx) {
    const result = await backupDatabase(ctx.deps, ctx.actor, ctx.args[0]!);
    return { json: result, text: `backed up the store to ${result.file} (${result.pages} pages)` };
  },
};
