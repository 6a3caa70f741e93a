import type { Locale } from '../../domain/locale.js';
import { passwordText } from './i18n/password.js';
import { signupText } from './i18n/signup.js';
import { Layout } from './layout.js';
import { NewPasswordField } from './password-field.js';

export type SignupField = 'username' | 'email' | 'password';

export type SignupPageProps = {
  brand: string;
  lang: Locale;
  csrfToken: string;
  /** The sealed authorization request the sign-up started from, carried on after it; empty without one. */
  request: string;
  username?: string;
  email?: string;
  /** The field that was refused and why; or a message for the whole form. */
  error?: { field: SignupField | null; message: string };
};

/** The sign-up form: username, address, password. Works without JavaScript; a refusal names its field. */
export function SignupPage(props: SignupPageProps) {
  const t = signupText[props.lang];
  const { error } = props;
  const fieldError = (field: SignupField) => (error?.field === field ? error.message : undefined);
  const invalid = (field: SignupField) => (error?.field === field ? 'true' : undefined);
  return (
    <Layout brand={props.brand} title={t.title} lang={props.lang}>
      <h1>{t.title}</h1>
      <p class="lead">{t.lead}</p>
      {error && error.field === null ? (
        <p class="alert" role="alert">
          {error.message}
        </p>
      ) : null}
      <form method="post" action="/signup">
        <input type="hidden" name="csrf_token" value={props.csrfToken} />
        <input type="hidden" name="request" value={props.request} />
        <input type="hidden" name="ui_locales" value={props.lang} />
        <div class="field">
          <label for="username">{t.username}</label>
          <input
            id="username"
            name="username"
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            maxlength={64}
            value={props.username ?? ''}
            autofocus={!error || error.field === 'username'}
            aria-invalid={invalid('username')}
            aria-describedby={fieldError('username') ? 'username-error username-hint' : 'username-hint'}
          />
          {fieldError('username') ? (
            <span class="field-error" id="username-error">
              {fieldError('username')}
            </span>
          ) : null}
          <span class="hint" id="username-hint">
            {t.usernameHint}
          </span>
        </div>
        <div class="field">
          <label for="email">{t.email}</label>
          <input
            id="email"
            name="email"
            type="email"
            autocomplete="email"
            required
            maxlength={254}
            value={props.email ?? ''}
            aria-invalid={invalid('email')}
            aria-describedby={fieldError('email') ? 'email-error email-hint' : 'email-hint'}
          />
          {fieldError('email') ? (
            <span class="field-error" id="email-error">
              {fieldError('email')}
            </span>
          ) : null}
          <span class="hint" id="email-hint">
            {t.emailHint}
          </span>
        </div>
        <NewPasswordField label={t.password} hint={passwordText[props.lang].hint} error={fieldError('password')} />
        <button type="submit" class="button primary">
          {t.submit}
        </button>
      </form>
    </Layout>
  );
}
