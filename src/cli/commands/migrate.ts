import type { Command } from '../command.js';

export const migrate: Command = {
  words: ['migrate'],
  usage: 'tessera migrate',
  summary: 'apply pending database migrations',
  args: [],
  options: {},
  store: 'create',
  async run({ deps }) {
    await deps.store.migrate();
    return { json: { migrated: true, dialect: deps.store.dialect }, text: `migrations applied (${deps.store.dialect})` };
  },
};
