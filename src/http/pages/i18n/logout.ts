import type { Catalog } from './catalog.js';

export type LogoutText = {
  title: string;
  heading: (brand: string) => string;
  /** After the application's name: "NAME asks to sign you out." */
  asks: string;
  signedInAsBefore: string;
  signedInAsAfter: string;
  submit: string;
  notAsked: string;
  signedOutTitle: string;
  signedOutHeading: string;
  noLonger: (brand: string) => string;
  closeWindow: string;
  backTo: (name: string) => string;
};

export const logoutText = {
  en: {
    title: 'Sign out',
    heading: (brand) => `Sign out of ${brand}?`,
    asks: ' asks to sign you out. ',
    signedInAsBefore: 'You are signed in as ',
    signedInAsAfter: '.',
    submit: 'Sign out',
    notAsked: 'If you did not ask to sign out, close this page: you stay signed in.',
    signedOutTitle: 'Signed out',
    signedOutHeading: 'You are signed out',
    noLonger: (brand) => `You are no longer signed in to ${brand} in this browser.`,
    closeWindow: 'You can close this window now.',
    backTo: (name) => `Back to ${name}`,
  },
  ko: {
    title: '로그아웃',
    heading: (brand) => `${brand}에서 로그아웃할까요?`,
    asks: '에서 로그아웃을 요청했습니다. ',
    signedInAsBefore: '현재 ',
    signedInAsAfter: ' 계정으로 로그인되어 있습니다.',
    submit: '로그아웃',
    notAsked: '로그아웃을 요청하지 않았다면 이 페이지를 닫으세요. 로그인 상태가 유지됩니다.',
    signedOutTitle: '로그아웃됨',
    signedOutHeading: '로그아웃되었습니다',
    noLonger: (brand) => `이 브라우저에서 ${brand} 로그아웃이 완료되었습니다.`,
    closeWindow: '이제 이 창을 닫아도 됩니다.',
    backTo: (name) => `${name}(으)로 돌아가기`,
  },
} satisfies Catalog<LogoutText>;
