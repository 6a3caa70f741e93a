import type { Locale } from '../../domain/locale.js';
import { loginText } from './i18n/login.js';
import { FormState, Layout } from './layout.js';

export type LoginPageProps = {
  brand: string;
  locale: Locale;
  /** Where the form posts: /login for an authorization request, /account/login for the account page. */
  action?: string;
  /** The application the user signs in to. */
  clientName: string;
  csrfToken: string;
  /** The sealed authorization request; none on the account page's sign-in. */
  request?: string;
  username?: string;
  error?: string;
  /** The upstream providers: one "Continue with NAME" link each. */
  providers?: { name: string; href: string }[];
  /** "Forgot your password?", "Create an account" (issue 26), each in the page's language. */
  links?: { href: string; text: string }[];
};

/** The hosted sign-in form: works without JavaScript, and one message for every failure. */
export function LoginPage(props: LoginPageProps) {
  const t = loginText[props.locale];
  return (
    <Layout brand={props.brand} title={t.title} lang={props.locale} scripts>
      <h1>{t.title}</h1>
      <p class="lead">
        {t.leadBefore}
        <strong>{props.clientName}</strong>
        {t.leadAfter}
      </p>
      {props.error ? (
        <p class="alert" role="alert" id="login-error">
          {props.error}
        </p>
      ) : null}
      <form method="post" action={props.action ?? '/login'}>
        <FormState csrfToken={props.csrfToken} request={props.request} />
        <div class="field">
          <label for="username">{t.username}</label>
          <input
            id="username"
            name="username"
            type="text"
            autocomplete="username webauthn"
            autocapitalize="none"
            spellcheck={false}
            required
            maxlength={256}
            value={props.username ?? ''}
            autofocus={!props.username}
            aria-invalid={props.error ? 'true' : undefined}
            aria-describedby={props.error ? 'login-error' : undefined}
          />
        </div>
        <div class="field">
          <label for="password">{t.password}</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            autofocus={Boolean(props.username)}
            aria-invalid={props.error ? 'true' : undefined}
            aria-describedby={props.error ? 'login-error' : undefined}
          />
        </div>
        <button type="submit" class="button primary">
          {t.submit}
        </button>
      </form>
      <form method="post" action="/login/passkey" data-passkey="authenticate" data-passkey-autofill data-options="/webauthn/authentication/options" hidden>
        <FormState csrfToken={props.csrfToken} request={props.request} />
        <input type="hidden" name="credential" value="" />
        <button type="submit" class="button secondary">
          {t.passkey}
        </button>
        <p class="alert passkey-error" role="alert" hidden>
          {t.passkeyFailed}
        </p>
      </form>
      {props.providers && props.providers.length > 0 ? (
        <>
          <p class="divider">{t.or}</p>
          <ul class="providers">
            {props.providers.map((p) => (
              <li>
                <a class="button secondary" href={p.href}>
                  {t.continueWithBefore}
                  {p.name}
                  {t.continueWithAfter}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {props.links && props.links.length > 0 ? (
        <ul class="links">
          {props.links.map((link) => (
            <li>
              <a href={link.href}>{link.text}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </Layout>
  );
}
