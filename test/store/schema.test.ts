import { describe, expectTypeOf, it } from 'vitest';
import * as pg from '../../src/store/schema/postgres.js';
import * as sqlite from '../../src/store/schema/sqlite.js';

type Rows<S> = { [K in keyof S]: S[K] extends { $inferSelect: infer R } ? R : never };
type Inserts<S> = { [K in keyof S]: S[K] extends { $inferInsert: infer R } ? R : never };

// One set of mappers and one domain model serve both dialects only while these stay equal.
describe('store schemas', () => {
  it('declare the same tables with the same row types in both dialects', () => {
    expectTypeOf<Rows<typeof pg>>().toEqualTypeOf<Rows<typeof sqlite>>();
  });

  it('accept the same inserts in both dialects', () => {
    expectTypeOf<Inserts<typeof pg>>().toEqualTypeOf<Inserts<typeof sqlite>>();
  });
});
