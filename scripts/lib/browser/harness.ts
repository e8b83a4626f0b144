// A small harness for the site's browser tests: every case gets a fresh page, console errors and
// page errors fail the case, and each case prints one line. Cases are plain objects in a list
// (see cases.ts), so adding a page or an assertion is adding an entry.
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';

export interface CaseContext {
  page: Page;
  /** Address of the served site, without a trailing slash. */
  baseUrl: string;
  /** Opens a path of the site and waits until React has hydrated the page. */
  open(path: string): Promise<void>;
}

export interface BrowserCase {
  /** One line of output, in Portuguese. */
  name: string;
  run(t: CaseContext): Promise<void>;
}

export interface CaseResult {
  name: string;
  ok: boolean;
  seconds: number;
  error?: string;
}

export class AssertionError extends Error {}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** Runs the cases one after the other; never throws. */
export async function runCases(
  browser: Browser,
  baseUrl: string,
  cases: readonly BrowserCase[],
  report: (result: CaseResult) => void = printResult,
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const c of cases) {
    const started = Date.now();
    const context = await browser.newContext({ locale: 'pt-BR', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const pageErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => pageErrors.push(`erro na página: ${err.message}`));
    const t: CaseContext = {
      page,
      baseUrl,
      async open(path) {
        const response = await page.goto(baseUrl + path, { waitUntil: 'load' });
        assert(response?.ok(), `${path} respondeu ${response?.status() ?? 'nada'}`);
        await page.waitForSelector('html[data-has-hydrated="true"]', { state: 'attached' });
      },
    };
    let error: string | undefined;
    try {
      await c.run(t);
    } catch (err) {
      error = err instanceof Error ? err.message.split('\n')[0] : String(err);
    }
    if (!error && pageErrors.length > 0) error = pageErrors.join(' | ');
    await context.close();
    const result = { name: c.name, ok: !error, seconds: (Date.now() - started) / 1000, error };
    results.push(result);
    report(result);
  }
  return results;
}

export function printResult(r: CaseResult): void {
  const mark = r.ok ? 'ok  ' : 'FAIL';
  console.log(`${mark} ${r.name} (${r.seconds.toFixed(1)} s)${r.error ? `\n     ${r.error}` : ''}`);
}

// --- helpers for cases ------------------------------------------------------------------------

const require = createRequire(import.meta.url);

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe-core on the open page; fails on any serious or critical violation. */
export async function assertAccessible(page: Page): Promise<void> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: unknown[] }> } })
      .axe;
    return (await axe.run(document)).violations;
  });
  const bad = (violations as AxeViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert(
    bad.length === 0,
    'acessibilidade: ' +
      bad
        .map(
          (v) =>
            `${v.id} (${v.impact}, ${v.nodes.length}×: ${v.help}) em ${JSON.stringify(v.nodes[0]?.target)}`,
        )
        .join('; '),
  );
}

/** Interface strings Docusaurus and the search plugin show in English when a translation is missing. */
export const ENGLISH_UI_STRINGS = [
  'Edit this page',
  'Previous',
  'Next',
  'On this page',
  'Skip to main content',
  'Search',
  'Copy',
  'No results',
  'See all results',
  'opens in new tab',
  'Toggle navigation bar',
  'Switch between dark and light mode',
];

/** Fails if the page's text, labels or placeholders show an untranslated theme string. */
export async function assertNoEnglishUi(page: Page): Promise<void> {
  const found = await page.evaluate((strings) => {
    const texts: string[] = [document.body.innerText];
    for (const el of Array.from(document.querySelectorAll('[aria-label],[placeholder],[title]'))) {
      for (const attr of ['aria-label', 'placeholder', 'title']) {
        const v = el.getAttribute(attr);
        if (v) texts.push(v);
      }
    }
    const all = texts.join('\n');
    return strings.filter((s) => new RegExp(`(^|[^\\p{L}])${s}([^\\p{L}]|$)`, 'u').test(all));
  }, ENGLISH_UI_STRINGS);
  assert(found.length === 0, `textos da interface em inglês: ${found.join(', ')}`);
}
