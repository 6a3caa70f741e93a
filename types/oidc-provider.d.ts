// node-oidc-provider ships no types; this is the little of it the tests (test/helpers/upstream.ts) and the
// benchmark's peer (bench/peers/oidc-provider.ts) use.
declare module 'oidc-provider' {
  import type { IncomingMessage, Server, ServerResponse } from 'node:http';

  type Account = { accountId: string; claims(): Record<string, unknown> | Promise<Record<string, unknown>> };

  export type Configuration = Record<string, unknown> & {
    findAccount?: (ctx: unknown, id: string) => Account | undefined | Promise<Account | undefined>;
  };

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    listen(port: number, host: string, listening: () => void): Server;
    on(event: string, listener: (ctx: unknown, error: Error) => void): this;
    // The models the benchmark uses to mint sessions directly.
    // biome-ignore lint/suspicious/noExplicitAny: untyped models of an untyped package
    Grant: any;
    // biome-ignore lint/suspicious/noExplicitAny: untyped models of an untyped package
    Client: any;
    // biome-ignore lint/suspicious/noExplicitAny: untyped models of an untyped package
    RefreshToken: any;
  }
}
