import type { Locale } from '../../domain/locale.js';
import type { SecurityText } from './i18n/security.js';
import { Layout } from './layout.js';

export type SecondStepPageProps = {
  brand: string;
  clientName: string;
  csrfToken: string;
  state: string;
  methods: { totp: boolean; passkeys: boolean; recoveryCodes: boolean };
  error?: 'wrong_code' | 'too_many';
  text: SecurityText;
  lang: Locale;
};

/** The second step after a password (contract section 12): a code, a passkey, or a recovery code. */
export function SecondStepPage(props: SecondStepPageProps) {
  const { text, methods } = props;
  const hidden = (
    <>
      <input type="hidden" name="csrf_token" value={props.csrfToken} />
      <input type="hidden" name="state" value={props.state} />
    </>
  );
  const error = props.error === 'too_many' ? text.tooMany : props.error === 'wrong_code' ? text.wrongCode : null;
  return (
    <Layout brand={props.brand} title={text.secondStepTitle} lang={props.lang} scripts={methods.passkeys}>
      <h1>{text.secondStepTitle}</h1>
      <p class="lead">{text.secondStepLead(props.clientName)}</p>
      {error ? (
        <p class="alert" role="alert" id="code-error">
          {error}
        </p>
      ) : null}
      {methods.totp ? (
        <form method="post" action="/login/second-step">
          {hidden}
          <div class="field">
            <label for="code">{text.codeLabel}</label>
            <input
              id="code"
              name="code"
              type="text"
              inputmode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9 ]*"
              maxlength={8}
              required
              autofocus
              aria-describedby={error ? 'code-error code-hint' : 'code-hint'}
            />
            <p class="hint" id="code-hint">
              {text.codeHint}
            </p>
          </div>
          <button type="submit" class="button primary">
            {text.verify}
          </button>
        </form>
      ) : null}
      {methods.passkeys ? (
        <form method="post" action="/login/second-step" data-passkey="authenticate" data-options="/webauthn/authentication/options" hidden>
          {hidden}
          <input type="hidden" name="credential" value="" />
          <button type="submit" class="button secondary">
            {text.usePasskey}
          </button>
          <p class="alert passkey-error" role="alert" hidden>
            {text.failed}
          </p>
        </form>
      ) : null}
      {methods.recoveryCodes ? (
        <details class="recovery">
          <summary>{text.recoveryTitle}</summary>
          <form method="post" action="/login/second-step">
            {hidden}
            <div class="field">
              <label for="recovery_code">{text.recoveryLabel}</label>
              <input id="recovery_code" name="recovery_code" type="text" autocomplete="off" autocapitalize="none" spellcheck={false} maxlength={32} required />
            </div>
            <button type="submit" class="button secondary">
              {text.useRecovery}
            </button>
          </form>
        </details>
      ) : null}
    </Layout>
  );
}
