import { parseScope } from '../../domain/scope.js';
import { createUser, deleteUser, disableUser, enableUser, findUser, listUsers, setPassword, updateUser } from '../../services/users.js';
import { setUserRoles } from '../../services/roles.js';
import { factorsView, resetFactors } from '../../services/factors/operator.js';
import { listUserIdentities } from '../../services/upstream/providers.js';
import { userView } from '../../services/views.js';
import { UsageError, firstArg, table, textOption, type Command, type CommandContext } from '../command.js';
import { pageOptions, pageSpec, pageText } from './paging.js';

async function passwordFromStdin(ctx: CommandContext): Promise<string> {
  // One trailing newline is what `echo` and heredocs add; the password itself may contain others.
  return (await ctx.readStdin()).replace(/\r?\n$/, '');
}

const username = (ctx: CommandContext): string => firstArg(ctx, 'NAME');

export const usersCreate: Command = {
  words: ['users', 'create'],
  usage: 'tessera users create NAME [--password-stdin] [--scope "a b"] [--email ADDR [--email-verified]]',
  summary: 'create a user; without --password-stdin a random password is generated and printed once',
  args: ['NAME'],
  options: {
    'password-stdin': { type: 'boolean', description: 'read the password from standard input' },
    scope: { type: 'string', description: 'the scopes this user may be granted (default: whatever the client allows)' },
    email: { type: 'string', description: 'the e-mail address OpenID clients see with scope email' },
    'email-verified': { type: 'boolean', description: 'tell clients the address is verified (you checked it belongs to the user)' },
  },
  async run(ctx) {
    const generated = ctx.options['password-stdin'] ? null : ctx.deps.ids.secret();
    const password = generated ?? (await passwordFromStdin(ctx));
    const scope = ctx.options.scope;
    const user = await createUser(ctx.deps, ctx.actor, {
      username: username(ctx),
      password,
      scopes: typeof scope === 'string' ? parseScope(scope) : null,
      email: typeof ctx.options.email === 'string' ? ctx.options.email : null,
      emailVerified: ctx.options['email-verified'] === true,
    });
    const lines = [`created user ${user.username} (${user.id})`];
    if (generated) lines.push(`password: ${generated}`, 'it is shown only now');
    return { json: { user, ...(generated ? { password: generated } : {}) }, text: lines.join('\n') };
  },
};

/** The profile options of `users update`: each sets one OpenID claim; an empty value clears it. */
const profileOptions = {
  name: { option: 'name', description: 'full name (OpenID claim name)' },
  givenName: { option: 'given-name', description: 'given name (given_name)' },
  familyName: { option: 'family-name', description: 'family name (family_name)' },
  picture: { option: 'picture', description: 'https URL of a picture of the user (picture)' },
  locale: { option: 'locale', description: 'BCP 47 language tag, e.g. ko-KR (locale)' },
  email: { option: 'email', description: 'e-mail address; a new one counts as unverified unless --email-verified is given' },
} as const;

export const usersUpdate: Command = {
  words: ['users', 'update'],
  usage:
    'tessera users update NAME [--name T] [--given-name T] [--family-name T] [--picture URL] [--locale TAG] [--email ADDR [--email-verified]] [--role R]… [--no-roles]',
  summary: "change a user's OpenID profile (name, picture, locale), e-mail address or roles; an empty value clears a field",
  args: ['NAME'],
  options: {
    ...Object.fromEntries(Object.values(profileOptions).map(({ option, description }) => [option, { type: 'string' as const, description }])),
    'email-verified': { type: 'boolean', description: 'tell clients the address is verified (you checked it belongs to the user)' },
    role: { type: 'string', multiple: true, description: 'the roles the user has (repeatable; replaces those it had)' },
    'no-roles': { type: 'boolean', description: 'take every role from the user' },
  },
  async run(ctx) {
    const found = await findUser(ctx.deps, { username: username(ctx) });
    const roles = Array.isArray(ctx.options.role) ? ctx.options.role : ctx.options['no-roles'] ? [] : undefined;
    if (roles !== undefined) {
      const set = await setUserRoles(ctx.deps, ctx.actor, found.id, roles);
      const others = Object.values(profileOptions).some(({ option }) => textOption(ctx, option) !== undefined) || ctx.options['email-verified'] === true;
      if (!others) return { json: { user: userView(found), roles: set }, text: `${found.username} has roles: ${set.join(', ') || '(none)'}` };
    }
    const changes = Object.fromEntries(
      Object.entries(profileOptions).map(([field, { option }]) => {
        const value = textOption(ctx, option);
        return [field, value === '' ? null : value];
      }),
    );
    const user = await updateUser(ctx.deps, ctx.actor, found.id, {
      ...changes,
      ...(ctx.options['email-verified'] === true ? { emailVerified: true } : {}),
    });
    return { json: { user }, text: `updated ${user.username}${user.updated_at === null ? '' : ` (updated_at ${user.updated_at})`}` };
  },
};

