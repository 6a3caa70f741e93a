import { FormState, Layout } from './layout.js';

export type LoginPageProps = {
  brand: string;
  /** The application the user signs in to. */
  clientName: string;
  csrfToken: string;
  request: string;
  username?: string;
  error?: string;
  /** The upstream providers: one "Continue with NAME" link each. */
  providers?: { name: string; href: string }[];
};

/** The hosted sign-in form: works without JavaScript, and one message for every failure. */
export function LoginPage(props: LoginPageProps) {
  return (
    <Layout brand={props.brand} title="Sign in" scripts>
      <h1>Sign in</h1>
      <p class="lead">
        to continue to <strong>{props.clientName}</strong>
      </p>
      {props.error ? (
        <p class="alert" role="alert" id="login-error">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/login">
        <FormState csrfToken={props.csrfToken} request={props.request} />
        <div class="field">
          <label for="username">Username</label>
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
          <label for="password">Password</label>
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
          Sign in
        </button>
      </form>
      <form method="post" action="/login/passkey" data-passkey="authenticate" data-passkey-autofill data-options="/webauthn/authentication/options" hidden>
        <FormState csrfToken={props.csrfToken} request={props.request} />
        <input type="hidden" name="credential" value="" />
        <button type="submit" class="button secondary">
          Sign in with a passkey
        </button>
        <p class="alert passkey-error" role="alert" hidden>
          That passkey could not sign you in. Try again, or use your password.
        </p>
      </form>
      {props.providers && props.providers.length > 0 ? (
        <>
          <p class="divider">or</p>
          <ul class="providers">
            {props.providers.map((p) => (
              <li>
                <a class="button secondary" href={p.href}>
                  Continue with {p.name}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}
