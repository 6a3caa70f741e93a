// The pages' catalogs are typed like the mails' (domain/locale.ts).
export type { Catalog } from '../../../domain/locale.js';
