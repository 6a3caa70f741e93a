import { performAuthorizationCode } from '../authorization-code.js';
import { UsageError, textOption, type ServerCommand } from '../command.js';

const waitMinutes = 5;

export const loginTest: ServerCommand = {
  words: ['login-test'],
  usage: 'tessera login-test --client ID [--scope SCOPE] [--port N] [--issuer URL]',
  summary: 'sign in through the browser as an app would (code flow with PKCE on a loopback redirect) and print the tokens',
  args: [],
  options: {
    client: { type: 'string', description: 'the client id; it needs the redirect URI http://127.0.0.1/callback (any port matches)' },
    scope: { type: 'string', description: 'the scope to ask for (default "openid")' },
    port: { type: 'string', description: 'the loopback port to receive the redirect on (default: a free one)' },
    issuer: { type: 'string', description: "Tessera's URL (default: ISSUER, as the server reads it)" },
  },
  store: 'none',
  async run(ctx) {
    const clientId = textOption(ctx, 'client');
    if (!clientId) throw new UsageError('--client is required');
    const port = Number(textOption(ctx, 'port') ?? 0);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError('--port must be a port number');
    const tokens = await performAuthorizationCode({
      issuer: (textOption(ctx, 'issuer') ?? ctx.config.issuer).replace(/\/+$/, ''),
      clientId,
      scope: textOption(ctx, 'scope') ?? 'openid',
      port,
      timeoutMs: waitMinutes * 60_000,
      progress: ctx.progress,
    });
    const lines = Object.entries(tokens).map(([name, value]) => `${name.padEnd(13)} ${String(value)}`);
    return { json: tokens, text: ['signed in', ...lines].join('\n') };
  },
};
