import { maxPasswordLength, minPasswordLength, type PasswordProblem } from '../../../domain/password.js';
import type { Catalog } from './catalog.js';

export type PasswordText = { hint: string; problems: Record<PasswordProblem, string> };

/** The password rules as every page that sets a password says them (sign-up, reset; the account page's change too). */
export const passwordText = {
  en: {
    hint: `At least ${minPasswordLength} characters. A phrase of a few words is easy to remember and hard to guess.`,
    problems: {
      too_short: `This password is too short: use at least ${minPasswordLength} characters.`,
      too_long: `This password is too long: use at most ${maxPasswordLength} characters.`,
      common: 'This password is one of the most common or leaked passwords, which attackers try first. Choose another.',
    },
  },
  ko: {
    hint: `${minPasswordLength}자 이상. 여러 단어로 된 문구가 기억하기 쉽고 추측하기 어렵습니다.`,
    problems: {
      too_short: `비밀번호가 너무 짧습니다. ${minPasswordLength}자 이상으로 정하세요.`,
      too_long: `비밀번호가 너무 깁니다. ${maxPasswordLength}자 이하로 정하세요.`,
      common: '가장 흔하거나 유출된 비밀번호 중 하나라서 공격자가 가장 먼저 시도합니다. 다른 비밀번호를 정하세요.',
    },
  },
} satisfies Catalog<PasswordText>;
