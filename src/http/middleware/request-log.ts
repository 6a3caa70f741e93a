import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../env.js';

// A grant_type is a name or an absolute URI (RFC 6749 §4.5); anything else is not worth a log field.
const grantTypeShape = /^[\w.:/-]{1,100}$/;

/**
 * One structured line per request: request id, method, path (never the query string, which could
 * carry a token), status and duration; for OAuth requests also the grant_type, the authenticated
 * client and the error code. Never a parameter that could be a credential. `timer` is injectable;
 * it measures, it does not tell the time.
 */
export const requestLog = ({ log, timer = () => performance.now() }: { log: Logger; timer?: () => number }): MiddlewareHandler<AppEnv> => {
  // The line's fields are the fixed ones built below, none of them a credential, so the logger's
  // redaction (which walks every line for secret-looking keys) has nothing to find in it.
  const lines = log.child({}, { redact: [] });
  return async (c, next) => {
    const started = timer();
    await next();
    const status = c.res.status;
    const line = {
      request_id: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status,
      duration_ms: Math.round((timer() - started) * 100) / 100,
      ...oauthFields(c),
    };
    if (status >= 500) lines.error(line, 'request');
    else lines.info(line, 'request');
  };
};

function oauthFields(c: Context<AppEnv>): { grant_type?: string; client_id?: string; error?: string } {
  const grantType = c.get('form')?.get('grant_type');
  const clientId = c.get('client')?.id;
  const error = c.get('errorCode');
  return {
    ...(grantType !== undefined && grantTypeShape.test(grantType) ? { grant_type: grantType } : {}),
    ...(clientId !== undefined ? { client_id: clientId } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}
