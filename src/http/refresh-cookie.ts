import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

export const refreshCookieName = '__Host-tessera-rt';

const attributes = { httpOnly: true, secure: true, sameSite: 'Strict', path: '/' } as const;

export const readRefreshCookie = (c: Context): string | undefined => getCookie(c, refreshCookieName) || undefined;

export function setRefreshCookie(c: Context, token: string, maxAgeSeconds: number): void {
  setCookie(c, refreshCookieName, token, { ...attributes, maxAge: Math.max(0, maxAgeSeconds) });
}

export function clearRefreshCookie(c: Context): void {
  deleteCookie(c, refreshCookieName, attributes);
}
