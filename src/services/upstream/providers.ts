import type { AuditStore, UpstreamStore } from '../../store/types.js';
import { pageById } from '../../domain/cursor.js';
import { formatScope, isValidScopeToken, parseScope } from '../../domain/scope.js';
import type { Identity, Provider } from '../../domain/upstream.js';
import { textProblem } from '../../domain/text.js';
import { Conflict, InvalidInput, NotFound } from '../../errors/domain.js';
import { excerpt } from '../../lib/excerpt.js';
import { recordAudit } from '../audit.js';
import type { Actor, Uses } from '../deps.js';
import { pageInput, type PageInput } from '../inputs.js';
import { discover, issuerProblem, storedSecret, UpstreamError } from './client.js';

// The operator's side of upstream providers: `tessera providers …` and /admin/providers.

export type NewProvider = {
  id: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  name?: string | null;
  scope?: string | null;
  signup?: boolean;
  linkByEmail?: boolean;
  /** Whether services may exchange its id_tokens for Tessera access tokens (RFC 8693). */
  allowTokenExchange?: boolean;
};

export const defaultProviderScope = 'openid email profile';

const iso = (ms: number) => new Date(ms).toISOString();

/** The redirect URI to register at the provider. */
export const upstreamRedirectUri = (issuer: string, providerId: string) => `${issuer}/upstream/${providerId}/callback`;

/** What operators see of a provider: never its client secret. */
export const providerView = (deps: Uses<'config'>, p: Provider) => ({
  id: p.id,
  name: p.name,
  issuer: p.issuer,
  client_id: p.clientId,
  scope: p.scope,
  signup: p.signup,
  link_by_email: p.linkByEmail,
  allow_token_exchange: p.allowTokenExchange,
  redirect_uri: upstreamRedirectUri(deps.config.issuer, p.id),
  created_at: iso(p.createdAt),
});

export const identityView = (i: Identity) => ({ provider: i.providerId, subject: i.subject, email: i.email, linked_at: iso(i.linkedAt) });

export type ProviderView = ReturnType<typeof providerView>;

const printable = (value: string, max: number) => value.length > 0 && textProblem('text', value, max) === null;

function checkNewProvider(input: NewProvider): { name: string; scope: string } {
  if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(input.id))
    throw new InvalidInput('provider id must be 1-32 lowercase letters, digits, "-" or "_" (it names the redirect URI)');
  const issuer = issuerProblem(input.issuer);
  if (issuer) throw new InvalidInput(issuer);
  if (!printable(input.clientId, 512)) throw new InvalidInput('client id must be 1-512 printable characters');
  if (!printable(input.clientSecret, 2048)) throw new InvalidInput('client secret must be 1-2048 printable characters');
  const name = input.name ?? input.id.charAt(0).toUpperCase() + input.id.slice(1);
  if (!printable(name, 60)) throw new InvalidInput('name must be 1-60 printable characters');
  const scopes = parseScope(input.scope ?? defaultProviderScope);
  const bad = scopes.find((s) => !isValidScopeToken(s));
  if (bad !== undefined) throw new InvalidInput(`invalid scope "${excerpt(bad)}"`);
  if (!scopes.includes('openid')) throw new InvalidInput('scope must include openid');
  return { name, scope: formatScope(scopes) };
}

/**
 * Adds a provider after discovering it: an issuer that cannot be reached or whose metadata is wrong
 * is refused with the reason, so a typo shows now and not at a user's first sign-in.
 */
export async function addProvider(deps: Uses<'clock' | 'config' | 'ids', AuditStore & UpstreamStore>, actor: Actor, input: NewProvider): Promise<ProviderView> {
  const { name, scope } = checkNewProvider(input);
  const issuer = input.issuer.replace(/\/+$/, '');
  if (await deps.store.findProvider(input.id)) throw new Conflict(`provider "${input.id}" already exists`);
  try {
    await discover(deps.config, issuer, input.clientId, input.clientSecret);
  } catch (error) {
    if (error instanceof UpstreamError) throw new InvalidInput(error.message);
    throw error;
  }
  const provider: Provider = {
    id: input.id,
    issuer,
    clientId: input.clientId,
    clientSecret: storedSecret(deps.config, input.id, input.clientSecret),
    name,
    scope,
    signup: input.signup ?? true,
    linkByEmail: input.linkByEmail ?? false,
    allowTokenExchange: input.allowTokenExchange ?? false,
    createdAt: deps.clock.now().getTime(),
  };
  try {
    await deps.store.insertProvider(provider);
  } catch (error) {
    if (error instanceof Conflict) throw new Conflict(`provider "${input.id}" already exists`);
    throw error;
  }
  const view = providerView(deps, provider);
  const { created_at: _, ...details } = view;
  await recordAudit(deps, actor, { type: 'provider.added', details });
  return view;
}

export async function listProviders(deps: Uses<'config', UpstreamStore>, page: PageInput) {
  const { items, nextCursor } = pageById(await deps.store.listProviders(), pageInput(page));
  return { providers: items.map((p) => providerView(deps, p)), next_cursor: nextCursor };
}

/** Removes the provider and the identities linked through it; its users keep their accounts and other ways in. */
export async function removeProvider(
  deps: Uses<'clock' | 'ids', AuditStore & UpstreamStore>,
  actor: Actor,
  id: string,
): Promise<{ provider: string; removed: true; unlinked_identities: number }> {
  const unlinked = await deps.store.deleteProvider(id);
  if (unlinked === null) throw new NotFound(`no provider "${excerpt(id)}"`);
  await recordAudit(deps, actor, { type: 'provider.removed', details: { provider: id, unlinked_identities: unlinked } });
  return { provider: id, removed: true, unlinked_identities: unlinked };
}

export async function listUserIdentities(deps: Uses<never, UpstreamStore>, userId: string) {
  return (await deps.store.listIdentities(userId)).map(identityView);
}

/** Unlinks the user's identity at a provider: signing in there again makes a new user, or links by e-mail if the provider allows. */
export async function unlinkIdentity(
  deps: Uses<'clock' | 'ids', AuditStore & UpstreamStore>,
  actor: Actor,
  userId: string,
  providerId: string,
): Promise<{ user_id: string; provider: string; unlinked: true }> {
  const unlinked = [{ type: 'identity.unlinked' as const, data: { userId, providerId } }];
  if (!(await deps.store.deleteIdentity(providerId, userId, deps.clock.now().getTime(), unlinked)))
    throw new NotFound(`the user has no identity at provider "${excerpt(providerId)}"`);
  await recordAudit(deps, actor, { type: 'identity.unlinked', userId, details: { provider: providerId } });
  return { user_id: userId, provider: providerId, unlinked: true };
}
