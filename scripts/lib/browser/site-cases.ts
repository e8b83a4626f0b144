// Browser cases over the whole built site (issue 8, item 7): every page loads with no console error and
// no broken image, axe-core finds nothing serious or critical, and it has no horizontal scroll on a
// 375 px phone; Portuguese searches find the expected pages; each interactive component works when
// clicked and typed into. Pages are found in build/, so a new page is tested without touching this file.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { PROBLEMS } from '../../../src/cluster/troubleshooting.ts';
import { LABS } from '../../../labs/index.ts';
import { LAB_PAGES } from '../../../src/labs/site.ts';
import { assert, assertAccessible, type BrowserCase, type CaseContext } from './harness.ts';

/** Site paths of every built HTML page (not the 404 page). */
export function builtPages(buildDir: string): string[] {
  return readdirSync(buildDir, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f.endsWith('index.html') && !f.startsWith('assets/') && !f.startsWith('__'))
    .map((f) => `/${f.replace(/(^|\/)index\.html$/, '')}`.replace(/\/$/, '') || '/')
    .sort();
}

const PHONE = { width: 375, height: 740 };

async function assertNoBrokenImages(page: Page): Promise<void> {
  const broken = await page.evaluate(async () => {
    const imgs = Array.from(document.images);
    await Promise.all(
      imgs.map((img) => (img.complete ? null : new Promise((r) => img.addEventListener('loadend', r)))),
    );
    return imgs.filter((img) => img.naturalWidth === 0).map((img) => img.currentSrc || img.src);
  });
  assert(broken.length === 0, `imagens quebradas: ${broken.join(', ')}`);
}

async function assertNoHorizontalScroll(page: Page): Promise<void> {
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(200);
  const { scroll, widest } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    let widest = '';
    let max = width;
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.right > max + 1 && getComputedStyle(el).position !== 'fixed') {
        max = r.right;
        widest = `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''}`;
      }
    }
    return { scroll: document.documentElement.scrollWidth - width, widest };
  });
  assert(scroll <= 1, `no celular (375 px) a página rola ${scroll} px para o lado (o mais largo: ${widest})`);
}

function pageCase(pagePath: string): BrowserCase {
  return {
    name: `${pagePath} carrega sem erros nem imagens quebradas, passa no axe-core e cabe em 375 px`,
    async run(t) {
      await t.open(pagePath);
      await t.page.waitForLoadState('networkidle');
      await assertNoBrokenImages(t.page);
      await assertAccessible(t.page);
      await assertNoHorizontalScroll(t.page);
    },
  };
}

export interface SiteSearch {
  query: string;
  expectedPath: string;
  expectedTitle: string;
}

/** Portuguese queries as students type them (often without accents) and where they must lead. */
export const SITE_SEARCHES: SiteSearch[] = [
  {
    query: 'solucao de problemas',
    expectedPath: '/referencia/solucao-de-problemas',
    expectedTitle: 'Solução de problemas',
  },
  {
    query: 'eleição de líder',
    expectedPath: '/fundamentos/tolerancia-a-falhas',
    expectedTitle: 'Tolerância a falhas, eleição de líder e quórum',
  },
  {
    query: 'verificacoes de saude',
    expectedPath: '/marathon/verificacoes-de-saude',
    expectedTitle: 'Verificações de saúde',
  },
  {
    query: 'agendamentos',
    expectedPath: '/chronos/agendamentos-iso-8601',
    expectedTitle: 'Agendamentos ISO 8601',
  },
  {
    query: 'pipeline de dados',
    expectedPath: LAB_PAGES['05'],
    expectedTitle: 'Laboratório 05 — Um pipeline de dados',
  },
];

function searchCase(s: SiteSearch): BrowserCase {
  return {
    name: `a busca por "${s.query}" leva a ${s.expectedPath}`,
    async run(t) {
      await t.open('/');
      const input = t.page.locator('input.navbar__search-input');
      await input.click();
      await input.pressSequentially(s.query, { delay: 30 });
      const option = t.page.locator('[role="option"]').filter({ hasText: s.expectedTitle }).first();
      await option.waitFor({ state: 'visible' });
      await option.click();
      await t.page.waitForURL((url) => url.pathname.replace(/\/$/, '') === s.expectedPath);
    },
  };
}

async function text(t: CaseContext, selector: string): Promise<string> {
  return (await t.page.locator(selector).first().textContent()) ?? '';
}

