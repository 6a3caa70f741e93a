import type { Locale } from '../../domain/locale.js';
import type { ConsentGroup } from '../../services/sign-in/grants.js';
import { apisText } from './i18n/apis.js';
import { FormState, Layout } from './layout.js';
import { scopeDescriptions } from './scope-descriptions.js';

export type ConsentPageProps = {
  brand: string;
  clientName: string;
  username: string;
  /** What is asked, per API (name null: the account itself). */
  groups: ConsentGroup[];
  locale: Locale;
  csrfToken: string;
  request: string;
};

/** One scope: Tessera's own words for its scopes, the operator's description for an API's. */
function ScopeItem(props: { scope: ConsentGroup['scopes'][number]; api: boolean; locale: Locale }) {
  const known = props.api ? undefined : scopeDescriptions.get(props.scope.name);
  const text = props.api ? (props.scope.description ?? apisText[props.locale].noDescription) : known?.text;
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
function ScopeGroups(props: { groups: ConsentGroup[]; locale: Locale }) {
  const text = apisText[props.locale];
  const own = props.groups.filter((g) => g.name === null && g.scopes.length > 0);
  const apis = props.groups.filter((g) => g.name !== null && g.scopes.length > 0);
  if (own.length + apis.length === 0) {
    return (
      <ul class="scopes">
        <li>
          <span>
            <span class="scope-name">Sign you in</span>
            <span class="scope-text">No other access to your account</span>
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
              <ScopeItem scope={scope} api={false} locale={props.locale} />
            ))}
          </ul>
        </>
      ))}
      {apis.map((g) => (
        <>
          <h2 class="api-name">{text.apiHeading(g.name!)}</h2>
          <ul class="scopes">
            {g.scopes.map((scope) => (
              <ScopeItem scope={scope} api={true} locale={props.locale} />
            ))}
          </ul>
        </>
      ))}
    </>
  );
}

/** Asks the user whether a third-party application may have the listed scopes. */
export function ConsentPage(props: ConsentPageProps) {
  return (
    <Layout brand={props.brand} title="Allow access">
      <h1>
        Allow <span class="client">{props.clientName}</span> to access your account?
      </h1>
      <p class="lead">This application is not made by {props.brand}. It is asking for:</p>
      <ScopeGroups groups={props.groups} locale={props.locale} />
      <form method="post" action="/consent">
        <FormState csrfToken={props.csrfToken} request={props.request} />
        <div class="actions">
          <button type="submit" name="decision" value="deny" class="button secondary">
            Deny
          </button>
          <button type="submit" name="decision" value="allow" class="button primary">
            Allow
          </button>
        </div>
      </form>
      <p class="who">
        Signed in as <strong>{props.username}</strong>
      </p>
    </Layout>
  );
}