export const usersSetPassword: Command = {
  words: ['users', 'set-password'],
  usage: 'tessera users set-password NAME --password-stdin',
  summary: "set a user's password from standard input; ends all of the user's sessions",
  args: ['NAME'],
  options: { 'password-stdin': { type: 'boolean', description: 'read the password from standard input (required)' } },
  async run(ctx) {
    if (!ctx.options['password-stdin']) throw new UsageError('--password-stdin is required: passwords are never taken as arguments');
    const user = await findUser(ctx.deps, { username: username(ctx) });
    const result = await setPassword(ctx.deps, ctx.actor, user.id, await passwordFromStdin(ctx));
    return {
      json: { user_id: user.id, revoked_families: result.revokedFamilies },
      text: `password changed for ${user.username}; ${result.revokedFamilies} session(s) revoked`,
    };
  },
};

export const usersDisable: Command = {
  words: ['users', 'disable'],
  usage: 'tessera users disable NAME',
  summary: 'disable a user and end all of its sessions',
  args: ['NAME'],
  options: {},
  async run(ctx) {
    const user = await findUser(ctx.deps, { username: username(ctx) });
    const result = await disableUser(ctx.deps, ctx.actor, user.id);
    return {
      json: { user_id: user.id, disabled: true, revoked_families: result.revokedFamilies },
      text: `disabled ${user.username}; ${result.revokedFamilies} session(s) revoked`,
    };
  },
};

export const usersList: Command = {
  words: ['users', 'list'],
  usage: 'tessera users list [--limit N] [--cursor C]',
  summary: 'list users, newest first',
  args: [],
  options: { ...pageSpec },
  async run(ctx) {
    const page = await listUsers(ctx.deps, pageOptions(ctx));
    const rows = page.users.map((u) => ({ ...u, status: u.disabled_at ? 'disabled' : 'active', created: u.created_at }));
    const text = table(rows, ['id', 'username', 'status', 'scope', 'created']);
    return { json: page, text: pageText(text, page.next_cursor) };
  },
};

export const usersShow: Command = {
  words: ['users', 'show'],
  usage: 'tessera users show NAME',
  summary: 'show one user, with the upstream identities linked to it',
  args: ['NAME'],
  options: {},
  async run(ctx) {
    const found = await findUser(ctx.deps, { username: username(ctx) });
    const user = userView(found);
    const identities = await listUserIdentities(ctx.deps, found.id);
    const factors = await factorsView(ctx.deps, found.id);
    const fields: [string, string][] = [
      ['id', user.id],
      ['username', user.username],
      ['scope', user.scope ?? '(whatever the client allows)'],
      ['email', user.email === null ? '-' : `${user.email}${user.email_verified ? ' (verified)' : ''}`],
      ['name', user.name ?? '-'],
      ...(['given_name', 'family_name', 'picture', 'locale', 'updated_at'] as const).flatMap((k): [string, string][] =>
        user[k] === null ? [] : [[k, user[k]]],
      ),
      ['created', user.created_at ?? '-'],
      ['disabled', user.disabled_at ?? 'no'],
      ...identities.map((i): [string, string] => ['identity', `${i.provider} ${i.subject}${i.email ? ` (${i.email})` : ''}, linked ${i.linked_at}`]),
      ['totp', factors.totp ? 'on' : 'off'],
      ['recovery codes', String(factors.recovery_codes_left)],
      ...factors.passkeys.map((p): [string, string] => ['passkey', `${p.name}, added ${p.created_at}${p.synced ? ', synced' : ''}`]),
    ];
    const width = Math.max(...fields.map(([k]) => k.length));
    return { json: { user, identities, factors }, text: fields.map(([k, v]) => `${k.padEnd(width)} ${v}`).join('\n') };
  },
};

export const usersResetFactors: Command = {
  words: ['users', 'reset-factors'],
  usage: 'tessera users reset-factors NAME',
  summary: 'remove every second factor and passkey of a user who lost them',
  args: ['NAME'],
  options: {},
  async run(ctx) {
    const user = await findUser(ctx.deps, { username: username(ctx) });
    const { removed } = await resetFactors(ctx.deps, ctx.actor, user.id);
    return { json: { user_id: user.id, removed }, text: `removed ${removed} factor(s) and passkey(s) of ${user.username}` };
  },
};

export const usersEnable: Command = {
  words: ['users', 'enable'],
  usage: 'tessera users enable NAME',
  summary: 'let a disabled user log in again (the sessions it lost stay ended)',
  args: ['NAME'],
  options: {},
  async run(ctx) {
    const user = await findUser(ctx.deps, { username: username(ctx) });
    const { enabled } = await enableUser(ctx.deps, ctx.actor, user.id);
    return { json: { user_id: user.id, enabled }, text: enabled ? `enabled ${user.username}` : `${user.username} was not disabled` };
  },
};

export const usersDelete: Command = {
  words: ['users', 'delete'],
  usage: 'tessera users delete NAME',
  summary: 'delete a user and end all of its sessions; the name is free again',
  args: ['NAME'],
  options: {},
  async run(ctx) {
    const user = await findUser(ctx.deps, { username: username(ctx) });
    const result = await deleteUser(ctx.deps, ctx.actor, user.id);
    return {
      json: { user_id: user.id, deleted: true, revoked_families: result.revokedFamilies },
      text: `deleted ${user.username} (${user.id}); ${result.revokedFamilies} session(s) revoked`,
    };
  },
};
