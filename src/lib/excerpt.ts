/** The most characters of a client's input an error message repeats back. */
export const maxEchoedChars = 200;

/**
 * Input as an error message may quote it: whole when short, else its first 200 characters and an
 * ellipsis, so an answer never grows with what was sent. Never splits a surrogate pair.
 */
export function excerpt(input: string): string {
  if (input.length <= maxEchoedChars) return input;
  const cut = /[\uD800-\uDBFF]/.test(input[maxEchoedChars - 1]!) ? maxEchoedChars - 1 : maxEchoedChars;
  return `${input.slice(0, cut)}…`;
}
