import { configVariables } from './load.js';

/** A variable Tessera does not read but whose name suggests it was meant for Tessera, and the one it probably meant. */
export type StrayVariable = { name: string; meant: string | null };

const prefix = 'TESSERA_';

/**
 * Names in `env` that look meant for Tessera but that it does not read: one edit (a letter added,
 * dropped, changed, or two swapped; case aside) away from a variable it reads, or starting with
 * `TESSERA_`. A typo there would otherwise leave a default in force without a word.
 */
export function strayVariables(env: Record<string, string | undefined>): StrayVariable[] {
  const known = new Set<string>(configVariables);
  const stray: StrayVariable[] = [];
  for (const name of Object.keys(env).sort()) {
    if (known.has(name)) continue;
    const meant = configVariables.find((k) => oneEditApart(name.toUpperCase(), k)) ?? null;
    if (meant !== null || name.toUpperCase().startsWith(prefix)) stray.push({ name, meant });
  }
  return stray;
}

/** The one warning about `env`'s stray variables (their names, and a line naming the one each probably meant); null when there is none. */
export function strayVariablesWarning(env: Record<string, string | undefined>): { names: string[]; message: string } | null {
  const stray = strayVariables(env);
  if (stray.length === 0) return null;
  const hints = stray.map(({ name, meant }) => (meant ? `${name} (did you mean ${meant}?)` : name));
  return { names: stray.map((v) => v.name), message: `environment variables Tessera does not read, left unused: ${hints.join(', ')}` };
}

/** Whether `a` becomes `b` by at most one insertion, deletion, substitution or swap of neighbours. */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const [restA, restB] = [a.slice(i), b.slice(i)];
  return (
    restA.slice(1) === restB.slice(1) || // substitution
    restA.slice(1) === restB || // a has an extra letter
    restA === restB.slice(1) || // b has an extra letter
    (restA.length >= 2 && restA[0] === restB[1] && restA[1] === restB[0] && restA.slice(2) === restB.slice(2)) // swap
  );
}
