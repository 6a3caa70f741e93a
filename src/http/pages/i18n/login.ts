import type { Catalog } from './catalog.js';

export type LoginText = {
  title: string;
  /** Around the application's name: "to continue to NAME". */
  leadBefore: string;
  leadAfter: string;
  username: string;
  password: string;
  submit: string;
  or: string;
  /** Around a provider's name: "Continue with NAME". */
  continueWithBefore: string;
  continueWithAfter: string;
  /** The passkey form's button, and what it says when the passkey did not sign the user in. */
  passkey: string;
  passkeyFailed: string;
};

export const loginText = {
  en: {
    title: 'Sign in',
    leadBefore: 'to continue to ',
    leadAfter: '',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    or: 'or',
    continueWithBefore: 'Continue with ',
    continueWithAfter: '',
    passkey: 'Sign in with a passkey',
    passkeyFailed: 'That passkey could not sign you in. Try again, or use your password.',
  },
  ko: {
    title: '로그인',
    leadBefore: '',
    leadAfter: ' 서비스를 계속 이용하려면 로그인하세요',
    username: '아이디',
    password: '비밀번호',
    submit: '로그인',
    or: '또는',
    continueWithBefore: '',
    continueWithAfter: '(으)로 계속하기',
    passkey: '패스키로 로그인',
    passkeyFailed: '이 패스키로 로그인할 수 없습니다. 다시 시도하거나 비밀번호를 사용하세요.',
  },
} satisfies Catalog<LoginText>;
