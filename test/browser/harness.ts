import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { onCleanup } from '../helpers/deps.js';

// A real Chromium (Debian's packages, driven by playwright-core) for the hosted pages. Cookies marked
// Secure work over plain http here because Chromium treats loopback as a secure context.

// Debian's chromium-headless-shell is the same Chromium build without the browser's own user interface (the "old"
// headless mode); the browser tests took half the CPU with it (56 s against 117 s here). The full browser serves
// where it is the only one installed.
const debianChromium = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];
export const chromiumPath = process.env.CHROMIUM_PATH ?? debianChromium.find((path) => existsSync(path)) ?? debianChromium[1]!;

/** Why the browser tests cannot run here, or null when they can. */
export const browserMissing: string | null = existsSync(chromiumPath)
  ? null
  : `no Chromium at ${chromiumPath} (install Debian's chromium-headless-shell or chromium package, or set CHROMIUM_PATH)`;
if (browserMissing) console.warn(`browser tests skipped: ${browserMissing}`);

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // One renderer process for both test origins (127.0.0.1 and localhost) instead of one per site: about a tenth less
  // CPU for the browser tests here. The pages' own isolation (their CSP, cookies) is what the tests check.
  '--disable-site-isolation-trials',
  '--disable-features=IsolateOrigins,site-per-process',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

let shared: Promise<Browser> | undefined;

/**
 * The worker's Chromium, launched by the first test that asks and shared by the tests that follow it (the browser
 * tests share their worker's modules: isolate: false in vitest.config.ts); playwright closes it when the worker
 * exits. Every context a test opens is closed after that test, so each test starts from a browser without cookies
 * or pages. Starting Chromium took more CPU than most tests' pages.
 */
export async function testBrowser(): Promise<Browser> {
  shared ??= launchChromium().then((browser) => {
    browser.on('disconnected', () => (shared = undefined));
    return browser;
  });
  const browser = await shared;
  onCleanup(() => Promise.all(browser.contexts().map((context) => context.close())).then(() => undefined));
  return browser;
}

/**
 * The client's side of the redirect: an HTTP server on loopback that records each request and
 * answers with a small page. Its URL is registered as `http://127.0.0.1/callback` (any port matches).
 */
export async function callbackServer() {
  const hits: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/callback') hits.push(url); // not the browser's /favicon.ico
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Callback</title><h1>Back in the app</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/callback`, hits };
}

/**
 * Saves the page as docs/screenshots/NAME.png for the README, only when asked to (TESSERA_SCREENSHOTS=1, or
 * `npm run screenshots` for the pages it renders itself): a test run leaves the checkout as it was.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.TESSERA_SCREENSHOTS !== '1') return;
  mkdirSync('docs/screenshots', { recursive: true });
  await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true });
}
