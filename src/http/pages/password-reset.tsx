import type { Locale } from '../../domain/locale.js';
import { passwordResetText } from './i18n/password-reset.js';
import { passwordText } from './i18n/password.js';
import { Layout } from './layout.js';
import { NewPasswordField } from './password-field.js';

/** "Forgot your password?": one field, a username or an address. */
export function ResetRequestPage(props: { brand: string; lang: Locale; csrfToken: string; identifier?: string; error?: string }) {
  const t = passwordResetText[props.lang];
  return (
    <Layout brand={props.brand} title={t.title} lang={props.lang}>
      <h1>{t.title}</h1>
      <p class="lead">{t.lead}</p>
      {props.error ? (
        <p class="alert" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/password-reset">
        <input type="hidden" name="csrf_token" value={props.csrfToken} />
        <input type="hidden" name="ui_locales" value={props.lang} />
        <div class="field">
          <label for="identifier">{t.identifier}</label>
          <input
            id="identifier"
            name="identifier"
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            maxlength={256}
            value={props.identifier ?? ''}
            autofocus
          />
        </div>
        <button type="submit" class="button primary">
          {t.submit}
        </button>
      </form>
    </Layout>
  );
}

/** The new-password form a reset link opens; the token goes back in the form, never into a cookie or a log. */
export function ResetPasswordPage(props: { brand: string; lang: Locale; csrfToken: string; token: string; username: string; error?: string }) {
  const t = passwordResetText[props.lang];
  return (
    <Layout brand={props.brand} title={t.newTitle} lang={props.lang}>
      <h1>{t.newTitle}</h1>
      <p class="lead">{t.newLead(props.username)}</p>
      <form method="post" action="/password-reset">
        <input type="hidden" name="csrf_token" value={props.csrfToken} />
        <input type="hidden" name="token" value={props.token} />
        <input type="hidden" name="ui_locales" value={props.lang} />
        {/* Lets the password manager store the new password under the right account. */}
        <input type="text" name="username" autocomplete="username" value={props.username} hidden readonly />
        <NewPasswordField label={t.newPassword} hint={passwordText[props.lang].hint} error={props.error} />
        <button type="submit" class="button primary">
          {t.newSubmit}
        </button>
      </form>
    </Layout>
  );
}
