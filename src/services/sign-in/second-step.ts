import type { AuthorizeOutcome, SecondStepError } from '../authorize.js';
import type { Uses } from '../deps.js';
import type { FactorSummary } from '../factors/summary.js';
import type { SignInBrowser, SignInProof } from './types.js';
import type { PendingSignIn } from './resume.js';
import { browserBinding, sealSecondStep } from './second-step-state.js';

/**
 * The second step's page (contract section 12): a code from the authenticator app, the user's passkeys,
 * or a recovery code. What was proved so far rides sealed in its form; nothing is issued before it passes.
 */
export async function secondStep(
  deps: Uses<'clock' | 'config' | 'keys'>,
  input: { pending: PendingSignIn; proof: SignInProof; summary: FactorSummary; browser: Pick<SignInBrowser, 'csrfToken'>; error?: SecondStepError },
): Promise<AuthorizeOutcome> {
  const { pending, proof, summary } = input;
  const sealedState = await sealSecondStep(deps, {
    request: pending.request,
    userId: proof.user.id,
    authTime: proof.authTime,
    amr: [...proof.amr],
    provider: proof.provider ?? null,
    browser: browserBinding(input.browser.csrfToken),
    passed: false,
  });
  return {
    kind: 'second-step',
    ...pending,
    user: proof.user,
    sealedState,
    methods: { totp: summary.totp, passkeys: summary.passkeys.length > 0, recoveryCodes: summary.recoveryCodesLeft > 0 },
    ...(input.error ? { error: input.error } : {}),
  };
}
