import { UAParser } from 'ua-parser-js';

/** What a user agent says about the device it came from; each part null when it does not say. */
export type Device = { browser: string | null; os: string | null; type: 'mobile' | 'tablet' | 'desktop' | null };

/** The browser, operating system and kind of device of a User-Agent header (ua-parser-js); all null without one. */
export function deviceOf(userAgent: string | null): Device {
  if (!userAgent) return { browser: null, os: null, type: null };
  const { browser, os, device } = new UAParser(userAgent).getResult();
  const type = device.type === 'mobile' || device.type === 'tablet' ? device.type : browser.name || os.name ? 'desktop' : null;
  return { browser: browser.name ?? null, os: os.name ?? null, type };
}