export const COMPONENT_CASES: BrowserCase[] = [
  {
    name: 'explicador de agendamentos: válido, fuso de São Paulo e inválido com a mensagem do Chronos',
    async run(t) {
      await t.open(LAB_PAGES['03']);
      const box = '[data-component="schedule-explainer"]';
      const schedule = t.page.getByLabel('Agendamento (schedule)');
      const zone = t.page.getByLabel('Fuso (scheduleTimeZone, opcional)');
      await schedule.fill('');
      await schedule.pressSequentially('R/2030-01-15T03:17:00/P1D', { delay: 10 });
      await zone.fill('');
      await t.page.locator(`${box} [data-verdict="valido"]`).waitFor();
      let rows = await text(t, `${box} tbody tr`);
      assert(rows.includes('15/01/2030 03:17:00 (UTC)'), `sem fuso, o início deveria ser 03:17 UTC: ${rows}`);
      assert(rows.includes('15/01/2030 00:17:00 (UTC−03:00)'), `em Brasília deveria ser 00:17: ${rows}`);
      await zone.pressSequentially('America/Sao_Paulo', { delay: 10 });
      await t.page.waitForFunction(
        (sel) => document.querySelector(`${sel} tbody tr`)?.textContent?.includes('06:17:00 (UTC)'),
        box,
      );
      rows = await text(t, `${box} tbody tr`);
      assert(rows.includes('15/01/2030 03:17:00 (UTC−03:00)'), `com o fuso, 03:17 em Brasília: ${rows}`);
      await schedule.fill('R/amanhã/P1D');
      const error = await t.page.locator(`${box} pre`).textContent();
      assert(
        error === "Cannot parse schedule 'R/amanhã/P1D' (wtf bro)",
        `mensagem de agendamento inválido: ${error}`,
      );
      await assertAccessible(t.page);
    },
  },
  {
    name: 'verificador de aplicações: 422 do Marathon 1.3.6 para instâncias negativas, aplicação normalizada se válida',
    async run(t) {
      await t.open(LAB_PAGES['02']);
      const box = '[data-component="app-definition-checker"]';
      const field = t.page.getByLabel('Definição da aplicação (o corpo de POST /v2/apps)');
      await field.fill('{"id": "/web-1", "cmd": "sleep 100", "instances": -1}');
      await t.page.getByRole('button', { name: 'Verificar' }).click();
      await t.page.locator(`${box} [data-verdict="invalido"]`).waitFor();
      const bad = await text(t, `${box} [aria-live]`);
      assert(bad.includes('422') && bad.includes('/instances'), `esperava 422 em /instances: ${bad}`);
      assert(bad.includes('Object is not valid'), `esperava o corpo do Marathon: ${bad}`);
      await field.fill('{"id": "web-1", "cmd": "sleep 100", "mem": 64}');
      await t.page.getByRole('button', { name: 'Verificar' }).click();
      await t.page.locator(`${box} [data-verdict="valido"]`).waitFor();
      const ok = await text(t, `${box} pre`);
      assert(ok.includes('"id": "/web-1"') && ok.includes('"mem": 64.0'), `aplicação normalizada: ${ok}`);
      await field.fill('{"id": ');
      await t.page.getByRole('button', { name: 'Verificar' }).click();
      await t.page.waitForFunction(
        (sel) => document.querySelector(`${sel} [aria-live]`)?.textContent?.includes('400'),
        box,
      );
      await assertAccessible(t.page);
    },
  },
  {
    name: 'animação do ciclo de oferta: botões e teclado mudam de passo',
    async run(t) {
      await t.open(LAB_PAGES['01']);
      const box = t.page.locator('[data-component="offer-cycle"]');
      assert((await box.getAttribute('data-step')) === '1', 'a animação deveria começar no passo 1');
      await t.page.getByRole('button', { name: 'Próximo →' }).click();
      assert((await box.getAttribute('data-step')) === '2', 'Próximo deveria levar ao passo 2');
      await t.page.getByRole('group', { name: /Diagrama do ciclo de oferta/ }).focus();
      await t.page.keyboard.press('ArrowRight');
      assert((await box.getAttribute('data-step')) === '3', 'a seta para a direita deveria levar ao passo 3');
      await t.page.keyboard.press('End');
      assert((await box.getAttribute('data-step')) === '7', 'End deveria levar ao último passo');
      const shown = await box.textContent();
      assert(shown?.includes('Passo 7 de 7'), 'o contador deveria mostrar "Passo 7 de 7"');
      await t.page.keyboard.press('Home');
      assert((await box.getAttribute('data-step')) === '1', 'Home deveria voltar ao passo 1');
      await t.page.getByRole('button', { name: 'Reproduzir' }).click();
      await t.page.waitForFunction(
        () => document.querySelector('[data-component="offer-cycle"]')?.getAttribute('data-step') === '2',
        undefined,
        { timeout: 6000 },
      );
      await assertAccessible(t.page);
    },
  },
  {
    name: 'animação do ciclo de oferta: sem movimento com prefers-reduced-motion',
    async run(t) {
      await t.page.emulateMedia({ reducedMotion: 'reduce' });
      await t.open(LAB_PAGES['01']);
      const box = t.page.locator('[data-component="offer-cycle"]');
      await t.page.waitForFunction(
        () =>
          document.querySelector('[data-component="offer-cycle"]')?.getAttribute('data-reduced-motion') ===
          'sim',
      );
      assert(
        (await t.page.getByRole('button', { name: 'Reproduzir' }).count()) === 0,
        'sem reprodução automática',
      );
      await t.page.getByRole('button', { name: 'Próximo →' }).click();
      assert((await box.getAttribute('data-step')) === '2', 'os botões continuam funcionando');
      await t.page.getByRole('button', { name: 'Próximo →' }).click();
      const animation = await t.page.evaluate(() => {
        const line = document.querySelector('[data-component="offer-cycle"] svg line');
        return line ? getComputedStyle(line).animationName : 'sem seta';
      });
      assert(animation === 'none', `a seta não deveria se mover (animation-name: ${animation})`);
    },
  },
  {
    name: 'páginas dos laboratórios listam cada verificação da definição do laboratório',
    async run(t) {
      for (const lab of LABS) {
        await t.open(LAB_PAGES[lab.id]);
        const inBoxes = await t.page.$$eval('aside [data-check-id]', (els) =>
          els.map((e) => e.getAttribute('data-check-id')),
        );
        const inTable = await t.page.$$eval('table[data-lab-checks] [data-check-id]', (els) =>
          els.map((e) => e.getAttribute('data-check-id')),
        );
        const ids = lab.checks.map((c) => c.id).sort();
        assert(
          JSON.stringify([...new Set(inBoxes)].sort()) === JSON.stringify(ids),
          `laboratório ${lab.id}: as caixas dos passos listam ${inBoxes.join(', ')}`,
        );
        assert(JSON.stringify([...inTable].sort()) === JSON.stringify(ids), `laboratório ${lab.id}: tabela`);
        for (const c of lab.checks) {
          const target = await t.page.locator(`[id="${c.doc.anchor}"]`).count();
          assert(target > 0, `${c.id}: o link ${c.doc.path}#${c.doc.anchor} não encontra o título na página`);
        }
      }
    },
  },
  {
    name: 'solução de problemas mostra todos os problemas conhecidos do doctor',
    async run(t) {
      await t.open('/referencia/solucao-de-problemas');
      const ids = await t.page.$$eval('[data-problem-id]', (els) => els.map((e) => e.id));
      assert(ids.length === PROBLEMS.length, `${ids.length} de ${PROBLEMS.length} problemas na página`);
    },
  },
  {
    name: 'a edição para imprimir junta todas as páginas e esconde a navegação no papel',
    async run(t) {
      await t.open('/curso-completo');
      const docs = await t.page.$$eval('[data-doc-id]', (els) =>
        els.map((e) => e.getAttribute('data-doc-id')),
      );
      for (const id of ['fundamentos/arquitetura', 'referencia/solucao-de-problemas']) {
        assert(docs.includes(id), `a edição para imprimir não tem ${id} (tem ${docs.length} páginas)`);
      }
      assert(
        docs.filter((d) => d?.startsWith('laboratorios/')).length === LABS.length,
        'faltam laboratórios',
      );
      await t.page.emulateMedia({ media: 'print' });
      const navbar = await t.page.locator('.navbar').evaluate((el) => getComputedStyle(el).display);
      assert(navbar === 'none', `no papel a barra de navegação deveria sumir (display: ${navbar})`);
    },
  },
];

export function siteCases(buildDir: string, skip: readonly string[] = []): BrowserCase[] {
  return [
    ...builtPages(buildDir)
      .filter((p) => !skip.includes(p))
      .map(pageCase),
    ...SITE_SEARCHES.map(searchCase),
    ...COMPONENT_CASES,
  ];
}
