import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.js';
import { rotateKeys } from '../../src/services/keys.js';
import { issueAccessToken } from '../../src/services/sessions/access-token.js';
import { cli } from '../helpers/cli.js';
import { makeDeps } from '../helpers/deps.js';

const operator = { name: 'cli' };

/** Deps whose log lines are kept, with a key ring that has not loaded (or created) anything yet. */
async function setup() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  const deps = await makeDeps({ log, refreshKeys: false });
  const keyLines = () =>
    lines.filter((l) => String(l.msg).includes('key')).map(({ msg, kid, successor }) => ({ msg, kid, ...(successor ? { successor } : {}) }));
  const sign = () => issueAccessToken(deps, { subject: 's', clientId: 'c', scope: '', audience: 'a', sid: null });
  return { deps, lines, keyLines, sign };
}

describe('changes of the signing key are logged when they happen', () => {
  it('created, signing, activated, retired and removed', async () => {
    const { deps, keyLines, sign } = await setup();
    const ttl = deps.config.accessTokenTtl;
    await deps.keys.refresh(deps.clock.now());
    const first = deps.keys.states(deps.clock.now()).active!.kid;
    expect(keyLines()).toEqual([
      { msg: 'signing key created', kid: first },
      { msg: 'signing with key', kid: first },
    ]);

    const next = await rotateKeys(deps, operator, { immediate: false });
    expect(keyLines().slice(2)).toEqual([{ msg: 'signing key created', kid: next.kid }, expect.objectContaining({ msg: 'key rotated', kid: next.kid })]);

    // The successor signs from its activation time: the first token it signs says so, before any refresh.
    deps.clock.advance(next.pre_publish_seconds);
    await sign();
    expect(keyLines().slice(4)).toEqual([
      { msg: 'signing key activated', kid: next.kid },
      { msg: 'signing key retired: published until its tokens have expired', kid: first, successor: next.kid },
    ]);

    deps.clock.advance(ttl + 60);
    await deps.keys.refresh(deps.clock.now());
    expect(keyLines().slice(6)).toEqual([{ msg: 'signing key removed: no token it signed is still valid', kid: first }]);
  });

  it('`keys rotate --now` over a pending key says it dropped it, and the JWKS leaves it out', async () => {
    const { deps, keyLines } = await setup();
    await deps.keys.refresh(deps.clock.now());
    const pending = await rotateKeys(deps, operator, { immediate: false });
    expect(pending.dropped_pending).toEqual([]);

    const out = await cli(deps, ['keys', 'rotate', '--now']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`dropped the pending key ${pending.kid}: it was published but had not signed yet, and now never will.`);
    const emergency = deps.keys.states(deps.clock.now()).active!.kid;
    expect(keyLines()).toContainEqual({ msg: 'pending signing key dropped: it will never sign', kid: pending.kid, successor: emergency });
    expect(deps.keys.jwks(deps.clock.now()).keys.map((k) => k.kid)).not.toContain(pending.kid);

    // Without a pending key there is nothing to drop, and nothing is said.
    const again = await cli(deps, ['keys', 'rotate', '--now', '--json']);
    expect(JSON.parse(again.stdout).key.dropped_pending).toEqual([]);
  });
});
