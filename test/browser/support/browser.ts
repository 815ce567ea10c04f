/**
 * Headless Chromium for the browser tests: Debian's `chromium` (bootstrap.sh installs it; Playwright's
 * own browser downloads do not work here and are never attempted) driven by `playwright-core`. Each
 * page records its console errors and uncaught exceptions, and screenshots go to a git-ignored
 * artifacts folder so a failing run can be looked at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { binaries, requireBinary, REPO_ROOT } from '../../../stack/src/index.ts';

/** Where screenshots go: `<repo>/.cache/artifacts/browser/` (`.cache/` is git-ignored). */
export const ARTIFACTS_DIR: string = join(REPO_ROOT, '.cache', 'artifacts', 'browser');

/** A page with what went wrong on it so far. */
export interface WatchedPage {
  page: Page;
  /**
   * Console messages of type `error` and uncaught exceptions, as text, in order. Not counted: the 404
   * of the `/favicon.ico` that Chromium itself asks for when it shows a non-HTML document (JSON, the
   * `/metrics` text), which no page of ours requests.
   */
  errors: string[];
}

/** Chromium's own favicon request for a document without one (it logs the 404 as a console error). */
const isAutoFavicon = (url: string) => {
  try {
    return new URL(url).pathname === '/favicon.ico';
  } catch {
    return false;
  }
};

/**
 * Launches headless Chromium from `FAULTLINE_CHROMIUM` (default `/usr/bin/chromium`).
 * @throws Error if Chromium is missing (run `bash scripts/bootstrap.sh`).
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = requireBinary('Chromium', binaries().chromium);
  return chromium.launch({ executablePath, headless: true });
}

/** A new page (1400×900) in its own context that records its console errors and page errors. */
export async function watchedPage(browser: Browser): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !isAutoFavicon(m.location().url)) errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return { page, errors };
}

/**
 * Saves a screenshot of the viewport as `<ARTIFACTS_DIR>/<name>.png` and returns its path (the
 * viewport, not the full page: a `/metrics` page is thousands of lines long).
 * @param name - file name without extension; anything but letters, digits, `-` and `_` becomes `_`.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, `${name.replace(/[^\w-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  return file;
}
