// node-oidc-provider ships no types; this is the little of it the tests use (test/helpers/upstream.ts).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  type Account = { accountId: string; claims(): Record<string, unknown> | Promise<Record<string, unknown>> };

  export type Configuration = Record<string, unknown> & {
    findAccount?: (ctx: unknown, id: string) => Account | undefined | Promise<Account | undefined>;
  };

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
