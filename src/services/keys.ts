import type { AuditStore, KeysStore } from '../store/types.js';
import { encryptStoredKeys } from '../keys/encryption.js';
import type { RotationResult } from '../keys/key-ring.js';
import type { Actor, Uses } from './deps.js';
import { recordAudit } from './audit.js';
import { keyView } from './views.js';

/**
 * The published keys, newest first, with their state: next (published, not signing yet), active, retired.
 * A read: it neither creates, rotates nor prunes keys (the server's key refresh does).
 */
export async function listKeys(deps: Uses<'clock' | 'keys'>) {
  await deps.keys.reload();
  const { active, next, retired } = deps.keys.states(deps.clock.now());
  return [
    ...[...next].reverse().map((k) => keyView(k, 'next')),
    ...(active ? [keyView(active, 'active')] : []),
    ...[...retired].reverse().map((k) => keyView(k, 'retired')),
  ];
}

/**
 * Rotates on demand: the new key is published now and signs after the pre-publication time
 * (one JWKS cache lifetime plus the instances' reload period), or at once when `immediate`.
 */
export async function rotateKeys(deps: Uses<'clock' | 'ids' | 'keys' | 'log', AuditStore>, actor: Actor, { immediate }: { immediate: boolean }) {
  const now = deps.clock.now();
  const result = await deps.keys.rotate(now, { immediate });
  const { key } = result;
  await recordAudit(deps, actor, {
    type: 'key.rotated',
    details: {
      kid: key.kid,
      alg: key.alg,
      immediate,
      activates_at: new Date(key.activatesAt).toISOString(),
      concurrent: result.concurrent,
      dropped_pending: result.droppedPending,
    },
  });
  deps.log.info(
    { kid: key.kid, immediate, activates_at: new Date(key.activatesAt).toISOString() },
    immediate ? 'key rotated at once, without pre-publication' : 'key rotated',
  );
  return { ...keyView(key, key.activatesAt <= now.getTime() ? 'active' : 'next'), ...extras(result) };
}

const extras = (result: RotationResult) => ({
  pre_published: !result.immediate,
  pre_publish_seconds: result.prePublishSeconds,
  concurrent: result.concurrent,
  dropped_pending: result.droppedPending,
});

/** Seals every private signing key still stored in clear with KEY_ENCRYPTION_KEY. */
export async function encryptKeys(deps: Uses<'clock' | 'config' | 'ids', AuditStore & KeysStore>, actor: Actor) {
  const { encrypted, alreadyEncrypted } = await encryptStoredKeys(deps.store, deps.config.keyEncryptionKey);
  if (encrypted.length > 0) await recordAudit(deps, actor, { type: 'key.encrypted', details: { kids: encrypted } });
  return { encrypted, already_encrypted: alreadyEncrypted };
}
