import type { Locale } from '../../domain/locale.js';
import { verifyEmailText } from './i18n/verify-email.js';
import { Layout } from './layout.js';

/**
 * What the verification link opens: a button, not the verification itself, so a mail scanner that fetches
 * every link in a mail does not use it up.
 */
export function VerifyEmailPage(props: { brand: string; lang: Locale; csrfToken: string; token: string; address: string; username: string }) {
  const t = verifyEmailText[props.lang];
  return (
    <Layout brand={props.brand} title={t.title} lang={props.lang}>
      <h1>{t.title}</h1>
      <p class="lead">{t.lead(props.address, props.username)}</p>
      <form method="post" action="/verify-email">
        <input type="hidden" name="csrf_token" value={props.csrfToken} />
        <input type="hidden" name="token" value={props.token} />
        <input type="hidden" name="ui_locales" value={props.lang} />
        <button type="submit" class="button primary">
          {t.submit}
        </button>
      </form>
    </Layout>
  );
}
