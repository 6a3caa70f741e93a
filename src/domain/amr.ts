// How a person signed in, as RFC 8176 names the methods (amr), and the level that makes (acr). Pure.

/** The acr of a sign-in with two factors, or with a passkey that verified its user. */
export const acrMfa = 'urn:tessera:mfa';
/** The acr of every other sign-in (a password, an upstream provider alone). */
export const acrPwd = 'urn:tessera:pwd';
/** What `acr_values` may ask for, weakest first (metadata `acr_values_supported`). */
export const acrValuesSupported: readonly string[] = [acrPwd, acrMfa];

/**
 * RFC 8176 §2 values Tessera uses: `pwd` a password, `otp` a TOTP or recovery code, `hwk`/`swk` a passkey
 * bound to its device or synced (backed up), `user` the authenticator verified its user, `fed` an upstream
 * provider, `mfa` more than one of these kinds.
 */
export type AmrValue = 'pwd' | 'otp' | 'hwk' | 'swk' | 'user' | 'mfa' | 'fed';

const kinds: Record<Exclude<AmrValue, 'mfa'>, 'know' | 'have' | 'are'> = {
  pwd: 'know',
  fed: 'know',
  otp: 'have',
  hwk: 'have',
  swk: 'have',
  user: 'are',
};

/** The methods used, without repeats, in a stable order, with `mfa` added when they span two kinds of factor. */
export function amrOf(methods: readonly string[]): AmrValue[] {
  const order: AmrValue[] = ['pwd', 'fed', 'otp', 'hwk', 'swk', 'user'];
  const used = order.filter((m) => methods.includes(m));
  const spanned = new Set(used.map((m) => kinds[m as Exclude<AmrValue, 'mfa'>]));
  return spanned.size >= 2 ? [...used, 'mfa'] : used;
}

export const hasMfa = (amr: readonly string[]): boolean => amr.includes('mfa');

export const acrOf = (amr: readonly string[]): string => (hasMfa(amr) ? acrMfa : acrPwd);

/** Stored form: space-separated, as scopes are. */
export const formatAmr = (amr: readonly string[]): string => amr.join(' ');
export const parseAmr = (stored: string | null): AmrValue[] => (stored ? amrOf(stored.split(' ')) : []);

/** Whether a request's acr_values ask for a second factor (step-up). */
export const asksForMfa = (acrValues: readonly string[] | undefined): boolean => (acrValues ?? []).includes(acrMfa);
