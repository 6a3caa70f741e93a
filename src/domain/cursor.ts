/** Listing cursors are `<epoch ms>:<id>` of the last item, base64url so callers treat them as opaque. */
export const encodeCursor = (at: number, id: string): string => Buffer.from(`${at}:${id}`).toString('base64url');

/**
 * One page of a list the store gives whole (clients, providers: an operator's few), in id order: at most
 * `limit` items after `cursor`, whose id part is the last id shown.
 */
export function pageById<T extends { id: string; createdAt: number }>(all: readonly T[], { cursor, limit }: { cursor?: string; limit: number }) {
  const after = cursor === undefined ? null : decodeCursor(cursor);
  const rest = [...all].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).filter((item) => after === null || item.id > after.id);
  const items = rest.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rest.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

/** The cursor's position, or null when it is not one that encodeCursor could have made (callers refuse those). */
export function decodeCursor(cursor: string): { at: number; id: string } | null {
  const match = /^(\d{1,15}):([\x21-\x7e]{1,200})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match && encodeCursor(Number(match[1]), match[2]!) === cursor ? { at: Number(match[1]), id: match[2]! } : null;
}
