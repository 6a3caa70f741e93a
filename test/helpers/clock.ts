import type { Clock } from '../../src/lib/clock.js';

export type FixedClock = Clock & { advance(seconds: number): void; set(epochSeconds: number): void };

/** A clock that stands still until the test moves it. */
export function fixedClock(epochSeconds = 1_700_000_000): FixedClock {
  let ms = epochSeconds * 1000;
  return {
    now: () => new Date(ms),
    advance(seconds) {
      ms += seconds * 1000;
    },
    set(seconds) {
      ms = seconds * 1000;
    },
  };
}
