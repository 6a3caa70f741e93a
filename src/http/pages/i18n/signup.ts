import type { Catalog } from './catalog.js';

export type SignupText = {
  title: string;
  lead: string;
  username: string;
  usernameHint: string;
  email: string;
  emailHint: string;
  password: string;
  submit: string;
  /** The login page's link here. */
  loginLink: string;
  problems: { username_invalid: string; username_taken: string; email_invalid: string; too_many: string };
  doneTitle: string;
  done: (address: string) => string;
  doneNoMail: string;
  doneNext: string;
};

export const signupText = {
  en: {
    title: 'Create an account',
    lead: 'Choose a username and a password.',
    username: 'Username',
    usernameHint: 'Lower-case letters, digits, dots, dashes and underscores.',
    email: 'E-mail address',
    emailHint: 'We send a link to confirm it. It lets you reset your password.',
    password: 'Password',
    submit: 'Create account',
    loginLink: 'Create an account',
    problems: {
      username_invalid: 'Use 1 to 64 lower-case letters, digits, dots, dashes or underscores.',
      username_taken: 'This username is taken. Choose another.',
      email_invalid: 'Enter an e-mail address like name@example.com.',
      too_many: 'Too many accounts were created from here. Wait an hour, then try again.',
    },
    doneTitle: 'Your account is ready',
    done: (address) => `We sent a link to ${address}. Open it to confirm your address.`,
    doneNoMail: 'This service sends no mail, so your address stays unconfirmed for now.',
    doneNext: 'Go back to the application and sign in.',
  },
  ko: {
    title: '계정 만들기',
    lead: '사용자 이름과 비밀번호를 정하세요.',
    username: '사용자 이름',
    usernameHint: '영문 소문자, 숫자, 점(.), 대시(-), 밑줄(_)을 쓸 수 있습니다.',
    email: '이메일 주소',
    emailHint: '확인 링크를 보내 드립니다. 비밀번호를 잊었을 때 이 주소로 재설정할 수 있습니다.',
    password: '비밀번호',
    submit: '계정 만들기',
    loginLink: '계정 만들기',
    problems: {
      username_invalid: '영문 소문자, 숫자, 점, 대시, 밑줄로 1~64자를 쓰세요.',
      username_taken: '이미 쓰이는 사용자 이름입니다. 다른 이름을 정하세요.',
      email_invalid: 'name@example.com 같은 이메일 주소를 입력하세요.',
      too_many: '이곳에서 너무 많은 계정이 만들어졌습니다. 한 시간 뒤에 다시 시도하세요.',
    },
    doneTitle: '계정이 만들어졌습니다',
    done: (address) => `${address}(으)로 링크를 보냈습니다. 링크를 열어 주소를 확인해 주세요.`,
    doneNoMail: '이 서비스는 메일을 보내지 않으므로 주소는 아직 확인되지 않은 상태입니다.',
    doneNext: '애플리케이션으로 돌아가 로그인하세요.',
  },
} satisfies Catalog<SignupText>;
