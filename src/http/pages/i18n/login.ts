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
  },
} satisfies Catalog<LoginText>;
