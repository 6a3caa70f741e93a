import { describe, expect, it } from 'vitest';
import { negotiateLocale } from '../../../src/domain/locale.js';

const offered = ['en', 'ko'] as const;

describe('negotiateLocale', () => {
  it('takes the first ui_locales tag Tessera offers, before Accept-Language', () => {
    expect(negotiateLocale({ uiLocales: 'fr-CA ko-KR en', acceptLanguage: 'en', offered })).toBe('ko');
  });
  it('ranks Accept-Language by q, keeping header order on ties, and skips q=0', () => {
    expect(negotiateLocale({ acceptLanguage: 'de;q=0.9, en;q=0.5, ko;q=0.8', offered })).toBe('ko');
    expect(negotiateLocale({ acceptLanguage: 'ko;q=0, en;q=0.1', offered })).toBe('en');
    expect(negotiateLocale({ acceptLanguage: 'ko-KR,ko;q=0.9,en-US;q=0.8', offered })).toBe('ko');
  });
  it('falls back to the first offered language on nothing usable, including malformed headers', () => {
    expect(negotiateLocale({ acceptLanguage: ';;,q=abc, *', offered: ['ko', 'en'] })).toBe('ko');
    expect(negotiateLocale({ acceptLanguage: 'fr;q=2', offered })).toBe('en');
    expect(negotiateLocale({ offered })).toBe('en');
  });
  it('never answers a language the operator did not offer', () => {
    expect(negotiateLocale({ uiLocales: 'ko', acceptLanguage: 'ko', offered: ['en'] })).toBe('en');
  });
});
