// The run's page as a browser shows it: rendered from a made-up report with one fault window,
// written to a file and opened from file:// in Debian's Chromium, headless. The page must run
// without an error, fetch nothing, draw every chart, mark the failed threshold and shade the
// fault window on every chart.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { RunReport } from '../load/report';
import { renderHtmlReport } from './html-report';
import { FAULT, syntheticReport } from './testing/synthetic-report';

const CHROMIUM = '/usr/bin/chromium';
const CHARTS = ['rate', 'latency', 'errors', 'memory'];

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
}

describe('the load run page in a browser', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: this test drives Debian's Chromium. Install it with ` +
          '`bash infra/local/lib.sh chromium` (apt-get install chromium, as root or through sudo).',
      );
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    dir = mkdtempSync(join(tmpdir(), 'load-report-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(report: RunReport, name: string): Promise<Opened> {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, renderHtmlReport(report));
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.locator('#chart-rate canvas').first().waitFor();
    return { page, problems, requests };
  }

  const sizeOf = async (page: Page, selector: string) =>
    (await page.locator(selector).first().boundingBox()) ?? { width: 0, height: 0 };

  describe('a run with memory samples and one fault window', () => {
    let opened: Opened;

    beforeAll(async () => {
      opened = await open(syntheticReport(), 'with-fault');
    });

    afterAll(() => opened?.page.close());

    it('runs without a console error or a page error', () => {
      expect(opened.problems).toEqual([]);
    });

    it('fetches nothing but the file itself', () => {
      expect(opened.requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
    });

    it.each(CHARTS)('draws the %s chart on a canvas of non-zero size', async (chart) => {
      const box = await sizeOf(opened.page, `#chart-${chart} canvas`);
      expect(box.width).toBeGreaterThan(100);
      expect(box.height).toBeGreaterThan(50);
    });

    it.each(CHARTS)('shades the fault window on the %s chart', async (chart) => {
      const bands = opened.page.locator(`#chart-${chart} .fault-band`);
      await expect(bands.count()).resolves.toBe(1);
      await expect(bands.first().getAttribute('data-fault')).resolves.toBe(FAULT.name);
      const band = await sizeOf(opened.page, `#chart-${chart} .fault-band`);
      const plot = await sizeOf(opened.page, `#chart-${chart} .u-over`);
      expect(band.width).toBeGreaterThan(0);
      // Six seconds of a thirty-second axis: about a fifth of the plot's width.
      expect(band.width / plot.width).toBeCloseTo(FAULT.forS / 30, 1);
    });

    it('shows the failed threshold as failed and the held one as passed', async () => {
      const failed = opened.page.locator('table.thresholds tr.threshold-fail');
      await expect(failed.count()).resolves.toBe(1);
      await expect(failed.locator('td').nth(0).textContent()).resolves.toBe('FAIL');
      await expect(failed.locator('td').nth(1).textContent()).resolves.toBe(
        'http_req_duration{name:hold}',
      );
      const held = opened.page.locator('table.thresholds tr.threshold-pass');
      await expect(held.locator('td').nth(1).textContent()).resolves.toBe('errors');
      await expect(opened.page.locator('.verdict').textContent()).resolves.toBe(
        '1 threshold(s) failed.',
      );
    });

    it('shows the verifier counts and the run totals', async () => {
      const verifiers = await opened.page
        .locator('table.verifiers tbody tr')
        .evaluateAll((rows) =>
          rows.map((r) => [...r.querySelectorAll('td')].map((cell) => cell.textContent)),
        );
      expect(verifiers).toEqual([
        ['ledger balance', 'not checked'],
        ['orphan holds', '2'],
        ['oversold', '0'],
      ]);
      const totals = await opened.page.locator('#totals table').first().innerText();
      expect(totals).toContain(String(syntheticReport().totals.dropped));
    });

    it('shows the report strings as text, never as markup', async () => {
      await expect(opened.page.locator('#summary p').first().textContent()).resolves.toBe(
        'Buyers race for <500> seats & "check out"',
      );
      await expect(opened.page.locator('pre.details').textContent()).resolves.toContain(
        '</script><script>alert(1)</script>',
      );
    });
  });

  describe('a run without memory samples or faults', () => {
    let opened: Opened;

    beforeAll(async () => {
      opened = await open(syntheticReport({ memory: [], faults: undefined }), 'plain');
    });

    afterAll(() => opened?.page.close());

    it('draws the traffic charts, leaves the memory chart out and shades nothing', async () => {
      expect(opened.problems).toEqual([]);
      for (const chart of ['rate', 'latency', 'errors']) {
        expect((await sizeOf(opened.page, `#chart-${chart} canvas`)).width).toBeGreaterThan(100);
      }
      await expect(opened.page.locator('#chart-memory').count()).resolves.toBe(0);
      await expect(opened.page.locator('.fault-band').count()).resolves.toBe(0);
    });
  });
});
