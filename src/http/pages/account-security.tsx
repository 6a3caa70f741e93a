import type { Locale } from '../../domain/locale.js';
import { raw } from 'hono/html';
import type { Passkey } from '../../domain/factors.js';
import type { TotpEnrollment } from '../../services/factors/totp.js';
import type { SecurityText } from './i18n/security.js';
import { Layout } from './layout.js';

export type SecurityPageProps = {
  brand: string;
  username: string;
  csrfToken: string;
  text: SecurityText;
  lang: Locale;
  totp: boolean;
  recoveryCodesLeft: number;
  passkeys: Passkey[];
  /** A TOTP secret being set up: its QR code and the secret as text. */
  enrolling?: TotpEnrollment | null;
  /** Recovery codes just made: shown this once. */
  recoveryCodes?: string[];
  /** The sealed sign-in waiting for a factor (forced enrollment); `passed` once one is enrolled. */
  signIn?: { state: string; passed: boolean; clientName: string } | null;
  notice?: 'done' | 'failed' | 'reauth' | null;
  reauthHref?: string;
};

/** /account/security: the user's authenticator app, recovery codes and passkeys (contract section 12). */
export function SecurityPage(props: SecurityPageProps) {
  const { text } = props;
  const token = <input type="hidden" name="csrf_token" value={props.csrfToken} />;
  const signIn = props.signIn ? <input type="hidden" name="continue" value={props.signIn.state} /> : null;
  return (
    <Layout brand={props.brand} title={text.securityTitle} lang={props.lang} scripts>
      <h1>{text.securityTitle}</h1>
      <p class="who">
        {text.signedInAs} <strong>{props.username}</strong>
      </p>
      {props.signIn && !props.signIn.passed ? <p class="alert">{text.mustEnroll}</p> : null}
      {props.notice === 'failed' ? (
        <p class="alert" role="alert">
          {text.failed}
        </p>
      ) : null}
      {props.notice === 'reauth' ? (
        <p class="alert" role="alert">
          {text.reauth} <a href={props.reauthHref}>{text.reauthLink}</a>
        </p>
      ) : null}
      {props.signIn?.passed ? (
        <form method="post" action="/login/continue">
          {token}
          <input type="hidden" name="state" value={props.signIn.state} />
          <button type="submit" class="button primary">
            {text.continueTo(props.signIn.clientName)}
          </button>
        </form>
      ) : null}
      {props.recoveryCodes ? (
        <section aria-labelledby="new-codes">
          <h2 id="new-codes">{text.recoveryCodesTitle}</h2>
          <p>{text.recoveryShownOnce}</p>
          <ul class="codes" id="recovery-codes">
            {props.recoveryCodes.map((code) => (
              <li>
                <code>{code}</code>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="totp">
        <h2 id="totp">{text.totpTitle}</h2>
        <p>{props.totp ? text.totpOn : text.totpOff}</p>
        {props.enrolling ? (
          <>
            <p>{text.totpScan}</p>
            <div class="qr" role="img" aria-label={text.totpScan}>
              {raw(props.enrolling.qrSvg)}
            </div>
            <p>
              {text.totpSecretLabel}: <code id="totp-secret">{props.enrolling.secret}</code>
            </p>
            <form method="post" action="/account/security/totp/confirm">
              {token}
              {signIn}
              <div class="field">
                <label for="code">{text.totpConfirmLabel}</label>
                <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength={8} required />
              </div>
              <button type="submit" class="button primary">
                {text.totpConfirm}
              </button>
            </form>
          </>
        ) : (
          <form method="post" action={props.totp ? '/account/security/totp/remove' : '/account/security/totp'}>
            {token}
            {signIn}
            <button type="submit" class={props.totp ? 'button secondary' : 'button primary'}>
              {props.totp ? text.totpRemove : text.totpSetUp}
            </button>
          </form>
        )}
      </section>
      <section aria-labelledby="passkeys">
        <h2 id="passkeys">{text.passkeysTitle}</h2>
        {props.passkeys.length === 0 ? <p>{text.passkeysNone}</p> : null}
        <ul class="passkeys">
          {props.passkeys.map((p) => (
            <li>
              <span>
                {p.name} <span class="hint">{text.passkeyAdded(new Date(p.createdAt).toISOString().slice(0, 10))}</span>
              </span>
              <form method="post" action="/account/security/passkeys/remove">
                {token}
                <input type="hidden" name="credential_id" value={p.credentialId} />
                <button type="submit" class="button secondary" aria-label={`${text.passkeyRemove} ${p.name}`}>
                  {text.passkeyRemove}
                </button>
              </form>
            </li>
          ))}
        </ul>
        <form method="post" action="/account/security/passkeys" data-passkey="register" data-options="/account/security/passkeys/options" hidden>
          {token}
          {signIn}
          <input type="hidden" name="credential" value="" />
          <div class="field">
            <label for="passkey-name">{text.passkeyName}</label>
            <input id="passkey-name" name="name" type="text" autocomplete="off" maxlength={64} />
          </div>
          <button type="submit" class="button secondary">
            {text.passkeyAdd}
          </button>
          <p class="alert passkey-error" role="alert" hidden>
            {text.failed}
          </p>
        </form>
      </section>
      {props.totp || props.passkeys.length > 0 ? (
        <section aria-labelledby="recovery">
          <h2 id="recovery">{text.recoveryCodesTitle}</h2>
          <p>{text.recoveryLeft(props.recoveryCodesLeft)}</p>
          <form method="post" action="/account/security/recovery-codes">
            {token}
            <button type="submit" class="button secondary">
              {text.recoveryRenew}
            </button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}
