/**
 * The web pages in a real browser: Debian's Chromium, driven by playwright-core, against a whole
 * bot on loopback with a known scenario (an outage with two updates; a rotation with a cover and
 * a gap; a month with a conflict). Every page loads without a console error, shows the scenario
 * in the browser's own zone (the zone script asks the browser), passes axe-core with no serious
 * or critical violation in light and dark mode, and is screenshot at phone and desktop widths
 * under test-results/web/ (git-ignored) for a reviewer to look at.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebWorld, type WebWorld } from '../support/web-world.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-results', 'web');
const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const;

let w: WebWorld;
let browser: Browser;
let axeSource: string;

beforeAll(async () => {
  w = await startWebWorld();
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // playwright gives the browser a new empty profile of its own (a fresh --user-data-dir).
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await mkdir(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await w?.close();
});

interface Visit {
  page: Page;
  errors: string[];
  close(): Promise<void>;
}

/** Open `path` as a viewer in New York; the zone script reloads it with ?tz=America/New_York. */
async function visit(path: string, size: { width: number; height: number }, colorScheme: 'light' | 'dark' = 'light', zoneReload = true): Promise<Visit> {
  const context = await browser.newContext({ viewport: size, timezoneId: 'America/New_York', colorScheme, locale: 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  await page.goto(`${w.rig.appUrl}${path}`);
  if (zoneReload) await page.waitForURL(/[?&]tz=America%2FNew_York/);
  await page.waitForLoadState('load');
  return { page, errors, close: () => context.close() };
}

async function axe(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run();
    // Each failing element and why, so a failure names what to fix.
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: (v.nodes as { target: string[]; failureSummary?: string }[]).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

async function check(name: string, path: string, expectations: (page: Page) => Promise<void>): Promise<void> {
  for (const [label, size] of Object.entries(WIDTHS)) {
    for (const scheme of ['light', 'dark'] as const) {
      const v = await visit(path, size, scheme);
      try {
        await expectations(v.page);
        expect(await axe(v.page), `${name} ${label} ${scheme}`).toEqual([]);
        await v.page.screenshot({ path: join(SHOTS, `${name}-${label}-${scheme}.png`), fullPage: true });
        expect(v.errors, `${name} ${label} ${scheme}`).toEqual([]);
      } finally {
        await v.close();
      }
    }
  }
}

describe('web pages in Chromium', () => {
  it('the status page shows the outage and its two updates, in the browser zone', async () => {
    await check('status', await w.linkPath('status', 'prod-east'), async (page) => {
      const outage = page.locator(`#notice-${w.noticeId}`);
      await expect.poll(() => outage.textContent()).toContain('API returns 503');
      const text = (await outage.textContent()) ?? '';
      expect(text).toContain('Bad config push; rolling back');
      expect(text).toContain('Fix deployed, watching error rates');
      expect(text).toMatch(/\d{2}:\d{2} E[SD]T/);
      expect(await page.locator('.indicator').textContent()).toContain('Partial outage');
      expect(await page.locator('footer').textContent()).toContain('America/New_York');
    });
  }, 120_000);

  it('the on-call page draws the cover and the gap on the two-week timeline', async () => {
    await check('oncall', await w.linkPath('oncall', 'payments'), async (page) => {
      expect(await page.locator('svg.timeline .bar-override').count()).toBeGreaterThanOrEqual(1);
      expect(await page.locator('svg.timeline .bar-gap').count()).toBeGreaterThanOrEqual(1);
      expect(await page.locator('svg.timeline .bar-leave').count()).toBe(2);
      expect(await page.locator('.ledger-table tbody tr').count()).toBe(2);
    });
  }, 120_000);

  it('the calendar highlights the release that overlaps the freeze, in month and week view', async () => {
    const link = await w.linkPath('calendar', 'prod-east');
    for (const view of ['month', 'week']) {
      await check(`calendar-${view}`, `${link}&view=${view}&date=${w.releaseDay}`, async (page) => {
        expect(await page.locator('.conflicts').textContent()).toMatch(/overlaps Quarter-end freeze \(F1\)/);
        expect(await page.locator('li.item.kind-release.conflict').count()).toBe(1);
        expect(await page.locator('li.item.kind-freeze').count()).toBeGreaterThanOrEqual(1);
      });
    }
  }, 180_000);

  it('error pages are accessible too', async () => {
    const v = await visit('/status/nowhere', WIDTHS.phone, 'light', false);
    try {
      expect(await v.page.locator('h1').textContent()).toBe('Page not found');
      expect(await axe(v.page)).toEqual([]);
    } finally {
      await v.close();
    }
  }, 60_000);
});
