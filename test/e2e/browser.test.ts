/**
 * The HTML report in a real browser: headless Chromium (Debian's `chromium` package, driven by
 * playwright-core) opens the demo report from disk, with every request routed and recorded:
 * none may leave the page's own file. No console errors, every chart has a size, the sortable
 * tables work (so the page's own script ran under its CSP), hostile data runs no script, and
 * screenshots (light, dark) land in test-output/ to look at.
 *
 * Skipped, loudly, only where no Chromium can be found (`apt-get install chromium`; .ci/run
 * installs it when it can).
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRIPT_COMMENT, writeHostileExports } from './html-inject.js';
import { ROOT, cxm } from './run.js';

const CHROMIUM = [process.env.CXM_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));
if (!CHROMIUM) {
  console.warn(
    '\n' +
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' +
      '!!! browser.test.ts SKIPPED: no Chromium at /usr/bin/chromium (or $CXM_CHROMIUM).\n' +
      '!!! The HTML report was NOT checked in a browser. Install it: apt-get install chromium\n' +
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n',
  );
}
const itb = it.skipIf(!CHROMIUM);

const OUTPUT = path.join(ROOT, 'test-output');
const REPORT = path.join(OUTPUT, 'report.html');
const HOSTILE = path.join(OUTPUT, 'report-hostile.html');

let browser: Browser | undefined;
let hostileDir: string | undefined;

interface Visit {
  page: Page;
  requests: string[];
  errors: string[];
}

/** Opens a file with every request routed: the page's own file passes, anything else is recorded and aborted. */
async function visit(file: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Visit> {
  const context = await browser!.newContext({ viewport: { width: 1280, height: 1000 }, colorScheme, javaScriptEnabled: true });
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const target = route.request().url();
    if (target === url) return route.continue();
    requests.push(target);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('request', (request) => {
    if (request.url() !== url && !requests.includes(request.url())) requests.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  return { page, requests, errors };
}

beforeAll(async () => {
  if (!CHROMIUM) return;
  mkdirSync(OUTPUT, { recursive: true });
  const report = cxm(['report', 'fixtures/demo', '--period', 'month', '--now', '2025-07-01', '--format', 'html', '--out', REPORT], { timeoutMs: 300_000 });
  expect(report.code, report.stderr).toBe(0);
  hostileDir = writeHostileExports();
  const hostile = cxm(['report', hostileDir, '--by', 'channel', '--now', '2025-07-01', '--format', 'html'], { timeoutMs: 300_000 });
  expect(hostile.code, hostile.stderr).toBe(0);
  writeFileSync(HOSTILE, hostile.stdout);
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 120_000,
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (hostileDir) rmSync(hostileDir, { recursive: true, force: true });
});

describe('the HTML report in headless Chromium', () => {
  itb('loads from disk with no request beyond its own file and no console error; every chart has a size', async () => {
    const { page, requests, errors } = await visit(REPORT);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    const sizes = await page.$$eval('svg[role="img"]', (svgs) => svgs.map((s) => ({ id: s.getAttribute('aria-labelledby'), ...s.getBoundingClientRect().toJSON() }) as { id: string; width: number; height: number }));
    // 12 tile sparklines + 37 trends + NPS, CSAT, CES, channels + drivers, at the time of writing
    expect(sizes.length).toBeGreaterThan(40);
    for (const s of sizes) {
      expect(s.width, s.id).toBeGreaterThan(50);
      expect(s.height, s.id).toBeGreaterThan(20);
    }
    // nothing is wider than the window (the hidden data tables must not make the page scroll sideways)
    // (page.evaluate with source text: the tests compile without the DOM library)
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    await page.screenshot({ path: path.join(OUTPUT, 'report.png'), fullPage: true, timeout: 180_000 });
    await page.screenshot({ path: path.join(OUTPUT, 'report-top.png'), clip: { x: 0, y: 0, width: 1280, height: 1500 }, fullPage: true, timeout: 180_000 });
    await page.context().close();
  });

  itb('the page’s own script runs under its CSP: a table sorts by a header click', async () => {
    const { page, errors } = await visit(REPORT);
    const table = page.locator('#metrics table').first();
    const button = table.locator('thead th button', { hasText: /^n$/ });
    await button.click();
    expect(await table.locator('thead th').nth(3).getAttribute('aria-sort')).toBe('ascending');
    const ns = (await table.locator('tbody tr td:nth-child(4)').allTextContents()).map((t) => Number(t.replace(/,/g, '')));
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
    await button.click();
    expect(await table.locator('thead th').nth(3).getAttribute('aria-sort')).toBe('descending');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itb('dark mode: the page and chart text follow the colour scheme', async () => {
    const { page, errors } = await visit(REPORT, 'dark');
    const colours = (await page.evaluate(
      `({ background: getComputedStyle(document.documentElement).backgroundColor, chartText: getComputedStyle(document.querySelector('#trends svg text')).fill })`,
    )) as { background: string; chartText: string };
    expect(colours.background).toBe('rgb(15, 19, 23)');
    // axis labels are currentColor: the light text colour of the dark style
    expect(colours.chartText).toBe('rgb(230, 237, 243)');
    expect(errors).toEqual([]);
    await page.screenshot({ path: path.join(OUTPUT, 'report-dark.png'), fullPage: true, timeout: 180_000 });
    await page.context().close();
  });

  itb('hostile data: no injected script runs and the markup reads as text', async () => {
    const { page, requests, errors } = await visit(HOSTILE);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#themes').textContent()).toContain(SCRIPT_COMMENT);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
