import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/schema.js';

/** Field paths that could carry a secret; pino replaces them wherever they appear in a log line. */
const redactPaths = [
  'password',
  'secret',
  'client_secret',
  'refresh_token',
  'access_token',
  'token',
  'authorization',
  'cookie',
  '*.password',
  '*.secret',
  '*.client_secret',
  '*.refresh_token',
  '*.access_token',
  '*.token',
  '*.authorization',
  '*.cookie',
];

/**
 * Structured JSON logs on stdout (or `destination` in tests). Stdout is written asynchronously: a
 * request does not wait for its line to reach the pipe, lines written meanwhile go out together,
 * and pino flushes what is pending when the process exits.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino({ level, base: undefined, redact: { paths: redactPaths, censor: '[redacted]' } }, destination ?? pino.destination({ dest: 1, sync: false }));
}
