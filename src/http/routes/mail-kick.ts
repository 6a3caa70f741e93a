/** Wakes the mail sender at once after a page queued a mail (it also looks every second by itself). */
export type MailKick = { kick(): void };
