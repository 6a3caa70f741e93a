import { describe, expect, it } from 'vitest';
import { configVariables } from '../../../src/config/load.js';
import { oneEditApart, strayVariables } from '../../../src/config/stray-variables.js';

describe('strayVariables', () => {
  it('names variables one edit away from one Tessera reads, with the one it probably meant', () => {
    const env = { ISUER: 'https://auth.example.com', DATABSE_URL: 'file:x.db', ACCESS_TOKEN_TTLL: '60', SINGING_ALG: 'ES256', log_level: 'debug' };
    expect(strayVariables(env)).toEqual([
      { name: 'ACCESS_TOKEN_TTLL', meant: 'ACCESS_TOKEN_TTL' },
      { name: 'DATABSE_URL', meant: 'DATABASE_URL' },
      { name: 'ISUER', meant: 'ISSUER' },
      { name: 'SINGING_ALG', meant: 'SIGNING_ALG' },
      { name: 'log_level', meant: 'LOG_LEVEL' },
    ]);
  });

  it('names variables starting with TESSERA_, which Tessera does not read', () => {
    expect(strayVariables({ TESSERA_ISSUER: 'x', tessera_port: '1' })).toEqual([
      { name: 'TESSERA_ISSUER', meant: null },
      { name: 'tessera_port', meant: null },
    ]);
  });

  it('leaves alone the variables it reads and everything else in an ordinary environment', () => {
    const env = Object.fromEntries(
      [...configVariables, 'PATH', 'HOME', 'PWD', 'TERM', 'LANG', 'USER', 'SHELL', 'NODE_OPTIONS', 'npm_config_cache', 'HOSTNAME'].map((n) => [n, 'x']),
    );
    expect(strayVariables(env)).toEqual([]);
  });
});

describe('oneEditApart', () => {
  it('counts one insertion, deletion, substitution or swap of neighbours, and no more', () => {
    for (const [a, b] of [
      ['PORT', 'PORT'],
      ['PORTT', 'PORT'],
      ['POT', 'PORT'],
      ['PART', 'PORT'],
      ['PROT', 'PORT'],
    ])
      expect(oneEditApart(a!, b!)).toBe(true);
    for (const [a, b] of [
      ['PRTO', 'PORT'],
      ['PO', 'PORT'],
      ['HOME', 'HOST'],
    ])
      expect(oneEditApart(a!, b!)).toBe(false);
  });
});
