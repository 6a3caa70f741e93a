/**
 * The messages people read on the hosted pages, by key: services say which one, and each page's
 * catalog says it in the person's language (http/pages/i18n/messages.ts). `provider` names the
 * upstream provider in the messages about one.
 */
export const messageKeys = [
  'loginFailed',
  'tooManyAttempts',
  'upstreamExpired',
  'upstreamUsed',
  'upstreamGone',
  'upstreamCancelled',
  'upstreamRefused',
  'upstreamUnreachable',
  'upstreamUnverified',
  'upstreamNoAccount',
  'upstreamAmbiguous',
  'upstreamUnusable',
  'accountDisabled',
  'upstreamTooMany',
  'upstreamLinkedElsewhere',
  'badRequest',
  'formExpired',
  'tooManySignIns',
  'serverError',
  'signInExpired',
  'pageExpired',
  'consentUnanswered',
  'accountNotFound',
  'passkeyFailed',
] as const;
export type MessageKey = (typeof messageKeys)[number];

export type PageMessage = { key: MessageKey; provider?: string };
