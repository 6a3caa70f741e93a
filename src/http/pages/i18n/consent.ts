import type { Catalog } from './catalog.js';

type ScopeText = { title: string; text: string };

export type ConsentText = {
  title: string;
  /** Around the application's name: "Allow NAME to access your account?". */
  headingBefore: string;
  headingAfter: string;
  notOurs: (brand: string) => string;
  signInOnly: ScopeText;
  deny: string;
  allow: string;
  signedInAs: string;
  /** What each scope Tessera knows lets an application do; an operator's own scope shows its name only. */
  scopes: Record<string, ScopeText>;
  /** The heading over one API's scopes (contract section 14). */
  apiHeading: (api: string) => string;
  /** The heading over the scopes of the account itself (sign-in, profile), when APIs are listed too. */
  accountHeading: string;
  /** An API scope the operator gave no description. */
  noDescription: string;
};

export const consentText = {
  en: {
    title: 'Allow access',
    headingBefore: 'Allow ',
    headingAfter: ' to access your account?',
    notOurs: (brand) => `This application is not made by ${brand}. It is asking for:`,
    signInOnly: { title: 'Sign you in', text: 'No other access to your account' },
    deny: 'Deny',
    allow: 'Allow',
    signedInAs: 'Signed in as ',
    scopes: {
      openid: { title: 'Know it is you', text: 'It learns which account you signed in with here.' },
      profile: { title: 'See your profile', text: 'Your username, and your name, picture and language if your account has them.' },
      email: { title: 'See your e-mail address', text: 'And whether it has been confirmed.' },
      offline_access: { title: 'Stay connected', text: 'It keeps its access while you are away, until you sign out of it or it is revoked.' },
      account: { title: 'Manage your sign-ins', text: 'See where you are signed in and your linked accounts, and sign out other devices.' },
      admin: { title: 'Manage this sign-in service', text: 'Create and change users and applications, and end their sessions.' },
      introspect: { title: 'Check sign-in tokens', text: 'Ask whether tokens issued here are still valid, and whom they belong to.' },
    },
    apiHeading: (api) => `In ${api}`,
    accountHeading: 'Your account',
    noDescription: 'No description given',
  },
  ko: {
    title: '접근 허용',
    headingBefore: '',
    headingAfter: '에서 내 계정에 접근하도록 허용할까요?',
    notOurs: (brand) => `이 애플리케이션은 ${brand}에서 만든 것이 아닙니다. 다음 권한을 요청합니다.`,
    signInOnly: { title: '로그인', text: '계정에 대한 다른 접근 권한은 없습니다' },
    deny: '거부',
    allow: '허용',
    signedInAs: '로그인한 계정: ',
    scopes: {
      openid: { title: '본인 확인', text: '여기에서 로그인한 계정이 무엇인지 알 수 있습니다.' },
      profile: { title: '프로필 보기', text: '아이디와, 계정에 있는 경우 이름·사진·언어를 볼 수 있습니다.' },
      email: { title: '이메일 주소 보기', text: '이메일 주소와 인증 여부를 볼 수 있습니다.' },
      offline_access: { title: '연결 유지', text: '로그아웃하거나 권한이 취소될 때까지, 사용자가 없는 동안에도 접근 권한을 유지합니다.' },
      account: { title: '로그인 관리', text: '로그인된 기기와 연결된 계정을 보고, 다른 기기에서 로그아웃할 수 있습니다.' },
      admin: { title: '로그인 서비스 관리', text: '사용자와 애플리케이션을 만들고 변경하며, 세션을 종료할 수 있습니다.' },
      introspect: { title: '로그인 토큰 확인', text: '여기에서 발급된 토큰이 아직 유효한지, 누구의 것인지 확인할 수 있습니다.' },
    },
    apiHeading: (api) => `${api}에서`,
    accountHeading: '내 계정',
    noDescription: '설명이 없습니다',
  },
} satisfies Catalog<ConsentText>;
