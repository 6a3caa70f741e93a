import type { Catalog } from './catalog.js';

export type ErrorText = {
  /** The page's title by status; `other` for any status without its own. */
  titles: { 400: string; 403: string; 404: string; 429: string; 500: string };
  developer: string;
  reference: string;
};

export const errorText = {
  en: {
    titles: {
      400: 'This request cannot be completed',
      403: 'This page has expired',
      404: 'Not found',
      429: 'Too many attempts',
      500: 'Something went wrong',
    },
    developer: 'For the application’s developer: ',
    reference: 'If you ask for help, give this reference: ',
  },
  ko: {
    titles: {
      400: '요청을 처리할 수 없습니다',
      403: '페이지가 만료되었습니다',
      404: '찾을 수 없습니다',
      429: '시도 횟수가 너무 많습니다',
      500: '문제가 발생했습니다',
    },
    developer: '애플리케이션 개발자용 정보: ',
    reference: '문의할 때 이 참조 번호를 알려 주세요: ',
  },
} satisfies Catalog<ErrorText>;
