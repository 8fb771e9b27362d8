/**
 * The study's HTML report in a real browser (playwright-core driving the system Chromium): the
 * index and a counterexample page render, the step control changes the picture of the child's
 * maple tree and opens the folded copy loop it steps into, nothing is logged as an error and
 * nothing but the report's own files is loaded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeStudyReport } from '../../src/study/html.js';
import { studyCell } from '../../src/study/study.js';
import { findChromium, MISSING_CHROMIUM } from './chromium.js';

const executablePath = findChromium();
if (executablePath === null && !process.env.CI) console.warn(MISSING_CHROMIUM);

describe('a Chromium for the browser tests', () => {
  it.runIf(process.env.CI)('is installed under CI (.ci/run installs Debian\'s chromium)', () => {
    expect(executablePath, MISSING_CHROMIUM).not.toBeNull();
  });
});

describe.skipIf(executablePath === null)('the study report in Chromium', () => {
  const prefix = '6.10-6.11.6';
  const fixed = '7.0';
  let dir: string;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mapletree-report-'));
    const results = [studyCell(prefix, 'swapoff', { bound: 1, strategy: 'dpor' }), studyCell(fixed, 'swapoff', { bound: 1, strategy: 'dpor' })];
    writeStudyReport(dir, { bound: 1, parentVmas: 8, results, executions: results.reduce((n, c) => n + c.executions, 0), timeMs: 0 },
      ['swapoff'], [prefix, fixed]);
    browser = await chromium.launch({ executablePath: executablePath!, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('request', (r) => requests.push(r.url()));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders the index: the table with a link to the counterexample, the configurations and the parent', async () => {
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    expect(await page.locator('#results tr').count()).toBe(3);
    expect(await page.locator('#results td.bug a').count()).toBe(1);
    expect(await page.locator('#results td.verified').count()).toBe(1);
    expect(await page.locator('#configurations tr').count()).toBe(3);
    expect(await page.locator('#parent-maps').textContent()).toContain('[heap]');
  });

  it('opens the counterexample, whose step control changes the picture of the child\'s tree', async () => {
    await page.locator('#results td.bug a').click();
    await page.waitForURL(/swapoff\.html$/);
    expect(await page.locator('h1').textContent()).toContain('swapoff');
    const visibleTree = async (): Promise<string> => page.locator('.view:not([hidden]) .tree').innerHTML();
    // It opens at the crash: the marker is in the tree, drawn highlighted.
    const atCrash = await visibleTree();
    expect(await page.locator('.view:not([hidden]) svg text.hl').first().textContent()).toContain('zero (257)');
    // Back to the step just after __mt_dup: the child holds the parent's copy, no marker yet.
    const dupStep = await page.locator('.lanes tr[data-label*="__mt_dup"]').getAttribute('data-i');
    await page.locator('#step').fill(dupStep!);
    const afterDup = await visibleTree();
    expect(afterDup).not.toBe(atCrash);
    expect(afterDup).not.toContain('zero (257)');
    expect(await page.locator(`.lanes tr.sel`).getAttribute('data-i')).toBe(dupStep);
    // The ▶ button moves one step and the label follows.
    const label = await page.locator('#step-label').textContent();
    await page.locator('#next').click();
    expect(await page.locator('#step').inputValue()).toBe(String(Number(dupStep) + 1));
    expect(await page.locator('#step-label').textContent()).not.toBe(label);
    // Fork's copy loop is folded; stepping into a fold opens it.
    const folded = page.locator('.lanes tr[data-fold]').last();
    expect(await folded.isHidden()).toBe(true);
    const foldedStep = (await folded.getAttribute('data-i'))!;
    await page.locator('#step').fill(foldedStep);
    expect(await folded.isVisible()).toBe(true);
    expect(await page.locator('.lanes tr.sel').getAttribute('data-i')).toBe(foldedStep);
    // The kernel links are plain links to the source, not loaded.
    expect(await page.locator('.lanes a.k').first().getAttribute('href')).toMatch(/^https:\/\/elixir\.bootlin\.com\/linux\/[^/]+\/A\/ident\/\w+$/);
    await page.locator('nav a').click();
    await page.waitForURL(/index\.html$/);
  });

  it('logged no error and loaded nothing but its own files', () => {
    expect(problems).toEqual([]);
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(requests.filter((u) => !u.startsWith(pathToFileURL(dir).href))).toEqual([]);
  });
});
