/**
 * What the consent page says each scope Tessera knows lets an application do, in a person's words.
 * A scope defined by the operator has no entry: the page shows its name and invents nothing.
 */
export const scopeDescriptions: ReadonlyMap<string, { title: string; text: string }> = new Map(
  Object.entries({
    openid: { title: 'Know it is you', text: 'It learns which account you signed in with here.' },
    profile: { title: 'See your profile', text: 'Your username, and your name, picture and language if your account has them.' },
    email: { title: 'See your e-mail address', text: 'And whether it has been confirmed.' },
    offline_access: { title: 'Stay connected', text: 'It keeps its access while you are away, until you sign out of it or it is revoked.' },
    admin: { title: 'Manage this sign-in service', text: 'Create and change users and applications, and end their sessions.' },
    introspect: { title: 'Check sign-in tokens', text: 'Ask whether tokens issued here are still valid, and whom they belong to.' },
  }),
);
