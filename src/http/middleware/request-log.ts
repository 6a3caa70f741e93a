import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../env.js';

// A grant_type is a name or an absolute URI (RFC 6749 §4.5); anything else is not worth a log field.
const grantTypeShape = /^[\w.:/-]{1,100}$/;

type RequestLine = {
  request_id: string;
  method: string;
  path: string;
  status: number;
  duration_ms: number;
  grant_type?: string;
  client_id?: string;
  error?: string;
};

/**
 * One structured line per request: request id, method, path (never the query string, which could
 * carry a token), status and duration; for OAuth requests also the grant_type, the authenticated
 * client and the error code. Never a parameter that could be a credential. The request pipeline
 * (middleware/request-pipeline.ts) writes it once the response exists; `durationMs` is what it measured.
 */
export const requestLogger = (log: Logger) => {
  // The line's fields are the fixed ones built below, none of them a credential, so the logger's
  // redaction (which walks every line for secret-looking keys) has nothing to find in it.
  const lines = log.child({}, { redact: [] });
  return (c: Context<AppEnv>, requestId: string, method: string, path: string, durationMs: number): void => {
    const status = c.res.status;
    // Built field by field in the order the line has always had, without intermediate objects.
    const line: RequestLine = { request_id: requestId, method, path, status, duration_ms: Math.round(durationMs * 100) / 100 };
    const grantType = c.get('form')?.get('grant_type');
    if (grantType !== undefined && grantTypeShape.test(grantType)) line.grant_type = grantType;
    const clientId = c.get('client')?.id;
    if (clientId !== undefined) line.client_id = clientId;
    const error = c.get('errorCode');
    if (error !== undefined) line.error = error;
    if (status >= 500) lines.error(line, 'request');
    else lines.info(line, 'request');
  };
};
