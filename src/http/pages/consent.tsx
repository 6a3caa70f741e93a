import { FormState, Layout } from './layout.js';
import { scopeDescriptions } from './scope-descriptions.js';

export type ConsentPageProps = {
  brand: string;
  clientName: string;
  username: string;
  scopes: string[];
  csrfToken: string;
  request: string;
};

/** Asks the user whether a third-party application may have the listed scopes. */
export function ConsentPage(props: ConsentPageProps) {
  return (
    <Layout brand={props.brand} title="Allow access">
      <h1>
        Allow <span class="client">{props.clientName}</span> to access your account?
      </h1>
      <p class="lead">This application is not made by {props.brand}. It is asking for:</p>
      <ul class="scopes">
        {props.scopes.length === 0 ? (
          <li>
            <span>
              <span class="scope-name">Sign you in</span>
              <span class="scope-text">No other access to your account</span>
            </span>
          </li>
        ) : (
          props.scopes.map((scope) => {
            const known = scopeDescriptions.get(scope);
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
