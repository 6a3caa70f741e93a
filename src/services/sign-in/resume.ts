import type { ApisStore, ClientsStore } from '../../store/types.js';
import type { AuthorizationRequest } from '../../domain/authorize.js';
import type { Client } from '../../domain/types.js';
import { recheckRequest, type AuthorizeOutcome } from '../authorize.js';
import type { Uses } from '../deps.js';
import { openPendingRequest } from '../pending-request.js';

/** An authorization request on its way through a sign-in, checked against its client as it is now. */
export type PendingSignIn = { request: AuthorizationRequest; client: Client };

export type Resumed<U = string | null> =
  /** The form or link carried no request of ours, an altered one, or one whose page expired. */
  | { kind: 'expired' }
  /** The request cannot go on (its client changed meanwhile): what /authorize says instead. */
  | { kind: 'outcome'; outcome: AuthorizeOutcome }
  /** `userId`: the user the consent page was shown to. */
  | { kind: 'resumed'; pending: PendingSignIn; userId: U };

/**
 * Resumes the request a sign-in page carried (the sealed `request` of its form or link): opened, then
 * checked once more against its client, which may have changed while the page was open.
 */
export const resumeSignIn = async (deps: Uses<'clock' | 'config' | 'keys', ApisStore & ClientsStore>, sealed: string | undefined): Promise<Resumed> =>
  resume(deps, await openPendingRequest(deps, sealed));

/** As resumeSignIn, for the consent page's answer: only a request sealed for a user's consent resumes. */
export async function resumeConsent(deps: Uses<'clock' | 'config' | 'keys', ApisStore & ClientsStore>, sealed: string | undefined): Promise<Resumed<string>> {
  const opened = await openPendingRequest(deps, sealed);
  return resume(deps, opened?.userId ? { request: opened.request, userId: opened.userId } : null);
}

async function resume<U>(deps: Uses<'config', ApisStore & ClientsStore>, opened: { request: AuthorizationRequest; userId: U } | null): Promise<Resumed<U>> {
  if (!opened) return { kind: 'expired' };
  const checked = await recheckPending(deps, opened.request);
  return checked.kind === 'resumed' ? { ...checked, userId: opened.userId } : checked;
}

/** A request kept while the person was away (at an upstream provider), against its client as it is now. */
export async function recheckPending(
  deps: Uses<'config', ApisStore & ClientsStore>,
  request: AuthorizationRequest,
): Promise<{ kind: 'resumed'; pending: PendingSignIn } | { kind: 'outcome'; outcome: AuthorizeOutcome }> {
  const checked = await recheckRequest(deps, request);
  return 'request' in checked ? { kind: 'resumed', pending: checked } : { kind: 'outcome', outcome: checked };
}
