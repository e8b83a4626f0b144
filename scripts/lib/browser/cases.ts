// The site's browser tests. Add a page to PAGES to have it opened, checked for errors, English
// interface strings and accessibility; add a query to SEARCHES to check what it finds.
import {
  assert,
  assertAccessible,
  assertNoEnglishUi,
  type BrowserCase,
  type CaseContext,
} from './harness.ts';

export interface PageSpec {
  path: string;
  /** Also run the accessibility check with the dark colour scheme. */
  dark?: boolean;
  /** The page's main heading. */
  title: string;
  /** Extra checks for this page. */
  check?: (t: CaseContext) => Promise<void>;
}

export interface SearchSpec {
  query: string;
  /** The result to follow must lead to this path. */
  expectedPath: string;
  expectedTitle: string;
}

async function mermaidRendered(t: CaseContext): Promise<void> {
  const svg = t.page.locator('.docusaurus-mermaid-container svg').first();
  await svg.waitFor({ state: 'visible' });
  const text = await svg.textContent();
  for (const word of ['ZooKeeper', 'master líder', 'Marathon', 'Chronos', 'agente 1', 'agente 2']) {
    assert(text?.includes(word), `o diagrama Mermaid não mostra "${word}"`);
  }
}

export const PAGES: PageSpec[] = [
  { path: '/', title: 'Laboratório Mesos' },
  { path: '/fundamentos/arquitetura', title: 'Arquitetura do cluster', check: mermaidRendered, dark: true },
  { path: '/search', title: 'Buscar no curso' },
];

export const SEARCHES: SearchSpec[] = [
  // Typed without accents; the page says "implantação" / "implantações".
  {
    query: 'implantacao',
    expectedPath: '/marathon/implantacoes-e-atualizacao-gradual',
    expectedTitle: 'Implantações e atualização gradual',
  },
  { query: 'arquitetura', expectedPath: '/fundamentos/arquitetura', expectedTitle: 'Arquitetura do cluster' },
];

/** Waits (up to the page timeout) for the main heading to read `title`; client-side navigation renders late. */
async function assertTitle(t: CaseContext, title: string): Promise<void> {
  const heading = () => t.page.evaluate(() => document.querySelector('h1')?.textContent?.trim() ?? null);
  try {
    await t.page.waitForFunction(
      (expected) => document.querySelector('h1')?.textContent?.trim() === expected,
      title,
    );
  } catch {
    assert(false, `título esperado "${title}", encontrado "${await heading()}"`);
  }
}

function pageCases(spec: PageSpec): BrowserCase[] {
  const cases: BrowserCase[] = [
    {
      name: `${spec.path} abre em pt-BR, sem erros e sem textos em inglês`,
      async run(t) {
        await t.open(spec.path);
        const lang = await t.page.getAttribute('html', 'lang');
        assert(lang === 'pt-BR', `<html lang> é "${lang}", esperado "pt-BR"`);
        await assertTitle(t, spec.title);
        await spec.check?.(t);
        await assertNoEnglishUi(t.page);
      },
    },
    {
      name: `${spec.path} sem violações graves de acessibilidade (axe-core)`,
      async run(t) {
        await t.open(spec.path);
        await spec.check?.(t);
        await assertAccessible(t.page);
      },
    },
  ];
  if (spec.dark) {
    cases.push({
      name: `${spec.path} no modo escuro sem violações graves de acessibilidade (axe-core)`,
      async run(t) {
        await t.page.emulateMedia({ colorScheme: 'dark' });
        await t.open(spec.path);
        const theme = await t.page.getAttribute('html', 'data-theme');
        assert(theme === 'dark', `o site não seguiu o modo escuro do sistema (data-theme="${theme}")`);
        await spec.check?.(t);
        await assertAccessible(t.page);
      },
    });
  }
  return cases;
}

function searchCase(spec: SearchSpec): BrowserCase {
  return {
    name: `a busca por "${spec.query}" leva a ${spec.expectedPath}`,
    async run(t) {
      await t.open('/');
      const input = t.page.locator('input.navbar__search-input');
      await input.click();
      await input.pressSequentially(spec.query, { delay: 30 });
      const option = t.page.locator('[role="option"]').filter({ hasText: spec.expectedTitle }).first();
      await option.waitFor({ state: 'visible' });
      await option.click();
      await t.page.waitForURL((url) => url.pathname.replace(/\/$/, '') === spec.expectedPath);
      await assertTitle(t, spec.expectedTitle);
    },
  };
}

export const CASES: BrowserCase[] = [...PAGES.flatMap(pageCases), ...SEARCHES.map(searchCase)];
