import type { Catalog } from './catalog.js';

/** The texts of the second step and of the security page (/account/security). */
export type SecurityText = {
  secondStepTitle: string;
  secondStepLead: (client: string) => string;
  codeLabel: string;
  codeHint: string;
  verify: string;
  usePasskey: string;
  recoveryTitle: string;
  recoveryLabel: string;
  useRecovery: string;
  wrongCode: string;
  tooMany: string;
  passkeyUnavailable: string;
  securityTitle: string;
  signedInAs: string;
  mustEnroll: string;
  totpTitle: string;
  totpOn: string;
  totpOff: string;
  totpSetUp: string;
  totpScan: string;
  totpSecretLabel: string;
  totpConfirmLabel: string;
  totpConfirm: string;
  totpRemove: string;
  recoveryCodesTitle: string;
  recoveryLeft: (n: number) => string;
  recoveryRenew: string;
  recoveryShownOnce: string;
  passkeysTitle: string;
  passkeysNone: string;
  passkeyName: string;
  passkeyAdd: string;
  passkeyRemove: string;
  passkeyAdded: (date: string) => string;
  continueTo: (client: string) => string;
  reauth: string;
  reauthLink: string;
  done: string;
  failed: string;
};

export const securityText = {
  en: {
    secondStepTitle: 'Two-step verification',
    secondStepLead: (client) => `Confirm it is you to continue to ${client}.`,
    codeLabel: 'Code from your authenticator app',
    codeHint: 'Six digits; a new one every 30 seconds.',
    verify: 'Verify',
    usePasskey: 'Use a passkey',
    recoveryTitle: 'Use a recovery code',
    recoveryLabel: 'Recovery code',
    useRecovery: 'Use recovery code',
    wrongCode: 'That code is not right, or was used already. Try the next one.',
    tooMany: 'Too many failed attempts. Wait a minute, then try again.',
    passkeyUnavailable: 'This browser cannot use passkeys here.',
    securityTitle: 'Sign-in security',
    signedInAs: 'Signed in as',
    mustEnroll: 'A second factor is required to continue. Set one up below.',
    totpTitle: 'Authenticator app',
    totpOn: 'On: a code from your app is asked after your password.',
    totpOff: 'Off.',
    totpSetUp: 'Set up an authenticator app',
    totpScan: 'Scan this code with your authenticator app, or type the secret below into it.',
    totpSecretLabel: 'Secret',
    totpConfirmLabel: 'Code from the app',
    totpConfirm: 'Turn on',
    totpRemove: 'Turn off',
    recoveryCodesTitle: 'Recovery codes',
    recoveryLeft: (n) => `${n} unused recovery ${n === 1 ? 'code' : 'codes'} left.`,
    recoveryRenew: 'Make new recovery codes',
    recoveryShownOnce: 'Keep these codes somewhere safe. Each works once, and they are shown only now.',
    passkeysTitle: 'Passkeys',
    passkeysNone: 'No passkeys yet.',
    passkeyName: 'Name for the new passkey',
    passkeyAdd: 'Add a passkey',
    passkeyRemove: 'Remove',
    passkeyAdded: (date) => `added ${date}`,
    continueTo: (client) => `Continue to ${client}`,
    reauth: 'For your security, sign in again before changing how you sign in.',
    reauthLink: 'Sign in again',
    done: 'Saved.',
    failed: 'That did not work. Nothing was changed; try again.',
  },
  ko: {
    secondStepTitle: '2단계 인증',
    secondStepLead: (client) => `${client}(으)로 계속하려면 본인임을 확인해 주세요.`,
    codeLabel: '인증 앱의 코드',
    codeHint: '6자리 숫자이며 30초마다 바뀝니다.',
    verify: '확인',
    usePasskey: '패스키 사용',
    recoveryTitle: '복구 코드 사용',
    recoveryLabel: '복구 코드',
    useRecovery: '복구 코드로 확인',
    wrongCode: '코드가 올바르지 않거나 이미 사용되었습니다. 다음 코드로 다시 시도해 주세요.',
    tooMany: '실패한 시도가 너무 많습니다. 1분 후에 다시 시도해 주세요.',
    passkeyUnavailable: '이 브라우저에서는 패스키를 사용할 수 없습니다.',
    securityTitle: '로그인 보안',
    signedInAs: '로그인한 사용자',
    mustEnroll: '계속하려면 2단계 인증 수단이 필요합니다. 아래에서 설정해 주세요.',
    totpTitle: '인증 앱',
    totpOn: '사용 중: 비밀번호 다음에 앱의 코드를 묻습니다.',
    totpOff: '사용 안 함.',
    totpSetUp: '인증 앱 설정',
    totpScan: '인증 앱으로 이 코드를 스캔하거나 아래 비밀 키를 앱에 입력하세요.',
    totpSecretLabel: '비밀 키',
    totpConfirmLabel: '앱에 표시된 코드',
    totpConfirm: '사용 시작',
    totpRemove: '사용 중지',
    recoveryCodesTitle: '복구 코드',
    recoveryLeft: (n) => `사용하지 않은 복구 코드 ${n}개가 남아 있습니다.`,
    recoveryRenew: '새 복구 코드 만들기',
    recoveryShownOnce: '이 코드를 안전한 곳에 보관하세요. 각 코드는 한 번만 쓸 수 있으며 지금만 표시됩니다.',
    passkeysTitle: '패스키',
    passkeysNone: '등록된 패스키가 없습니다.',
    passkeyName: '새 패스키의 이름',
    passkeyAdd: '패스키 추가',
    passkeyRemove: '삭제',
    passkeyAdded: (date) => `${date} 추가됨`,
    continueTo: (client) => `${client}(으)로 계속`,
    reauth: '보안을 위해 로그인 방법을 바꾸기 전에 다시 로그인해 주세요.',
    reauthLink: '다시 로그인',
    done: '저장했습니다.',
    failed: '처리하지 못했습니다. 아무것도 바뀌지 않았으니 다시 시도해 주세요.',
  },
} satisfies Catalog<SecurityText>;
