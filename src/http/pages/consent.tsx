import { FormState, Layout } from './layout.js';
import type { Locale } from '../../domain/locale.js';
import { consentText, type ConsentText } from './i18n/consent.js';

export type ConsentPageProps = {
  brand: string;
  locale: Locale;
  clientName: string;
  username: string;
  scopes: string[];
  csrfToken: string;
  request: string;
};

/** Asks the user whether a third-party application may have the listed scopes. */
export function ConsentPage(props: ConsentPageProps) {
  const t: ConsentText = consentText[props.locale];
  return (
    <Layout brand={props.brand} title={t.title} lang={props.locale}>
      <h1>
        {t.headingBefore}
        <span class="client">{props.clientName}</span>
        {t.headingAfter}
      </h1>
      <p class="lead">{t.notOurs(props.brand)}</p>
      <ul class="scopes">
        {props.scopes.length === 0 ? (
          <li>
            <span>
              <span class="scope-name">{t.signInOnly.title}</span>
              <span class="scope-text">{t.signInOnly.text}</span>
            </span>
          </li>
        ) : (
          props.scopes.map((scope) => {
            const known = Object.hasOwn(t.scopes, scope) ? t.scopes[scope] : undefined;
            return (
              <li>
                <span>
                  <span class="scope-name">{known?.title ?? scope}</span>
                  {known ? <span class="scope-text">{known.text}</span> : null}
                </span>
              </li>
            );
          })
        )}
      </ul>
      <form method="post" action="/consent">
        <FormState csrfToken={props.csrfToken} request={props.request} />
        <div class="actions">
          <button type="submit" name="decision" value="deny" class="button secondary">
            {t.deny}
          </button>
          <button type="submit" name="decision" value="allow" class="button primary">
            {t.allow}
          </button>
        </div>
      </form>
      <p class="who">
        {t.signedInAs}
        <strong>{props.username}</strong>
      </p>
    </Layout>
  );
}
