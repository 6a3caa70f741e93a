import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { bodyParams } from '../params.js';

/** Reads the body's parameters into `c.var.form` under the one policy of params.ts; `allowJson` also takes a JSON object of strings. */
export const formBody =
  ({ allowJson = false }: { allowJson?: boolean } = {}): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    c.set('form', await bodyParams(c, allowJson ? ['form', 'json'] : ['form']));
    await next();
  };
