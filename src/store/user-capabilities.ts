import type { Api, Role } from '../domain/apis.js';
import type { Audited } from '../domain/audit.js';
import type { MailLink, MailLinkPurpose, QueuedMail, MailOutcome } from '../domain/mail.js';
import type { ChallengePurpose, Factor, Passkey, WebAuthnChallenge } from '../domain/factors.js';
import type { ApiChanges, Events, MailAttempt } from './inputs.js';

// The store capabilities behind what users do themselves (mailed links, second factors) and what they may reach (APIs
// and roles); part of the Store in ./types.ts, which re-exports them.

/** Accounts their users run: mailed single-use links and the mail queue (./accounts.ts). */
export interface AccountsStore {
  /** Throws Conflict when the hash is taken. */
  insertMailLink(link: MailLink): Promise<void>;
  findMailLink(hash: string): Promise<MailLink | null>;
  /** Marks the link used, only when it has this purpose, is unused and has not expired at `now`; returns it, or null, changing nothing. Of concurrent calls at most one gets it. */
  consumeMailLink(hash: string, purpose: MailLinkPurpose, now: number): Promise<MailLink | null>;
  /** Marks the user's address verified, only while it is still `address` and unverified, with `events`; false when nothing changed. */
  markEmailVerified(userId: string, address: string, now: number, events?: Events): Promise<boolean>;
  queueMail(mail: QueuedMail): Promise<void>;
  /** Leases a mail that is due at `now` and not leased, to `owner` for `leaseMs`; of instances claiming at once, each mail goes to one. */
  claimMail(owner: string, now: number, leaseMs: number): Promise<QueuedMail | null>;
  /** Records an attempt and gives the lease back; false, changing nothing, when `owner` no longer held it. */
  finishMail(id: string, owner: string, attempt: MailAttempt): Promise<boolean>;
  findMail(id: string): Promise<(QueuedMail & { doneAt: number | null; outcome: MailOutcome | null }) | null>;
}

/** APIs and roles (./apis.ts). */
export interface ApisStore {
  /** Throws Conflict when the id or the identifier is taken. */
  insertApi(api: Api, events?: Events, audited?: Audited): Promise<void>;
  findApi(id: string): Promise<Api | null>;
  findApiByIdentifier(identifier: string): Promise<Api | null>;
  /** By id. */
  listApis(): Promise<Api[]>;
  /** The APIs open to dynamic client registration, by id. */
  listRegistrationApis(): Promise<Api[]>;
  /** Applies `changes` and returns the API as it is now; null when there is none; Conflict when the identifier is taken. */
  updateApi(id: string, changes: ApiChanges, now: number, events?: Events, audited?: Audited): Promise<Api | null>;
  /** Deletes the API; false when there was none. Clients and roles naming it are left to the caller. */
  deleteApi(id: string, now: number, events?: Events, audited?: Audited): Promise<boolean>;

  /** Throws Conflict when the name is taken. */
  insertRole(role: Role, events?: Events, audited?: Audited): Promise<void>;
  findRole(name: string): Promise<Role | null>;
  /** By name. */
  listRoles(): Promise<Role[]>;
  /** Replaces a role's grants; false when there is no such role. */
  updateRole(name: string, grants: string[]): Promise<boolean>;
  /** Deletes the role and takes it from every user that had it; false when there was none. */
  deleteRole(name: string, now: number, events?: Events, audited?: Audited): Promise<boolean>;
  /** Gives the user exactly these roles (names of existing roles), replacing those it had. */
  setUserRoles(userId: string, roles: readonly string[], now: number, events?: Events, audited?: Audited): Promise<void>;
  /** The names of the user's roles, sorted. */
  listUserRoles(userId: string): Promise<string[]>;
  /** Every `apiId:scope` the user's roles grant, without duplicates. */
  userRoleGrants(userId: string): Promise<string[]>;
}

/** Second factors, passkeys and WebAuthn challenges (./factors.ts). */
export interface FactorsStore {
  /** A user's factors (TOTP secrets, confirmed or not, and recovery codes, spent or not), oldest first. */
  listFactors(userId: string): Promise<Factor[]>;
  /** Adds an unconfirmed TOTP secret, replacing the user's earlier unconfirmed one. */
  startTotp(factor: Factor): Promise<void>;
  /**
   * Confirms the TOTP secret `id` at `step`, replacing the user's earlier confirmed one; false, changing nothing,
   * when it is not the user's unconfirmed secret.
   */
  confirmTotp(userId: string, id: string, step: number, now: number, events?: Events, audited?: Audited): Promise<boolean>;
  /** Accepts time step `step` of the confirmed secret `id` only when it is later than the last one accepted; atomic. */
  useTotpStep(id: string, step: number): Promise<boolean>;
  /** Replaces the user's recovery codes with these. */
  replaceRecoveryCodes(userId: string, codes: Factor[], events?: Events, audited?: Audited): Promise<void>;
  /** Spends the unused recovery code with this hash; false when there is none. Of concurrent calls at most one succeeds. */
  useRecoveryCode(userId: string, hash: string, now: number): Promise<boolean>;
  /** Removes the user's factors of this kind (and for TOTP the secret); returns how many went. */
  deleteFactors(userId: string, kind: Factor['kind'], now: number, events?: Events, audited?: Audited): Promise<number>;

  /** Throws Conflict when the credential is registered already. */
  insertPasskey(passkey: Passkey, events?: Events, audited?: Audited): Promise<void>;
  findPasskey(credentialId: string): Promise<Passkey | null>;
  /** Oldest first. */
  listPasskeys(userId: string): Promise<Passkey[]>;
  /** Records a sign-in with it: the authenticator's counter and backup state. */
  recordPasskeyUse(credentialId: string, counter: number, backedUp: boolean, now: number): Promise<void>;
  /** False when the user has no such passkey. */
  deletePasskey(userId: string, credentialId: string, now: number, events?: Events, audited?: Audited): Promise<boolean>;
  /**
   * Removes every factor and passkey of the user; returns how many went. `audited`, given that count, is the change's
   * audit side, written in its transaction even when nothing went; the events only when something did.
   */
  deleteAllFactors(userId: string, now: number, events?: Events, audited?: (removed: number) => Audited): Promise<number>;

  insertChallenge(challenge: WebAuthnChallenge): Promise<void>;
  /** Uses the challenge up when it is unused, of this purpose and unexpired at `now`; returns it, or null. At most one caller gets it. */
  consumeChallenge(id: string, purpose: ChallengePurpose, now: number): Promise<WebAuthnChallenge | null>;
}
