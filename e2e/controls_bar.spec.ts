// e2e: the run bar (Train / Pause / Stop / Step / Tune and the live status) is in view without scrolling at 1280×720 and
// 1440×900, stays in view wherever the page is scrolled, and never overlaps a chart or a dashboard panel.
import { expect, test, type Page } from '@playwright/test';
import { openApp, setKnob } from './helpers';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const CONTROLS = ['train-button', 'pause-button', 'stop-button', 'step-button', 'tune-button', 'training-status'];

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Each control lies wholly inside the viewport and is the element a click at its centre would reach. */
async function expectControlsInView(page: Page, where: string): Promise<Box> {
  const vp = page.viewportSize()!;
  for (const id of CONTROLS) {
    const box = await page.getByTestId(id).boundingBox();
    expect(box, `${id} has a box (${where})`).not.toBeNull();
    expect(box!.y, `${id} top in view (${where})`).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height, `${id} bottom in view (${where})`).toBeLessThanOrEqual(vp.height);
    expect(box!.x + box!.width, `${id} right edge in view (${where})`).toBeLessThanOrEqual(vp.width);
    const hit = await page.getByTestId(id).evaluate((el) => {
      const r = el.getBoundingClientRect();
      const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return top !== null && (top === el || el.contains(top));
    });
    expect(hit, `${id} is not covered (${where})`).toBe(true);
  }
  return (await page.getByTestId('controls-bar').boundingBox())!;
}

/** The bar's box against every dashboard panel and every chart (svg, canvas) outside the bar. */
async function expectNoChartOverlap(page: Page, bar: Box, where: string): Promise<number> {
  const boxes = await page.evaluate(() => {
    const barEl = document.querySelector('[data-testid="controls-bar"]')!;
    const els = [...document.querySelectorAll('.main .panel, .main svg, .main canvas, svg.recharts-surface, canvas')].filter((el) => !barEl.contains(el));
    return els
      .map((el) => {
        const r = el.getBoundingClientRect();
        return { name: `${el.tagName.toLowerCase()}.${(el.getAttribute('class') ?? '').split(' ')[0]}`, x: r.x, y: r.y, width: r.width, height: r.height };
      })
      .filter((b) => b.width > 0 && b.height > 0);
  });
  expect(boxes.length, `charts and panels found (${where})`).toBeGreaterThan(3);
  for (const b of boxes) expect(overlaps(bar, b), `the bar overlaps ${b.name} at ${JSON.stringify(b)} (${where}; bar ${JSON.stringify(bar)})`).toBe(false);
  return boxes.length;
}

for (const size of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
]) {
  test(`the run controls stay in view and off the charts at ${size.width}×${size.height}`, async ({ page }) => {
    await page.setViewportSize(size);
    await openApp(page);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    const first = await expectControlsInView(page, 'first load');
    await expectNoChartOverlap(page, first, 'first load');
    await page.screenshot({ path: `/tmp/shots/bar-${size.width}x${size.height}-top.png` });

    const height = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
    expect(height, 'the page is taller than the viewport').toBeGreaterThan(200);
    for (const f of [0.3, 0.6, 1]) {
      await page.evaluate((y) => window.scrollTo(0, y), Math.round(height * f));
      await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
      const bar = await expectControlsInView(page, `scrolled ${f * 100}%`);
      await expectNoChartOverlap(page, bar, `scrolled ${f * 100}%`);
    }
    await page.screenshot({ path: `/tmp/shots/bar-${size.width}x${size.height}-bottom.png` });
  });
}

test('the bar drives a run from the bottom of the page: train, pause, stop, with the status live', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  await setKnob(page, 'Hidden size', '8');
  await setKnob(page, 'Epochs', '200');
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const scrolled = await page.evaluate(() => window.scrollY);
  expect(scrolled).toBeGreaterThan(200);
  const status = page.getByTestId('training-status');
  await page.getByTestId('train-button').click();
  await expect(status).toHaveAttribute('data-state', 'training');
  await expect.poll(async () => Number(await status.getAttribute('data-step')), { timeout: 60_000 }).toBeGreaterThan(0);
  await page.getByTestId('pause-button').click();
  await expect(status).toHaveAttribute('data-state', 'paused');
  await expect(status).toContainText('Paused');
  await page.getByTestId('stop-button').click();
  // Stopped: done, or idle when no epoch had finished yet.
  await expect(status).toHaveAttribute('data-state', /^(done|idle)$/);
  // The page was never scrolled back to the top: every click happened where the person was.
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
  await expectControlsInView(page, 'after the run');
});
