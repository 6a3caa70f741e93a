import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditEventTypes } from '../../../src/domain/audit-types.js';

// What the README promises to list stays complete as the code grows (test/e2e/readme.test.ts runs its commands).

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('the README', () => {
  it('names every audit event type in "Operating Tessera"', () => {
    const operating = readme.slice(readme.indexOf('## Operating Tessera'), readme.indexOf('\n## ', readme.indexOf('## Operating Tessera') + 1));
    const listed = operating.slice(operating.indexOf('The types are'));
    expect(auditEventTypes.filter((type) => !listed.includes(`\`${type}\``))).toEqual([]);
  });
});
