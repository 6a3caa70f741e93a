export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

/** Whole epoch seconds, the unit every stored timestamp and JWT claim uses. */
export const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
