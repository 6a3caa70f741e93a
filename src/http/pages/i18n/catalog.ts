import type { Locale } from '../../../domain/locale.js';

/**
 * A feature's texts in every language: one catalog per page or mail family (login.ts, signup.ts, …), so each
 * feature owns its strings and `satisfies Catalog<T>` makes a missing Korean text a type error.
 */
export type Catalog<T> = Readonly<Record<Locale, T>>;
