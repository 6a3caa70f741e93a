import { fileURLToPath } from 'node:url';
import { lint, loadConfig } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { specFile } from '../helpers/openapi.js';

// The rules of redocly.yaml (Redocly's `recommended` set) and the exceptions listed, with their reason, in
// .redocly.lint-ignore.yaml: the same check as `npx @redocly/cli lint openapi.yaml`, without the CLI.
const configPath = fileURLToPath(new URL('../../redocly.yaml', import.meta.url));

describe('openapi.yaml under Redocly lint', () => {
  it('has no error and no warning', async () => {
    const problems = await lint({ ref: specFile, config: await loadConfig({ configPath }) });
    const reported = problems.filter((p) => !p.ignored).map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(reported).toEqual([]);
  });
});
