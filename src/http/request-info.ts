import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { Actor } from '../services/deps.js';

/** The peer address, or null when the request did not come through a socket (in-process tests). */
export function clientIp(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

export const userAgent = (c: Context): string | null => c.req.header('user-agent')?.slice(0, 512) ?? null;

export const actorFrom = (c: Context, name: string): Actor => ({ name, ip: clientIp(c), userAgent: userAgent(c) });
