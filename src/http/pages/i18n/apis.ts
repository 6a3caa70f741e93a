import type { Catalog } from './catalog.js';

/** The consent page's texts for APIs (contract section 14): each API the application asks for, with its scopes. */
export type ApisText = {
  /** The heading over one API's scopes. */
  apiHeading: (api: string) => string;
  /** The heading over the scopes of the account itself (sign-in, profile), when APIs are listed too. */
  accountHeading: string;
  /** An API scope the operator gave no description. */
  noDescription: string;
};

export const apisText = {
  en: {
    apiHeading: (api) => `In ${api}`,
    accountHeading: 'Your account',
    noDescription: 'No description given',
  },
  ko: {
    apiHeading: (api) => `${api}에서`,
    accountHeading: '내 계정',
    noDescription: '설명이 없습니다',
  },
} satisfies Catalog<ApisText>;
