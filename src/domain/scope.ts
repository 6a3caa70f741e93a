/** Space-delimited scope strings (RFC 6749 §3.3) as ordered, duplicate-free lists. */
export const parseScope = (raw: string | undefined | null): string[] => (raw ? [...new Set(raw.split(' ').filter((s) => s !== ''))] : []);

export const formatScope = (scopes: readonly string[]): string => scopes.join(' ');

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
export const isValidScopeToken = (token: string): boolean => /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(token);

export const isSubset = (requested: readonly string[], allowed: readonly string[]): boolean => requested.every((s) => allowed.includes(s));

export const intersect = (a: readonly string[], b: readonly string[]): string[] => a.filter((s) => b.includes(s));

/** Scopes that open operator powers: a user gets one only when an operator listed it on that user. */
export const privilegedScopes: readonly string[] = ['admin', 'introspect'];

/**
 * The scopes a login of `user` through `client` may be granted: the client's, narrowed to the
 * user's own list when it has one; without a list, never a privileged scope.
 */
export const userScopeCeiling = (clientScopes: readonly string[], userScopes: readonly string[] | null): string[] =>
  userScopes === null ? clientScopes.filter((s) => !privilegedScopes.includes(s)) : intersect(clientScopes, userScopes);
