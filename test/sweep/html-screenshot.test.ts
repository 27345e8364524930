import { existsSync, mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { renderSweepHtml } from '../../src/report/sweep-html.js';
import { renderSweepSvg } from '../../src/report/sweep-svg.js';
import { sampleSweep } from './sample-sweep.js';

/**
 * The HTML report as a browser shows it: headless Chromium loads the file, the page has its title,
 * the heatmap has a size and one rect per cell, and the screenshot is a real picture (many
 * colours, not a blank page). Skipped with a warning without /usr/bin/chromium, unless
 * KPSIM_REQUIRE_BROWSER=1 (CI), where a missing browser fails.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const haveBrowser = existsSync(CHROMIUM);
const required = process.env['KPSIM_REQUIRE_BROWSER'] === '1';
if (!haveBrowser && !required) console.warn(`html-screenshot.test.ts: ${CHROMIUM} not found, skipping the browser test (set KPSIM_REQUIRE_BROWSER=1 to fail instead)`);

const tmp = mkdtempSync(join(tmpdir(), 'kpsim-sweep-html-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.runIf(haveBrowser || required)('sweep HTML report in headless Chromium', () => {
  it('renders the title, a sized heatmap with one rect per cell, and a colourful screenshot', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is required (KPSIM_REQUIRE_BROWSER=1)`).toBe(true);
    const { result } = sampleSweep('seed-flaw', '10s..10m/8log', '1s..2m/10log');
    const file = join(tmp, 'report.html');
    writeFileSync(file, renderSweepHtml(result));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);
      expect(await page.title()).toBe('kpsim sweep: seed-flaw (server keepalive)');
      // Nothing but the file itself was fetched.
      expect(requests).toEqual([pathToFileURL(file).href]);

      const map = page.locator('#heatmap-false-kills svg');
      const box = await map.boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(200);
      expect(box?.height ?? 0).toBeGreaterThan(200);
      expect(await map.locator('rect.cell').count()).toBe(80);
      const cellBox = await map.locator('rect.cell').first().boundingBox();
      expect(cellBox?.width ?? 0).toBeGreaterThan(4);

      const shot = join(tmp, 'report.png');
      const png = await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      // Count the distinct colours of the screenshot in the page itself (a canvas decodes the PNG).
      // Written as a string: it runs in the page, and this project's TypeScript has no DOM types.
      const colours = await page.evaluate<number>(`(async () => {
        const img = new Image();
        img.src = 'data:image/png;base64,${png.toString('base64')}';
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext('2d');
        ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        return seen.size;
      })()`);
      // A heatmap on a 5-stop ramp with anti-aliased text has hundreds of colours; a blank or
      // unstyled page has a handful.
      expect(colours).toBeGreaterThan(100);

      // The standalone SVG file parses as XML in the browser too.
      const svg = JSON.stringify(renderSweepSvg(result, { metric: 'false-kills' }));
      const svgOk = await page.evaluate<boolean>(`new DOMParser().parseFromString(${svg}, 'image/svg+xml').getElementsByTagName('parsererror').length === 0`);
      expect(svgOk).toBe(true);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
