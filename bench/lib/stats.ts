import { performance } from 'node:perf_hooks';

export const quick = process.env.BENCH_QUICK === '1' || process.argv.includes('--quick');

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export const median = (samples: number[]): number => percentile(samples, 50);

/** Operations per second of runs made one after another: their count over their total time. */
export const sequentialRate = (samples: number[]): number => samples.length / (samples.reduce((a, b) => a + b, 0) / 1000);

/** Runs `fn` `n` times in sequence; returns each run's milliseconds. */
export async function timeEach(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  return samples;
}

/** Runs `workers` loops of `fn` for `seconds`; returns completed operations per second. */
export async function throughput(workers: number, seconds: number, fn: (worker: number) => Promise<void>): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (performance.now() < deadline) {
        await fn(w);
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}
