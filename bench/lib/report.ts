import { cpus } from 'node:os';

// Each figure next to the raw limit it stands on, measured in the same run.
type Row = { case: string; figure: string; limit: string; ratio: string; value: number; limitValue: number; unit: string };
const rows: Row[] = [];
const extra: Record<string, unknown> = {};

const fmt = (n: number, unit: string) => `${n >= 100 ? n.toFixed(0) : n.toFixed(2)} ${unit}`;

/** Records one case; the ratio is figure / limit (a latency above 1× or a rate below 1× is what Tessera adds). */
export function report(name: string, value: number, unit: string, limitName: string, limitValue: number): void {
  const ratio = value / limitValue;
  rows.push({ case: name, figure: fmt(value, unit), limit: `${limitName} ${fmt(limitValue, unit)}`, ratio: `${ratio >= 0.1 ? ratio.toFixed(2) : ratio.toPrecision(2)}×`, value, limitValue, unit });
  console.error(`  ${name}: ${fmt(value, unit)} (${limitName} ${fmt(limitValue, unit)})`);
}

/** Adds a field to the closing JSON line (components of a limit, another script's results). */
export function note(key: string, value: unknown): void {
  extra[key] = value;
}

/** The table on stdout, then one JSON line with the raw numbers. */
export function printReport(mode: 'quick' | 'full'): void {
  const cols = ['case', 'figure', 'limit', 'ratio'] as const;
  const width = (k: (typeof cols)[number]) => Math.max(k.length, ...rows.map((r) => r[k].length));
  const line = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd(width(cols[i]!))).join('  ').trimEnd());
  line([...cols]);
  for (const r of rows) line(cols.map((c) => r[c]));
  const results = rows.map((r) => ({ case: r.case, value: r.value, limit: r.limitValue, unit: r.unit, ratio: r.value / r.limitValue }));
  console.log(JSON.stringify({ date: new Date().toISOString(), cores: cpus().length, node: process.version, mode, results, ...extra }));
}
