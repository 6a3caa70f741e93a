import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const specifiers = (source: string) => [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);

describe('tessera/verify as a package', () => {
  it('is importable by name and exports what services use', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', "const m = await import('tessera/verify'); console.log(Object.keys(m).sort().join(' '))"], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out.trim().split(' ')).toEqual(expect.arrayContaining(['createVerifier', 'requireToken', 'VerifierError', 'TokenRevoked', 'hasScope']));
  });

  it('loads nothing of the server: its built files import only jose and each other', () => {
    const dir = `${root}dist/verify/`;
    const imported = readdirSync(dir)
      .filter((f) => f.endsWith('.js'))
      .flatMap((f) => specifiers(readFileSync(dir + f, 'utf8')));
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.filter((s) => s !== 'jose' && !/^\.\/[a-z-]+\.js$/.test(s))).toEqual([]);
  });
});
