/**
 * What every admin DELETE answers (openapi.yaml, Deletion): the id the path names, whether this request
 * ended it (false only when it had already ended: a revoked family, a user without live sessions), and
 * what ended with it.
 */
export type Deletion = { id: string; deleted: boolean; revoked_families: number; unlinked_identities: number };

export const deletion = (id: string, { deleted = true, revokedFamilies = 0, unlinkedIdentities = 0 } = {}): Deletion => ({
  id,
  deleted,
  revoked_families: revokedFamilies,
  unlinked_identities: unlinkedIdentities,
});
