import type { Locale } from '../../domain/locale.js';
import type { ConsentGroup } from '../../services/sign-in/grants.js';
import { FormState, Layout } from './layout.js';
import { consentText, type ConsentText } from './i18n/consent.js';

export type ConsentPageProps = {
  brand: string;
  locale: Locale;
  clientName: string;
  username: string;
  /** What is asked, per API (name null: the account itself). */
  groups: ConsentGroup[];
  csrfToken: string;
  request: string;
};

/** One scope: Tessera's own words for its scopes, the operator's description for an API's. */
function ScopeItem(props: { scope: ConsentGroup['scopes'][number]; api: boolean; t: ConsentText }) {
  const { t, scope } = props;
  const known = props.api || !Object.hasOwn(t.scopes, scope.name) ? undefined : t.scopes[scope.name];
  const text = props.api ? (scope.description ?? t.noDescription) : known?.text;
  return (
    <li>
      <span>
        <span class="scope-name">{known?.title ?? props.scope.name}</span>
        {text ? <span class="scope-text">{text}</span> : null}
      </span>
    </li>
  );
}

/** The scopes asked, one list per API; the account's own scopes first, headed only when APIs follow. */
function ScopeGroups(props: { groups: ConsentGroup[]; t: ConsentText }) {
  const text = props.t;
  const own = props.groups.filter((g) => g.name === null && g.scopes.length > 0);
  const apis = props.groups.filter((g) => g.name !== null && g.scopes.length > 0);
  if (own.length + apis.length === 0) {
    return (
      <ul class="scopes">
        <li>
          <span>
            <span class="scope-name">{text.signInOnly.title}</span>
            <span class="scope-text">{text.signInOnly.text}</span>
          </span>
        </li>
      </ul>
    );
  }
  return (
    <>
      {own.map((g) => (
        <>
          {apis.length > 0 ? <h2 class="api-name">{text.accountHeading}</h2> : null}
          <ul class="scopes">
            {g.scopes.map((scope) => (
              <ScopeItem scope={scope} api={false} t={text} />
            ))}
          </ul>
        </>
      ))}
      {apis.map((g) => (
        <>
          <h2 class="api-name">{text.apiHeading(g.name!)}</h2>
          <ul class="scopes">
            {g.scopes.map((scope) => (
              <ScopeItem scope={scope} api={true} t={text} />
            ))}
          </ul>
        </>
      ))}
    </>
  );
}

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
      <ScopeGroups groups={props.groups} t={t} />
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
