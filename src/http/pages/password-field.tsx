/** A field for choosing a password: the browser's password manager may suggest one (new-password), the rules are said under it. */
export function NewPasswordField(props: { label: string; hint: string; error?: string }) {
  const described = props.error ? 'password-error password-hint' : 'password-hint';
  return (
    <div class="field">
      <label for="password">{props.label}</label>
      <input
        id="password"
        name="password"
        type="password"
        autocomplete="new-password"
        required
        minlength={8}
        maxlength={1024}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described}
      />
      {props.error ? (
        <span class="field-error" id="password-error">
          {props.error}
        </span>
      ) : null}
      <span class="hint" id="password-hint">
        {props.hint}
      </span>
    </div>
  );
}
