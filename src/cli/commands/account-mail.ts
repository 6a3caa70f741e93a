import { requestEmailVerification, requestPasswordResetFor, sendQueuedMailNow, type OperatorMail } from '../../services/self-service/operator.js';
import { findUser } from '../../services/users.js';
import { firstArg, type Command, type CommandContext } from '../command.js';

/** Sends the queued mail now; a server sends it later (with retries) if the SMTP server does not take it now. */
async function sendNow(ctx: CommandContext, queued: OperatorMail, what: string) {
  const sent = await sendQueuedMailNow(ctx.deps, queued.mail_id);
  const text = sent ? `${what} sent to ${queued.email}` : `${what} for ${queued.email} queued; the server sends it (the SMTP server did not take it now)`;
  return { json: { ...queued, sent }, text };
}

export const usersVerifyEmail: Command = {
  words: ['users', 'verify-email'],
  usage: 'tessera users verify-email NAME',
  summary: 'mail the user a link that verifies their e-mail address (to mark it verified yourself: users update NAME --email-verified)',
  args: ['NAME'],
  options: {},
  async run(ctx) {
    const user = await findUser(ctx.deps, { username: firstArg(ctx, 'NAME') });
    return sendNow(ctx, await requestEmailVerification(ctx.deps, ctx.actor, user.id), 'verification link');
  },
};

export const usersSendReset: Command = {
  words: ['users', 'send-reset'],
  usage: 'tessera users send-reset NAME',
  summary: 'mail the user a password-reset link, to their verified e-mail address',
  args: ['NAME'],
  options: {},
  async run(ctx) {
    const user = await findUser(ctx.deps, { username: firstArg(ctx, 'NAME') });
    return sendNow(ctx, await requestPasswordResetFor(ctx.deps, ctx.actor, user.id), 'password-reset link');
  },
};
