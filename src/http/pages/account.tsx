import type { Locale } from '../../domain/locale.js';
import type { AccountSession } from '../../services/account/sessions.js';
import { accountText, type AccountNotice, type AccountProblem, type AccountText } from './i18n/account.js';
import { Layout } from './layout.js';

export type AccountIdentity = { provider_id: string; provider_name: string; email: string | null; linked_at: string };

/** Which form a problem belongs to, so it shows next to that form. */
export type AccountSection = 'profile' | 'password' | 'sessions' | 'identities';

export type AccountPageProps = {
  brand: string;
  locale: Locale;
  csrfToken: string;
  user: { username: string; email: string | null; emailVerified: boolean };
  /** Signed in within the last 5 minutes: the e-mail and password forms are open. */
  recent: boolean;
  sessions: AccountSession[];
  identities: AccountIdentity[];
  /** Providers the user has no account linked at, each with the link that starts linking one. */
  linkable: { name: string; href: string }[];
  notice?: AccountNotice;
  problem?: { section: AccountSection; problem: AccountProblem };
};

/** Dates in the page's language; in UTC, the one zone the server can be sure of. */
const formatDate = (locale: Locale, iso: string) =>
  new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(new Date(iso));

const Csrf = (props: { token: string }) => <input type="hidden" name="csrf_token" value={props.token} />;

function Problem(props: { t: AccountText; at: AccountSection; problem: AccountPageProps['problem'] }) {
  if (props.problem?.section !== props.at) return null;
  return (
    <p class="alert" role="alert" id={`${props.at}-error`}>
      {props.t.problems[props.problem.problem]}
    </p>
  );
}

function deviceName(t: AccountText, s: AccountSession): string {
  const { browser, os } = s.device;
  if (browser && os) return `${browser}${t.on}${os}`;
  return browser ?? os ?? t.unknownDevice;
}

