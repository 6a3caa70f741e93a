import type { PageMessage } from '../../domain/messages.js';
import { InvalidInput } from '../../errors/domain.js';
import type { AuthorizeOutcome } from '../authorize.js';
import { recordAudit } from '../audit.js';
import type { Actor, Deps } from '../deps.js';
import { verifyPasskey } from '../factors/passkeys.js';
import { completeSignIn, type SignInBrowser } from './complete.js';
import { loginStep } from './continue.js';
import type { PendingSignIn } from './resume.js';

export const passkeyFailedMessage: PageMessage = { key: 'passkeyFailed' };

/**
 * "Sign in with a passkey" on the login page: a discoverable credential whose authenticator verified its
 * user is a whole sign-in (possession and the user's PIN or biometric: amr hwk|swk, user, mfa). One that
 * did not verify its user, or does not hold, shows the login page again.
 */
export async function signInWithPasskey(
  deps: Deps,
  actor: Actor,
  input: { pending: PendingSignIn; credential: string | undefined; browser: SignInBrowser },
): Promise<AuthorizeOutcome> {
  const { pending } = input;
  const proof = await verifyPasskey(deps, input.credential, null).catch((error: unknown) => {
    if (error instanceof InvalidInput) return null;
    throw error;
  });
  if (!proof?.userVerified) return loginStep(deps, pending, { error: { message: passkeyFailedMessage } });
  await recordAudit(deps, actor, {
    type: 'factor.used',
    userId: proof.user.id,
    clientId: pending.client.id,
    details: { kind: 'passkey', name: proof.passkey.name },
  });
  const signIn = { user: proof.user, authTime: deps.clock.now().getTime(), amr: proof.amr };
  return completeSignIn(deps, actor, { pending, proof: signIn, browser: input.browser, done: ['login', 'second_factor'] });
}
