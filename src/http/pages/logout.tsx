import { Layout } from './layout.js';

export type LogoutConfirmPageProps = {
  brand: string;
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
  return (
    <Layout brand={props.brand} title="Sign out">
      <h1>Sign out of {props.brand}?</h1>
      <p class="lead">
        {props.clientName ? (
          <>
            <strong>{props.clientName}</strong> asks to sign you out.{' '}
          </>
        ) : null}
        You are signed in as <strong>{props.username}</strong>.
      </p>
      <form method="post" action="/logout">
        <input type="hidden" name="csrf_token" value={props.csrfToken} />
        {Object.entries(props.params).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button type="submit" name="confirm" value="yes" class="button primary">
          Sign out
        </button>
      </form>
      <p class="who">If you did not ask to sign out, close this page: you stay signed in.</p>
    </Layout>
  );
}

/** The end of a logout that has no registered place to send the browser back to. */
export function SignedOutPage(props: { brand: string; back: { name: string; href: string } | null }) {
  return (
    <Layout brand={props.brand} title="Signed out">
      <h1>You are signed out</h1>
      {props.back ? (
        <>
          <p class="lead">You are no longer signed in to {props.brand} in this browser.</p>
          <a class="button secondary" href={props.back.href}>
            Back to {props.back.name}
          </a>
        </>
      ) : (
        <p class="lead">You are no longer signed in to {props.brand} in this browser. You can close this window now.</p>
      )}
    </Layout>
  );
}