/** GET /account: the user's profile, password, sessions, linked accounts and second factors; every form works without JavaScript. */
export function AccountPage(props: AccountPageProps) {
  const t = accountText[props.locale];
  const { user } = props;
  return (
    <Layout brand={props.brand} title={t.title} lang={props.locale} wide>
      <h1>{t.title}</h1>
      <p class="lead">
        {t.signedInAs}
        <strong>{user.username}</strong> · <a href="/logout">{t.signOut}</a>
      </p>
      {props.notice ? (
        <p class="notice" role="status">
          {t.notices[props.notice]}
        </p>
      ) : null}

      <section class="section" aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t.profile}</h2>
        <dl class="facts">
          <dt>{t.username}</dt>
          <dd>{user.username}</dd>
          <dt>{t.email}</dt>
          <dd>
            {user.email ?? t.noEmail}
            {user.email ? <span class={user.emailVerified ? 'badge ok' : 'badge'}>{user.emailVerified ? t.verified : t.unverified}</span> : null}
          </dd>
        </dl>
        <Problem t={t} at="profile" problem={props.problem} />
        {props.recent ? (
          <form method="post" action="/account/email">
            <Csrf token={props.csrfToken} />
            <div class="field">
              <label for="email">{t.newEmail}</label>
              <input id="email" name="email" type="email" autocomplete="email" required maxlength={254} value={user.email ?? ''} />
            </div>
            <button type="submit" class="button secondary">
              {t.changeEmail}
            </button>
          </form>
        ) : null}
      </section>

      <section class="section" aria-labelledby="password-heading">
        <h2 id="password-heading">{t.password}</h2>
        <Problem t={t} at="password" problem={props.problem} />
        {props.recent ? (
          <form method="post" action="/account/password">
            <Csrf token={props.csrfToken} />
            <input type="text" name="username" autocomplete="username" value={user.username} hidden />
            <div class="field">
              <label for="current_password">{t.currentPassword}</label>
              <input id="current_password" name="current_password" type="password" autocomplete="current-password" required />
            </div>
            <div class="field">
              <label for="new_password">{t.newPassword}</label>
              <input
                id="new_password"
                name="new_password"
                type="password"
                autocomplete="new-password"
                required
                minlength={8}
                aria-describedby="password-hint"
              />
            </div>
            <p class="hint" id="password-hint">
              {t.passwordHint}
            </p>
            <button type="submit" class="button secondary">
              {t.changePassword}
            </button>
          </form>
        ) : (
          <>
            <p class="item-text">{t.reauthNeeded}</p>
            <a class="button secondary" href="/account/reauth">
              {t.confirmPassword}
            </a>
          </>
        )}
      </section>

      <section class="section" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">{t.sessions}</h2>
        <p class="item-text">{t.sessionsLead}</p>
        <Problem t={t} at="sessions" problem={props.problem} />
        {props.sessions.length === 0 ? (
          <p>{t.noSessions}</p>
        ) : (
          <ul class="items" aria-label={t.sessions}>
            {props.sessions.map((s) => (
              <li data-session={s.id}>
                <span>
                  <span class="item-name">
                    {s.client_name}
                    {s.this_browser ? <span class="badge ok">{t.thisBrowser}</span> : null}
                  </span>
                  <span class="item-text">
                    {' '}
                    <br />
                    {deviceName(t, s)}
                    {s.ip ? ` · ${t.ip} ${s.ip}` : ''}
                    <br />
                    {t.started} {formatDate(props.locale, s.created_at)} · {t.lastUsed} {formatDate(props.locale, s.last_used_at)}
                  </span>
                </span>
                <form method="post" action="/account/sessions/end">
                  <Csrf token={props.csrfToken} />
                  <input type="hidden" name="session" value={s.id} />
                  <button type="submit" class="button secondary" aria-label={`${t.endSession}: ${s.client_name}, ${deviceName(t, s)}`}>
                    {t.endSession}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        {props.sessions.some((s) => !s.this_browser) ? (
          <form method="post" action="/account/sessions/end-others">
            <Csrf token={props.csrfToken} />
            <button type="submit" class="button secondary">
              {t.endOthers}
            </button>
          </form>
        ) : null}
      </section>

      <section class="section" aria-labelledby="identities-heading">
        <h2 id="identities-heading">{t.identities}</h2>
        <Problem t={t} at="identities" problem={props.problem} />
        {props.identities.length === 0 ? (
          <p>{t.noIdentities}</p>
        ) : (
          <ul class="items" aria-label={t.identities}>
            {props.identities.map((i) => (
              <li>
                <span>
                  <span class="item-name">{i.provider_name}</span>
                  <span class="item-text">
                    {' '}
                    <br />
                    {i.email ? `${i.email} · ` : ''}
                    {t.linkedOn} {formatDate(props.locale, i.linked_at)}
                  </span>
                </span>
                <form method="post" action="/account/identities/unlink">
                  <Csrf token={props.csrfToken} />
                  <input type="hidden" name="provider" value={i.provider_id} />
                  <button type="submit" class="button secondary" aria-label={`${t.unlink}: ${i.provider_name}`}>
                    {t.unlink}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        {props.linkable.length > 0 ? (
          <ul class="providers">
            {props.linkable.map((p) => (
              <li>
                <a class="button secondary" href={p.href}>
                  {t.linkBefore}
                  {p.name}
                  {t.linkAfter}
                </a>
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <section class="section" aria-labelledby="factors-heading">
        <h2 id="factors-heading">{t.factors}</h2>
        <p class="item-text">{t.factorsLead}</p>
        <a class="button secondary" href="/account/security">
          {t.manageFactors}
        </a>
      </section>
    </Layout>
  );
}

/** The small form that asks the password again before a sensitive change. */
export function ReauthPage(props: { brand: string; locale: Locale; csrfToken: string; username: string; failed?: AccountProblem }) {
  const t = accountText[props.locale];
  return (
    <Layout brand={props.brand} title={t.reauthTitle} lang={props.locale}>
      <h1>{t.reauthTitle}</h1>
      <p class="lead">{t.reauthLead}</p>
      {props.failed ? (
        <p class="alert" role="alert" id="reauth-error">
          {t.problems[props.failed]}
        </p>
      ) : null}
      <form method="post" action="/account/reauth">
        <Csrf token={props.csrfToken} />
        <input type="text" name="username" autocomplete="username" value={props.username} hidden />
        <div class="field">
          <label for="password">{t.password}</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            autofocus
            aria-invalid={props.failed ? 'true' : undefined}
            aria-describedby={props.failed ? 'reauth-error' : undefined}
          />
        </div>
        <button type="submit" class="button primary">
          {t.continue}
        </button>
      </form>
    </Layout>
  );
}
