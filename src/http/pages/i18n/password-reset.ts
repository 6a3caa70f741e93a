import type { Catalog } from './catalog.js';

export type PasswordResetText = {
  title: string;
  lead: string;
  identifier: string;
  submit: string;
  /** The login page's link here. */
  loginLink: string;
  sentTitle: string;
  sent: (minutes: number) => string;
  tooMany: string;
  mailOffTitle: string;
  mailOff: string;
  newTitle: string;
  newLead: (username: string) => string;
  newPassword: string;
  newSubmit: string;
  doneTitle: string;
  done: string;
  invalidTitle: string;
  invalid: string;
  again: string;
};

export const passwordResetText = {
  en: {
    title: 'Forgot your password?',
    lead: 'Enter your username or e-mail address. If it belongs to an account with a confirmed address, we mail it a link to choose a new password.',
    identifier: 'Username or e-mail address',
    submit: 'Send the link',
    loginLink: 'Forgot your password?',
    sentTitle: 'Check your mail',
    sent: (minutes) =>
      `If an account matches, we sent a link to its confirmed e-mail address. It works once, for ${minutes} minutes. Nothing arrived? Check the spam folder, or ask the people who run this service.`,
    tooMany: 'Too many requests for this account or from here. Wait an hour, then try again.',
    mailOffTitle: 'Password reset is not available',
    mailOff: 'This service does not send mail, so it cannot send a reset link. Ask the people who run it to set a new password for you.',
    newTitle: 'Choose a new password',
    newLead: (username) => `For the account ${username}. You will be signed out everywhere.`,
    newPassword: 'New password',
    newSubmit: 'Set the password',
    doneTitle: 'Your password is changed',
    done: 'You were signed out everywhere, and we mailed you a notice. Go back to the application and sign in with the new password.',
    invalidTitle: 'This link does not work',
    invalid: 'It was used already, it expired, or it belongs to an address the account no longer has.',
    again: 'Ask for a new link',
  },
  ko: {
    title: '비밀번호를 잊으셨나요?',
    lead: '사용자 이름이나 이메일 주소를 입력하세요. 확인된 주소가 있는 계정이면 새 비밀번호를 정하는 링크를 메일로 보내 드립니다.',
    identifier: '사용자 이름 또는 이메일 주소',
    submit: '링크 보내기',
    loginLink: '비밀번호를 잊으셨나요?',
    sentTitle: '메일을 확인하세요',
    sent: (minutes) =>
      `일치하는 계정이 있으면 확인된 이메일 주소로 링크를 보냈습니다. 링크는 ${minutes}분 동안 한 번만 쓸 수 있습니다. 메일이 오지 않았다면 스팸함을 확인하거나 서비스 운영자에게 문의하세요.`,
    tooMany: '이 계정이나 이곳에서 요청이 너무 많았습니다. 한 시간 뒤에 다시 시도하세요.',
    mailOffTitle: '비밀번호 재설정을 쓸 수 없습니다',
    mailOff: '이 서비스는 메일을 보내지 않아 재설정 링크를 보낼 수 없습니다. 서비스 운영자에게 새 비밀번호 설정을 요청하세요.',
    newTitle: '새 비밀번호 정하기',
    newLead: (username) => `${username} 계정의 비밀번호입니다. 모든 기기에서 로그아웃됩니다.`,
    newPassword: '새 비밀번호',
    newSubmit: '비밀번호 바꾸기',
    doneTitle: '비밀번호가 바뀌었습니다',
    done: '모든 기기에서 로그아웃되었고, 알림 메일을 보냈습니다. 애플리케이션으로 돌아가 새 비밀번호로 로그인하세요.',
    invalidTitle: '이 링크는 쓸 수 없습니다',
    invalid: '이미 쓰였거나, 만료되었거나, 계정에 더 이상 없는 주소로 보낸 링크입니다.',
    again: '새 링크 요청하기',
  },
} satisfies Catalog<PasswordResetText>;
