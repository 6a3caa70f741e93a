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

/** Structured JSON logs on stdout (or `destination` in tests). */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino({ level, base: undefined, redact: { paths: redactPaths, censor: '[redacted]' } }, destination);
}
