import type { Catalog } from '../../domain/locale.js';

/** What every mail is told: the product, the user, and (for a link mail) the link and how long it works. */
export type MailFacts = { brand: string; username: string; address: string; link: string; validSeconds: number; at: Date };

export type MailText = {
  subject: (f: MailFacts) => string;
  greeting: (f: MailFacts) => string;
  lines: (f: MailFacts) => string[];
  action: string;
  footer: (f: MailFacts) => string;
};

export type MailTexts = {
  verify_email: MailText;
  password_reset: MailText;
  password_changed: MailText;
  /** "30 minutes", "24 hours". */
  duration: (seconds: number) => string;
  /** A date and time, in UTC. */
  when: (at: Date) => string;
};

const enDuration = (s: number) => (s % 3600 === 0 ? `${s / 3600} hour${s === 3600 ? '' : 's'}` : `${Math.round(s / 60)} minute${s === 60 ? '' : 's'}`);
const koDuration = (s: number) => (s % 3600 === 0 ? `${s / 3600}시간` : `${Math.round(s / 60)}분`);
const format = (locale: string) => (at: Date) =>
  `${new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(at)} UTC`;

/** The mails, in English and Korean: one short plain message each, the link on a line of its own, nothing remote. */
export const mailText = {
  en: {
    verify_email: {
      subject: (f) => `Confirm your e-mail address for ${f.brand}`,
      greeting: (f) => `Hello ${f.username},`,
      lines: (f) => [
        `please confirm that ${f.address} is the e-mail address of your ${f.brand} account. Open this link and press "Confirm":`,
        `The link works once, for ${enDuration(f.validSeconds)}.`,
      ],
      action: 'Confirm my address',
      footer: () => 'If you did not ask for this, ignore this mail: nothing changes.',
    },
    password_reset: {
      subject: (f) => `Reset your ${f.brand} password`,
      greeting: (f) => `Hello ${f.username},`,
      lines: (f) => [
        `someone (we hope it was you) asked to reset the password of your ${f.brand} account. Open this link to choose a new one:`,
        `The link works once, for ${enDuration(f.validSeconds)}.`,
      ],
      action: 'Choose a new password',
      footer: () => 'If you did not ask for this, ignore this mail: your password stays as it is.',
    },
    password_changed: {
      subject: (f) => `Your ${f.brand} password was changed`,
      greeting: (f) => `Hello ${f.username},`,
      lines: (f) => [
        `the password of your ${f.brand} account was changed on ${format('en')(f.at)}, and you were signed out everywhere.`,
        'If this was not you, reset your password now and tell the people who run the service:',
      ],
      action: 'Reset my password',
      footer: () => 'If it was you, there is nothing more to do.',
    },
    duration: enDuration,
    when: format('en'),
  },
  ko: {
    verify_email: {
      subject: (f) => `${f.brand} 이메일 주소를 확인해 주세요`,
      greeting: (f) => `${f.username}님, 안녕하세요.`,
      lines: (f) => [
        `${f.address} 주소가 ${f.brand} 계정의 이메일 주소가 맞는지 확인해 주세요. 아래 링크를 열고 "확인"을 누르세요.`,
        `이 링크는 ${koDuration(f.validSeconds)} 동안 한 번만 쓸 수 있습니다.`,
      ],
      action: '이메일 주소 확인',
      footer: () => '요청하신 적이 없다면 이 메일을 무시하세요. 아무것도 바뀌지 않습니다.',
    },
    password_reset: {
      subject: (f) => `${f.brand} 비밀번호 재설정`,
      greeting: (f) => `${f.username}님, 안녕하세요.`,
      lines: (f) => [
        `${f.brand} 계정의 비밀번호 재설정이 요청되었습니다. 아래 링크를 열어 새 비밀번호를 정하세요.`,
        `이 링크는 ${koDuration(f.validSeconds)} 동안 한 번만 쓸 수 있습니다.`,
      ],
      action: '새 비밀번호 정하기',
      footer: () => '요청하신 적이 없다면 이 메일을 무시하세요. 비밀번호는 그대로입니다.',
    },
    password_changed: {
      subject: (f) => `${f.brand} 비밀번호가 바뀌었습니다`,
      greeting: (f) => `${f.username}님, 안녕하세요.`,
      lines: (f) => [
        `${format('ko')(f.at)}에 ${f.brand} 계정의 비밀번호가 바뀌었고, 모든 기기에서 로그아웃되었습니다.`,
        '본인이 바꾸지 않았다면 지금 비밀번호를 재설정하고 서비스 운영자에게 알려 주세요.',
      ],
      action: '비밀번호 재설정',
      footer: () => '본인이 바꾸셨다면 더 하실 일은 없습니다.',
    },
    duration: koDuration,
    when: format('ko'),
  },
} satisfies Catalog<MailTexts>;
