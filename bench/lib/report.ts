import { cpus } from 'node:os';
import { median } from './stats.js';

// Each Tessera figure beside its reference measured in the same run, and the ratio beside the target.
type Row = { case: string; tessera: string; reference: string; ratio: string; target: string; met: string };
const rows: Row[] = [];
const raw: Record<string, unknown> = {};

export const rate = (n: number) => `${Math.round(n).toLocaleString('en')} /s`;
export const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;

/**
 * A ratio row: the median over repetitions of tessera/reference, each pair measured back to back.
 * `atLeast`: the target ratio; null for a comparison shown without a target.
 */
export function ratioRow(
  name: string,
  tessera: number[],
  reference: number[],
  referenceName: string,
  atLeast: number | null,
  cpu?: { measured: number[]; reference: number[] },
): void {
  addRatio({ name, label: '', verdicts: ['met', 'NOT MET'] }, tessera, reference, referenceName, atLeast, cpu);
}

/**
 * The same ratio for the floor (bench/peers/floor.ts) in Tessera's place: whether a server doing nothing but the
 * work could reach the target at all on this core.
 */
export function floorRow(
  name: string,
  floor: number[],
  reference: number[],
  referenceName: string,
  atLeast: number | null,
  cpu?: { measured: number[]; reference: number[] },
): void {
  addRatio({ name: `${name}: the floor`, label: 'floor: ', verdicts: ['within the floor', 'beyond the floor'] }, floor, reference, referenceName, atLeast, cpu);
}

function addRatio(
  { name, label, verdicts }: { name: string; label: string; verdicts: [reached: string, missed: string] },
  measured: number[],
  reference: number[],
  referenceName: string,
  atLeast: number | null,
  cpu?: { measured: number[]; reference: number[] },
): void {
  const ratios = measured.map((t, i) => t / reference[i]!);
  const r = median(ratios);
  // The CPU time per request of each server: what the rate would be on a core of its own, whatever else ran.
  const cpuOf = (xs: number[] | undefined) => (xs ? ` (CPU ${median(xs).toFixed(2)} ms/req)` : '');
  rows.push({
    case: name,
    tessera: `${label}${rate(median(measured))}${cpuOf(cpu?.measured)}`,
    reference: `${referenceName}: ${rate(median(reference))}${cpuOf(cpu?.reference)}`,
    ratio: `${r.toFixed(2)}×`,
    target: atLeast === null ? '' : `≥ ${atLeast}×`,
    met: atLeast === null ? '' : r >= atLeast ? verdicts[0] : verdicts[1],
  });
  raw[`${name} vs ${referenceName}`] = { measured, reference, ratios, cpu };
}

/** A latency row: the median over repetitions, against a ceiling. */
export function latencyRow(name: string, samples: number[], below: number): void {
  const m = median(samples);
  rows.push({ case: name, tessera: ms(m), reference: '', ratio: '', target: `< ${below} ms`, met: m < below ? 'met' : 'NOT MET' });
  raw[name] = samples;
  console.error(`  ${name}: ${ms(m)} (target < ${below} ms)`);
}

/** A figure shown for reference, with no target. */
export function infoRow(name: string, text: string, value: unknown): void {
  rows.push({ case: name, tessera: text, reference: '', ratio: '', target: '', met: '' });
  raw[name] = value;
}

/** The table (Markdown, for bench/README.md) on stdout, then one JSON line with every sample. */
export function printReport(mode: string, context: Record<string, unknown>): void {
  const cols = ['case', 'tessera', 'reference', 'ratio', 'target', 'met'] as const;
  console.log(`| ${cols.join(' | ')} |`);
  console.log(`| ${cols.map(() => '---').join(' | ')} |`);
  for (const r of rows) console.log(`| ${cols.map((c) => r[c]).join(' | ')} |`);
  console.log(
    JSON.stringify({ date: new Date().toISOString(), cores: cpus().length, cpu: cpus()[0]?.model, node: process.version, mode, ...context, samples: raw }),
  );
}
