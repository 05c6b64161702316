// e2e: the built app runs under its Content-Security-Policy with no violation while training and exporting, and no
// request leaves localhost during a whole session.
import { expect, test, type Download, type Page, type Worker } from '@playwright/test';
import { openApp, setKnob, trainToEnd } from './helpers';

const REQUIRED = ["default-src 'self'", "connect-src 'self'", "script-src 'self'", "worker-src 'self'", "object-src 'none'", "base-uri 'none'"];

/** Collects CSP violations reported by the page and its workers (securitypolicyviolation events and console). */
async function watchViolations(page: Page): Promise<{ read: () => Promise<string[]>; clear: () => Promise<void> }> {
  const fromConsole: string[] = [];
  const workers: Worker[] = [];
  // Chromium reports violations as events; console messages are watched too in case an app script logs one.
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) fromConsole.push(m.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
  });
  page.on('worker', (w) => {
    workers.push(w);
    void w
      .evaluate(() => {
        const seen: string[] = [];
        (self as unknown as { __csp: string[] }).__csp = seen;
        self.addEventListener('securitypolicyviolation', (e) => seen.push(`${(e as SecurityPolicyViolationEvent).violatedDirective} (worker)`));
      })
      .catch(() => undefined);
  });
  const inWorkers = async () =>
    (await Promise.all(workers.map((w) => w.evaluate(() => (self as unknown as { __csp?: string[] }).__csp ?? []).catch(() => [] as string[])))).flat();
  return {
    read: async () => [...fromConsole, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp.slice())), ...(await inWorkers())],
    clear: async () => {
      fromConsole.length = 0;
      await page.evaluate(() => ((window as unknown as { __csp: string[] }).__csp.length = 0));
    },
  };
}

/**
 * Appends an inline script to the page and reports whether it ran and which directive refused it. An allowed inline
 * script runs during append() itself, so `ran` is known at once; a refused one is known when the refusal's violation
 * event for this element arrives (the browser's own word that it decided, rather than a guessed delay). The 10 s race
 * only turns a missing event into a failure with a reason instead of a hang.
 */
async function injectInlineScript(): Promise<{ ran: boolean; directive: string }> {
  const el = document.createElement('script');
  const refused = new Promise<string>((resolve) => {
    const seen = (e: SecurityPolicyViolationEvent) => {
      if (e.target !== el && !(e.sample && el.textContent?.startsWith(e.sample))) return;
      document.removeEventListener('securitypolicyviolation', seen);
      resolve(e.violatedDirective);
    };
    document.addEventListener('securitypolicyviolation', seen);
  });
  el.textContent = '(window as any).__inlineRan = true'.replace(' as any', '');
  document.head.append(el);
  if ((window as unknown as { __inlineRan?: boolean }).__inlineRan === true) return { ran: true, directive: 'none: the script ran' };
  const directive = await Promise.race([refused, new Promise<string>((r) => setTimeout(() => r('no violation event within 10 s'), 10_000))]);
  return { ran: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true, directive };
}

async function exportBoth(page: Page): Promise<void> {
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.getByTestId('export-safetensors').click();
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(2);
}

test('the CSP is declared (meta and header), enforced, and not violated while training and exporting', async ({ page }) => {
  const violations = await watchViolations(page);
  const response = await page.goto('/');
  const header = response!.headers()['content-security-policy'] ?? '';
  const meta = (await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
  for (const policy of [header, meta]) {
    for (const directive of REQUIRED) expect(policy).toContain(directive);
    // WebAssembly may be compiled (the CPU engine's kernels), JS eval may not.
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(policy).not.toContain("'unsafe-eval'");
    expect(policy).not.toContain('unsafe-inline');
  }
  await expect(page.getByTestId('dataset-summary')).toBeVisible();

  // The policy is live: an injected inline script is refused and reported (what the listeners below would catch).
  const inline = await page.evaluate(injectInlineScript);
  expect(inline).toEqual({ ran: false, directive: expect.stringMatching(/^script-src/) });
  // Negative control: the same check on a page without the policy sees the script run.
  const open = await page.context().newPage();
  await open.goto('about:blank');
  expect(await open.evaluate(injectInlineScript)).toEqual({ ran: true, directive: 'none: the script ran' });
  await open.close();
  await expect.poll(async () => (await violations.read()).some((v) => v.includes('script-src'))).toBe(true);
  await violations.clear();

  await setKnob(page, 'Hidden size', '8');
  await setKnob(page, 'Epochs', '2');
  await trainToEnd(page, 120_000);
  await exportBoth(page);
  // Charts, the run list and the comparison chart render under the policy too.
  await page.getByTestId('run-history').getByRole('checkbox').first().check();
  await expect(page.getByTestId('run-compare-chart').locator('path.recharts-line-curve').first()).toBeVisible();
  expect(await violations.read()).toEqual([]);
});

test('no request leaves localhost during a full session (load, upload, train, export, reload, reopen)', async ({ page, context, baseURL }) => {
  const outside: string[] = [];
  const seen: string[] = [];
  const origin = new URL(baseURL!).origin;
  expect(new URL(origin).hostname).toBe('localhost');
  const local = (url: string) => url.startsWith(`${origin}/`) || /^(data:|blob:)/.test(url);
  context.on('request', (r) => {
    seen.push(r.url());
    if (!local(r.url())) outside.push(r.url());
  });
  await context.route((url) => !local(url.toString()), (route) => {
    outside.push(route.request().url());
    return route.abort();
  });

  await openApp(page);
  const lines = ['t,value'];
  for (let r = 0; r < 300; r++) lines.push(`${r},${Math.sin(r / 6).toFixed(4)}`);
  await page.getByTestId('dataset-file-input').setInputFiles({ name: 'local.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await expect(page.getByTestId('dataset-summary')).toContainText('local.csv');
  await setKnob(page, 'Hidden size', '8');
  await setKnob(page, 'Window', '12');
  await setKnob(page, 'Epochs', '2');
  await trainToEnd(page, 120_000);
  await exportBoth(page);
  await page.reload();
  const row = page.getByTestId('run-history').getByTestId('run-row');
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('dataset-summary')).toContainText('local.csv');
  await expect(page.getByTestId('training-status')).toHaveAttribute('data-state', 'done');
  await exportBoth(page);

  expect(seen.length).toBeGreaterThan(3);
  expect(outside).toEqual([]);
});
