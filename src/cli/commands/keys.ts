import { encryptKeys, listKeys, rotateKeys } from '../../services/keys.js';
import { table, type Command } from '../command.js';

export const keysList: Command = {
  words: ['keys', 'list'],
  usage: 'tessera keys list',
  summary: 'list the published signing keys: next (not signing yet), active, retired',
  args: [],
  options: {},
  async run(ctx) {
    const keys = await listKeys(ctx.deps);
    return { json: { keys }, text: table(keys, ['kid', 'alg', 'state', 'activates_at', 'created_at']) };
  },
};

export const keysRotate: Command = {
  words: ['keys', 'rotate'],
  usage: 'tessera keys rotate [--now]',
  summary: 'publish a new signing key; it signs after one JWKS cache lifetime (--now: at once)',
  args: [],
  options: {
    now: { type: 'boolean', description: 'emergency: sign with the new key at once, skipping pre-publication' },
  },
  async run(ctx) {
    const immediate = ctx.options.now === true;
    const key = await rotateKeys(ctx.deps, ctx.actor, { immediate });
    const lines = [`new signing key ${key.kid} (${key.alg})${key.concurrent ? ', rotated by another instance at the same moment' : ''}`];
    if (key.state === 'active' && immediate) {
      lines.push(
        'it signs now: pre-publication was skipped (--now).',
        'Verifiers holding a cached JWKS meet an unknown kid until they refetch it; the old key stays published until its tokens expire.',
      );
    } else {
      lines.push(`published now; it signs from ${key.activates_at} (after ${key.pre_publish_seconds}s of pre-publication)`);
    }
    for (const kid of key.dropped_pending) lines.push(`dropped the pending key ${kid}: it was published but had not signed yet, and now never will.`);
    return { json: { key }, text: lines.join('\n') };
  },
};

export const keysEncrypt: Command = {
  words: ['keys', 'encrypt'],
  usage: 'tessera keys encrypt',
  summary: 'encrypt every private signing key stored in clear with KEY_ENCRYPTION_KEY',
  args: [],
  options: {},
  async run(ctx) {
    const result = await encryptKeys(ctx.deps, ctx.actor);
    const count = (n: number) => `${n} signing key${n === 1 ? '' : 's'}`;
    const text =
      result.encrypted.length === 0
        ? `nothing to do: ${count(result.already_encrypted.length)}, all already encrypted`
        : `encrypted ${count(result.encrypted.length)} with KEY_ENCRYPTION_KEY (${result.already_encrypted.length} already encrypted)`;
    return { json: result, text };
  },
};
