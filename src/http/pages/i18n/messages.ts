import type { MessageKey } from '../../../domain/messages.js';
import type { Catalog } from './catalog.js';

/** Every message a service can put on a page (domain/messages.ts); `{provider}` stands for the upstream provider's name. */
export type MessageText = Record<MessageKey, string>;

export const messageText = {
  en: {
    loginFailed: 'The username or password is incorrect.',
    tooManyAttempts: 'Too many failed sign-ins. Wait a minute, then try again.',
    upstreamExpired: 'This sign-in has expired or was started in another browser.',
    upstreamUsed: 'This sign-in was already completed or has expired. Try again.',
    upstreamGone: 'Signing in with this provider is no longer offered. Use another way to sign in.',
    upstreamCancelled: 'Signing in with {provider} was cancelled. Choose how to sign in.',
    upstreamRefused: '{provider} did not sign you in. Try again, or use another way to sign in.',
    upstreamUnreachable: '{provider} cannot be reached right now. Try again later, or use another way to sign in.',
    upstreamUnverified: 'Tessera could not confirm your sign-in with {provider}. Try again, or use another way to sign in.',
    upstreamNoAccount:
      'No account here is linked to this {provider} account, and new accounts cannot be created with {provider}. Sign in with your password, or ask an administrator.',
    upstreamAmbiguous: 'Several accounts here use the e-mail address of this {provider} account, so it cannot be linked to one. Ask an administrator.',
    upstreamUnusable: '{provider} sent account details that Tessera cannot accept. Use another way to sign in, or ask an administrator.',
    accountDisabled: 'This account is disabled.',
    upstreamTooMany: 'Too many sign-ins were started from here. Wait a minute, then try again.',
    upstreamLinkedElsewhere: 'This {provider} account is already linked to another account here, so it cannot be linked to yours.',
    badRequest:
      'The application that sent you here asked for something we cannot do, so nothing has changed. Go back to the application and try again. If it happens again, tell the people who run it.',
    formExpired: 'This form has expired or was not sent from this site, so nothing has changed. Go back to the application and start again.',
    tooManySignIns: 'Too many sign-in attempts. Wait a minute, then try again.',
    serverError: 'Something went wrong on our side, and nothing has changed. Try again in a minute.',
    signInExpired: 'This sign-in page has expired. Go back to the application and start again.',
    pageExpired: 'This page has expired. Go back to the application and start again.',
    consentUnanswered: 'The answer must be allow or deny.',
    accountNotFound: 'There is no such session or identity in your account.',
    passkeyFailed: 'That passkey could not sign you in. Try again, or use your password.',
  },
  ko: {
    loginFailed: '아이디 또는 비밀번호가 올바르지 않습니다.',
    tooManyAttempts: '로그인 시도가 너무 많습니다. 잠시 후 다시 시도해 주세요.',
    upstreamExpired: '로그인 시간이 만료되었거나 다른 브라우저에서 시작된 로그인입니다.',
    upstreamUsed: '이미 완료되었거나 만료된 로그인입니다. 다시 시도해 주세요.',
    upstreamGone: '이 서비스로 로그인하는 기능은 더 이상 제공되지 않습니다. 다른 방법으로 로그인해 주세요.',
    upstreamCancelled: '{provider} 로그인이 취소되었습니다. 로그인 방법을 선택해 주세요.',
    upstreamRefused: '{provider}에서 로그인하지 못했습니다. 다시 시도하거나 다른 방법으로 로그인해 주세요.',
    upstreamUnreachable: '지금은 {provider}에 연결할 수 없습니다. 나중에 다시 시도하거나 다른 방법으로 로그인해 주세요.',
    upstreamUnverified: '{provider} 로그인을 확인하지 못했습니다. 다시 시도하거나 다른 방법으로 로그인해 주세요.',
    upstreamNoAccount:
      '이 {provider} 계정과 연결된 계정이 없으며, {provider}(으)로는 새 계정을 만들 수 없습니다. 비밀번호로 로그인하거나 관리자에게 문의해 주세요.',
    upstreamAmbiguous: '이 {provider} 계정의 이메일 주소를 사용하는 계정이 여러 개 있어 연결할 수 없습니다. 관리자에게 문의해 주세요.',
    upstreamUnusable: '{provider}에서 받은 계정 정보를 사용할 수 없습니다. 다른 방법으로 로그인하거나 관리자에게 문의해 주세요.',
    accountDisabled: '사용이 중지된 계정입니다.',
    upstreamTooMany: '이곳에서 시작된 로그인이 너무 많습니다. 잠시 후 다시 시도해 주세요.',
    upstreamLinkedElsewhere: '이 {provider} 계정은 이미 다른 계정에 연결되어 있어 내 계정에 연결할 수 없습니다.',
    badRequest:
      '이 페이지로 보낸 애플리케이션의 요청을 처리할 수 없어 아무것도 변경되지 않았습니다. 애플리케이션으로 돌아가 다시 시도해 주세요. 문제가 계속되면 애플리케이션 운영자에게 알려 주세요.',
    formExpired: '이 양식이 만료되었거나 이 사이트에서 보낸 것이 아니어서 아무것도 변경되지 않았습니다. 애플리케이션으로 돌아가 처음부터 다시 시작해 주세요.',
    tooManySignIns: '로그인 시도가 너무 많습니다. 잠시 후 다시 시도해 주세요.',
    serverError: '일시적인 오류가 발생했으며 아무것도 변경되지 않았습니다. 잠시 후 다시 시도해 주세요.',
    signInExpired: '로그인 페이지가 만료되었습니다. 애플리케이션으로 돌아가 처음부터 다시 시작해 주세요.',
    pageExpired: '페이지가 만료되었습니다. 애플리케이션으로 돌아가 처음부터 다시 시작해 주세요.',
    consentUnanswered: '허용 또는 거부 중 하나를 선택해야 합니다.',
    accountNotFound: '내 계정에 해당 세션이나 연결된 계정이 없습니다.',
    passkeyFailed: '이 패스키로 로그인할 수 없습니다. 다시 시도하거나 비밀번호를 사용하세요.',
  },
} satisfies Catalog<MessageText>;
