import type { Client } from '../domain/types.js';

/** What middleware hands to routes through the context. */
export type AppEnv = {
  Variables: {
    /** Form parameters of a urlencoded body, each present at most once. */
    form: ReadonlyMap<string, string>;
    client: Client;
    /** How the client authenticated: `none`, `client_secret_basic`, `client_secret_post`; absent when it did not. */
    clientAuthMethod: string;
    requestId: string;
    /** Set by clientAddress(): the TCP peer, or behind a trusted proxy the client it forwarded for. */
    clientIp: string | null;
    /** Set by prebuiltAnswer(): the answer already carries the headers the request pipeline adds. */
    prebuilt: boolean;
    /** The `error` code of an error response, set where errors are rendered; for the request log. */
    errorCode: string;
  };
};
