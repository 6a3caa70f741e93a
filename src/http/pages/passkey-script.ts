import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// The browser side of passkeys: @simplewebauthn/browser's bundle and our few lines that drive it, both
// served from Tessera's own origin. Forms marked data-passkey fetch their options (POST, the form's
// fields, CSRF token included), run the ceremony, put the answer into the `credential` field and submit,
// so the server answers as it does any form. Without JavaScript they stay hidden.

export const simpleWebAuthnPath = '/assets/simplewebauthn-browser.js';
export const passkeyScriptPath = '/assets/passkeys.js';
export const passkeyScriptPaths = [simpleWebAuthnPath, passkeyScriptPath] as const;

export const simpleWebAuthnBundle = readFileSync(createRequire(import.meta.url).resolve('@simplewebauthn/browser/dist/bundle/index.umd.min.js'), 'utf8');

export const passkeyScript = `'use strict';
(function () {
  var lib = window.SimpleWebAuthnBrowser;
  if (!lib || !lib.browserSupportsWebAuthn()) return;
  function options(form) {
    return fetch(form.dataset.options, { method: 'POST', body: new URLSearchParams(new FormData(form)), credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error('options'); return r.json(); });
  }
  function send(form, credential) {
    form.elements.namedItem('credential').value = JSON.stringify(credential);
    form.submit();
  }
  document.querySelectorAll('form[data-passkey]').forEach(function (form) {
    form.hidden = false;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var register = form.dataset.passkey === 'register';
      options(form)
        .then(function (o) { return register ? lib.startRegistration(o) : lib.startAuthentication(o); })
        .then(function (credential) { send(form, credential); })
        .catch(function () { var note = form.querySelector('.passkey-error'); if (note) note.hidden = false; });
    });
  });
  var auto = document.querySelector('form[data-passkey-autofill]');
  if (auto && lib.browserSupportsWebAuthnAutofill) {
    lib.browserSupportsWebAuthnAutofill().then(function (yes) {
      if (!yes) return;
      return options(auto).then(function (o) { return lib.startAuthentication(o, true); }).then(function (credential) { send(auto, credential); });
    }).catch(function () {});
  }
})();
`;
