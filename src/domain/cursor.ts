/** Listing cursors are `<epoch ms>:<id>` of the last item, base64url so callers treat them as opaque. */
export const encodeCursor = (at: number, id: string): string => Buffer.from(`${at}:${id}`).toString('base64url');

/** The cursor's position, or null when it is not one that encodeCursor could have made (callers refuse those). */
export function decodeCursor(cursor: string): { at: number; id: string } | null {
  const match = /^(\d{1,15}):([\x21-\x7e]{1,200})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match && encodeCursor(Number(match[1]), match[2]!) === cursor ? { at: Number(match[1]), id: match[2]! } : null;
}
