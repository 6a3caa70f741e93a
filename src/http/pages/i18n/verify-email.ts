import type { Catalog } from './catalog.js';

export type VerifyEmailText = {
  title: string;
  lead: (address: string, username: string) => string;
  submit: string;
  doneTitle: string;
  done: (address: string) => string;
  invalidTitle: string;
  invalid: string;
};

export const verifyEmailText = {
  en: {
    title: 'Confirm your e-mail address',
    lead: (address, username) => `Confirm that ${address} is the e-mail address of the account ${username}.`,
    submit: 'Confirm',
    doneTitle: 'Your address is confirmed',
    done: (address) => `${address} is now the confirmed address of your account. You can close this page.`,
    invalidTitle: 'This link does not work',
    invalid: 'It was used already, it expired, or the account has another address now. Sign in and ask for a new link from your account page.',
  },
  ko: {
    title: '이메일 주소 확인',
    lead: (address, username) => `${address} 주소가 ${username} 계정의 이메일 주소가 맞는지 확인해 주세요.`,
    submit: '확인',
    doneTitle: '주소가 확인되었습니다',
    done: (address) => `${address} 주소가 계정의 확인된 주소가 되었습니다. 이 페이지를 닫으셔도 됩니다.`,
    invalidTitle: '이 링크는 쓸 수 없습니다',
    invalid: '이미 쓰였거나, 만료되었거나, 계정의 주소가 바뀌었습니다. 로그인한 뒤 계정 페이지에서 새 링크를 요청하세요.',
  },
} satisfies Catalog<VerifyEmailText>;
