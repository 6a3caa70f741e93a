import type { Catalog } from './catalog.js';

/** What a change on the account page came to, shown once after the redirect (`?done=`). */
export const accountNotices = [
  'email_changed',
  'password_changed',
  'session_ended',
  'others_ended',
  'identity_unlinked',
  'identity_linked',
  'reauthenticated',
] as const;
export type AccountNotice = (typeof accountNotices)[number];

/** Why a form on the account page was refused. */
export type AccountProblem = 'password_failed' | 'too_many' | 'invalid_email' | 'weak_password' | 'last_way_in' | 'not_found';

export type AccountText = {
  title: string;
  signInLead: string;
  signedInAs: string;
  signOut: string;
  profile: string;
  username: string;
  email: string;
  verified: string;
  unverified: string;
  noEmail: string;
  changeEmail: string;
  newEmail: string;
  password: string;
  currentPassword: string;
  newPassword: string;
  changePassword: string;
  passwordHint: string;
  reauthNeeded: string;
  confirmPassword: string;
  reauthTitle: string;
  reauthLead: string;
  continue: string;
  sessions: string;
  sessionsLead: string;
  noSessions: string;
  thisBrowser: string;
  started: string;
  lastUsed: string;
  ip: string;
  unknownDevice: string;
  on: string;
  endSession: string;
  endOthers: string;
  identities: string;
  noIdentities: string;
  linkedOn: string;
  unlink: string;
  /** Around a provider's name: "Link NAME". */
  linkBefore: string;
  linkAfter: string;
  factors: string;
  factorsLead: string;
  manageFactors: string;
  notices: Record<AccountNotice, string>;
  problems: Record<AccountProblem, string>;
};

export const accountText = {
  en: {
    title: 'Your account',
    signInLead: 'Your account',
    signedInAs: 'Signed in as ',
    signOut: 'Sign out',
    profile: 'Profile',
    username: 'Username',
    email: 'E-mail',
    verified: 'verified',
    unverified: 'not verified',
    noEmail: 'No e-mail address',
    changeEmail: 'Change e-mail',
    newEmail: 'New e-mail address',
    password: 'Password',
    currentPassword: 'Current password',
    newPassword: 'New password',
    changePassword: 'Change password',
    passwordHint: 'At least 8 characters. Changing it signs you out everywhere else.',
    reauthNeeded: 'To change your e-mail or password, confirm your password first.',
    confirmPassword: 'Confirm your password',
    reauthTitle: 'Confirm it is you',
    reauthLead: 'Enter your password again to change your account.',
    continue: 'Continue',
    sessions: 'Where you are signed in',
    sessionsLead: 'Every application signed in to your account. End any session you do not recognise.',
    noSessions: 'No application is signed in.',
    thisBrowser: 'This browser',
    started: 'Signed in',
    lastUsed: 'Last used',
    ip: 'IP address',
    unknownDevice: 'Unknown device',
    on: ' on ',
    endSession: 'Sign out',
    endOthers: 'Sign out everywhere else',
    identities: 'Linked accounts',
    noIdentities: 'No account from another provider is linked.',
    linkedOn: 'Linked',
    unlink: 'Unlink',
    linkBefore: 'Link ',
    linkAfter: '',
    factors: 'Second factors',
    factorsLead: 'Protect your account with an authenticator app or a passkey.',
    manageFactors: 'Manage second factors',
    notices: {
      email_changed: 'Your e-mail address was changed. It stays unverified until you follow the link we send to it.',
      password_changed: 'Your password was changed, and you were signed out everywhere else.',
      session_ended: 'The session was ended.',
      others_ended: 'You were signed out everywhere else.',
      identity_unlinked: 'The account was unlinked.',
      identity_linked: 'The account was linked. You can now sign in with it.',
      reauthenticated: 'Thank you. You can now change your e-mail or password.',
    },
    problems: {
      password_failed: 'The password is incorrect.',
      too_many: 'Too many failed attempts. Wait a minute, then try again.',
      invalid_email: 'Enter an e-mail address such as name@example.com.',
      weak_password: 'Choose a password of at least 8 characters.',
      last_way_in: 'This is your only way to sign in. Set a password or link another account first.',
      not_found: 'There is no such session or linked account in your account.',
    },
  },
  ko: {
    title: '내 계정',
    signInLead: '내 계정',
    signedInAs: '로그인한 계정: ',
    signOut: '로그아웃',
    profile: '프로필',
    username: '아이디',
    email: '이메일',
    verified: '인증됨',
    unverified: '인증 안 됨',
    noEmail: '이메일 주소 없음',
    changeEmail: '이메일 변경',
    newEmail: '새 이메일 주소',
    password: '비밀번호',
    currentPassword: '현재 비밀번호',
    newPassword: '새 비밀번호',
    changePassword: '비밀번호 변경',
    passwordHint: '8자 이상 입력하세요. 변경하면 다른 모든 기기에서 로그아웃됩니다.',
    reauthNeeded: '이메일이나 비밀번호를 변경하려면 먼저 비밀번호를 다시 확인해 주세요.',
    confirmPassword: '비밀번호 확인',
    reauthTitle: '본인 확인',
    reauthLead: '계정 정보를 변경하려면 비밀번호를 다시 입력해 주세요.',
    continue: '계속',
    sessions: '로그인된 기기',
    sessionsLead: '내 계정에 로그인된 모든 애플리케이션입니다. 모르는 세션이 있으면 로그아웃하세요.',
    noSessions: '로그인된 애플리케이션이 없습니다.',
    thisBrowser: '현재 브라우저',
    started: '로그인',
    lastUsed: '마지막 사용',
    ip: 'IP 주소',
    unknownDevice: '알 수 없는 기기',
    on: ' · ',
    endSession: '로그아웃',
    endOthers: '다른 모든 기기에서 로그아웃',
    identities: '연결된 계정',
    noIdentities: '연결된 외부 계정이 없습니다.',
    linkedOn: '연결일',
    unlink: '연결 해제',
    linkBefore: '',
    linkAfter: ' 계정 연결',
    factors: '2단계 인증',
    factorsLead: '인증 앱이나 패스키로 계정을 더 안전하게 보호하세요.',
    manageFactors: '2단계 인증 관리',
    notices: {
      email_changed: '이메일 주소가 변경되었습니다. 새 주소로 보낸 링크를 열기 전까지는 인증되지 않은 상태로 남습니다.',
      password_changed: '비밀번호가 변경되었으며, 다른 모든 기기에서 로그아웃되었습니다.',
      session_ended: '세션이 종료되었습니다.',
      others_ended: '다른 모든 기기에서 로그아웃되었습니다.',
      identity_unlinked: '계정 연결이 해제되었습니다.',
      identity_linked: '계정이 연결되었습니다. 이제 이 계정으로 로그인할 수 있습니다.',
      reauthenticated: '확인되었습니다. 이제 이메일이나 비밀번호를 변경할 수 있습니다.',
    },
    problems: {
      password_failed: '비밀번호가 올바르지 않습니다.',
      too_many: '시도 횟수가 너무 많습니다. 잠시 후 다시 시도해 주세요.',
      invalid_email: 'name@example.com과 같은 형식의 이메일 주소를 입력해 주세요.',
      weak_password: '8자 이상의 비밀번호를 입력해 주세요.',
      last_way_in: '이 계정이 유일한 로그인 수단입니다. 먼저 비밀번호를 설정하거나 다른 계정을 연결해 주세요.',
      not_found: '내 계정에 해당 세션이나 연결된 계정이 없습니다.',
    },
  },
} satisfies Catalog<AccountText>;
