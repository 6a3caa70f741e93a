export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

/** Whole epoch seconds, the unit of JWT claims (RFC 7519 NumericDate). Stored instants are milliseconds. */
export const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
