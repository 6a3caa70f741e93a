import type { User } from '../../domain/types.js';

/**
 * The browser a sign-in happens in, as its route gives it: the session cookie it sent, how to set a new
 * one, and its CSRF token, which binds a second-step page to it.
 */
export type SignInBrowser = { sessionCookie: string | undefined; setSessionCookie(value: string): void; csrfToken: string };

/**
 * What the person has proved: who they are, when the proof began (`authTime`), how (RFC 8176 `amr`), and
 * the upstream provider when it went through one.
 */
export type SignInProof = { user: User; authTime: number; amr: readonly string[]; provider?: string | null };
