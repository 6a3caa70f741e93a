import type { Locale } from '../../domain/locale.js';
import { logoutText } from './i18n/logout.js';
import { Layout } from './layout.js';

export type LogoutConfirmPageProps = {
  brand: string;
  locale: Locale;
  username: string;
  /** The application that sent the browser here, when the request named one. */
  clientName: string | null;
  csrfToken: string;
  /** The request's own parameters, posted back with the answer. */
  params: Record<string, string>;
};

/**
 * "Sign out?": asked when /logout comes without an id_token of ours, which any site could have sent
 * the browser to. Only this form, with the browser's CSRF token, signs the user out.
 */
export function LogoutConfirmPage(props: LogoutConfirmPageProps) {
  const t = logoutText[props.locale];
  return (
    <Layout brand={props.brand} title={t.title} lang={props.locale}>
      <h1>{t.heading(props.brand)}</h1>
      <p class="lead">
        {props.clientName ? (
          <>
            <strong>{props.clientName}</strong>
            {t.asks}
          </>
        ) : null}
        {t.signedInAsBefore}
        <strong>{props.username}</strong>
        {t.signedInAsAfter}
      </p>
      <form method="post" action="/logout">
        <input type="hidden" name="csrf_token" value={props.csrfToken} />
        {Object.entries(props.params).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button type="submit" name="confirm" value="yes" class="button primary">
          {t.submit}
        </button>
      </form>
      <p class="who">{t.notAsked}</p>
    </Layout>
  );
}

/** The end of a logout that has no registered place to send the browser back to. */
export function SignedOutPage(props: { brand: string; locale: Locale; back: { name: string; href: string } | null }) {
  const t = logoutText[props.locale];
  return (
    <Layout brand={props.brand} title={t.signedOutTitle} lang={props.locale}>
      <h1>{t.signedOutHeading}</h1>
      {props.back ? (
        <>
          <p class="lead">{t.noLonger(props.brand)}</p>
          <a class="button secondary" href={props.back.href}>
            {t.backTo(props.back.name)}
          </a>
        </>
      ) : (
        <p class="lead">
          {t.noLonger(props.brand)} {t.closeWindow}
        </p>
      )}
    </Layout>
  );
}
