// `npm run bench:site`: builds the site and reports build time, number of HTML pages and the
// JavaScript a reader downloads on first load of a text-only course page (raw and gzip); then, in
// headless Chromium, for the text page, the pages with components and the heaviest page of the site:
// JavaScript and total bytes on first load (gzip) and the time until the page is usable (hydrated).
// `npm run bench:site -- --clear` empties Docusaurus' caches first (a cold build);
// `-- --no-build` measures the existing build/ folder.
// Figures, not assertions: compare them with the baseline in the project's notes.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..', '..');
const buildDir = path.join(root, 'build');
const docusaurus = path.join(root, 'node_modules', '.bin', 'docusaurus');

function run(args: string[]): void {
  const r = spawnSync(docusaurus, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    console.error(`docusaurus ${args.join(' ')} falhou (código ${r.status}).`);
    process.exit(1);
  }
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html'))
    .map((f) => path.join(dir, f));
}

/** Scripts the browser fetches on first load: <script src> plus <link rel=preload|modulepreload as=script>. */
export function firstLoadScripts(html: string): string[] {
  const urls = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)) urls.add(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*>/g)) {
    const tag = m[0];
    const rel = /\brel="([^"]+)"/.exec(tag)?.[1] ?? '';
    const as = /\bas="([^"]+)"/.exec(tag)?.[1] ?? '';
    const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (href && (rel === 'modulepreload' || (rel === 'preload' && as === 'script'))) urls.add(href);
  }
  return [...urls].filter((u) => !/^[a-z]+:\/\//i.test(u));
}

function jsWeight(htmlFile: string): { files: number; raw: number; gzip: number } {
  const scripts = firstLoadScripts(readFileSync(htmlFile, 'utf8'));
  let raw = 0;
  let gzip = 0;
  for (const src of scripts) {
    const body = readFileSync(path.join(buildDir, src.split('?')[0]));
    raw += body.length;
    gzip += gzipSync(body).length;
  }
  return { files: scripts.length, raw, gzip };
}

/** The Markdown source of a built doc page (slugs follow file paths in this site). */
function sourceOf(htmlFile: string): string | undefined {
  const rel = path.relative(buildDir, path.dirname(htmlFile));
  for (const candidate of [
    `${rel}.md`,
    `${rel}.mdx`,
    path.join(rel, 'index.md'),
    path.join(rel, 'index.mdx'),
  ]) {
    const file = path.join(root, 'docs', candidate);
    if (rel && existsSync(file)) return file;
  }
  return undefined;
}

/** A course page made of text only: a doc with no diagram and no components (no import in its source). */
function pickTextOnlyPage(pages: string[]): string | undefined {
  return pages
    .filter((f) => {
      const source = sourceOf(f);
      if (!source) return false;
      const text = readFileSync(source, 'utf8');
      return !text.includes('```mermaid') && !/^import\s/m.test(text);
    })
    .sort()[0];
}

/**
 * JavaScript the browser really fetches to open a page: route chunks and lazy chunks (Mermaid)
 * included, prefetches of linked pages (low priority, type "other") left out.
 */
async function measuredJs(
  pagePath: string,
  waitFor?: string,
): Promise<{ files: number; raw: number; gzip: number } | undefined> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) return undefined;
  const { chromium } = await import('playwright-core');
  const { startStaticServer } = await import('../lib/browser/static-server.ts');
  const server = await startStaticServer(buildDir);
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await browser.newPage();
    const scripts = new Set<string>();
    page.on('request', (req) => {
      if (req.resourceType() === 'script') scripts.add(new URL(req.url()).pathname);
    });
    await page.goto(server.url + pagePath, { waitUntil: 'load' });
    await page.waitForSelector('html[data-has-hydrated="true"]', { state: 'attached' });
    if (waitFor) await page.waitForSelector(waitFor);
    await page.waitForLoadState('networkidle');
    let raw = 0;
    let gzip = 0;
    for (const src of scripts) {
      const body = readFileSync(path.join(buildDir, src));
      raw += body.length;
      gzip += gzipSync(body).length;
    }
    return { files: scripts.size, raw, gzip };
  } finally {
    await browser.close();
    await server.close();
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

const skipBuild = process.argv.includes('--no-build');
if (process.argv.includes('--clear')) run(['clear']);
const started = Date.now();
if (!skipBuild) run(['build']);
const seconds = (Date.now() - started) / 1000;

const pages = htmlFiles(buildDir);
console.log(skipBuild ? 'build: não medido (--no-build)' : `build: ${seconds.toFixed(1)} s`);
console.log(`páginas HTML: ${pages.length} (incluindo 404.html e a página de busca)`);

const textPage = pickTextOnlyPage(pages);
const measured: [string, string | undefined, string?][] = [
  ['página inicial', path.join(buildDir, 'index.html')],
  ['página só de texto', textPage],
  [
    'página com diagrama Mermaid',
    path.join(buildDir, 'fundamentos', 'arquitetura', 'index.html'),
    '.docusaurus-mermaid-container svg',
  ],
];
for (const [label, file, waitFor] of measured) {
  if (!file || !existsSync(file)) {
    console.log(`JS, ${label}: nenhuma página assim no site ainda`);
    continue;
  }
  const rel = '/' + path.relative(buildDir, path.dirname(file)).split(path.sep).join('/');
  const w = jsWeight(file);
  console.log(
    `JS nas tags <script> do HTML, ${label} (${rel}): ${w.files} arquivos, ${kb(w.raw)}, ${kb(w.gzip)} gzip`,
  );
  const m = await measuredJs(rel, waitFor);
  if (m)
    console.log(
      `JS baixado ao abrir no Chromium, ${label} (${rel}): ${m.files} arquivos, ${kb(m.raw)}, ${kb(m.gzip)} gzip`,
    );
}

const index = readdirSync(buildDir).find((f) => /^search-index.*\.json$/.test(f));
if (index) {
  const body = readFileSync(path.join(buildDir, index));
  console.log(
    `índice de busca (baixado ao usar a busca): ${kb(body.length)}, ${kb(gzipSync(body).length)} gzip`,
  );
}

// ── First load in Chromium: JS and total bytes (gzip), time until usable ──────────────────────────────

interface FirstLoad {
  jsFiles: number;
  jsGzip: number;
  totalFiles: number;
  totalGzip: number;
  /** Milliseconds from navigation start until React hydrated the page (it answers clicks and typing). */
  usableMs: number;
}

/** Resource types a first load fetches; prefetches of linked pages (type "other") are left out. */
const FIRST_LOAD_TYPES = new Set(['document', 'stylesheet', 'script', 'image', 'font']);

async function firstLoads(pagePaths: string[], runs: number): Promise<Map<string, FirstLoad> | undefined> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) return undefined;
  const { chromium } = await import('playwright-core');
  const { startStaticServer } = await import('../lib/browser/static-server.ts');
  const server = await startStaticServer(buildDir);
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const gz = new Map<string, number>();
  const gzipOf = (urlPath: string): number => {
    let n = gz.get(urlPath);
    if (n === undefined) {
      let file = path.join(buildDir, decodeURIComponent(urlPath));
      if (!existsSync(file) || !path.extname(file)) file = path.join(file, 'index.html');
      n = existsSync(file) ? gzipSync(readFileSync(file)).length : 0;
      gz.set(urlPath, n);
    }
    return n;
  };
  const out = new Map<string, FirstLoad>();
  try {
    for (const pagePath of pagePaths) {
      const samples: FirstLoad[] = [];
      for (let i = 0; i < runs; i++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = await context.newPage();
        // Records the moment React marks the page hydrated; <html> may not exist yet when this runs.
        await page.addInitScript(() => {
          new MutationObserver((_, obs) => {
            if (document.documentElement?.dataset.hasHydrated === 'true') {
              (window as unknown as { __usable: number }).__usable = performance.now();
              obs.disconnect();
            }
          }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-has-hydrated'] });
        });
        const seen = new Map<string, string>();
        page.on('request', (req) => {
          if (FIRST_LOAD_TYPES.has(req.resourceType()))
            seen.set(new URL(req.url()).pathname, req.resourceType());
        });
        await page.goto(server.url + pagePath, { waitUntil: 'load' });
        await page.waitForSelector('html[data-has-hydrated="true"]', { state: 'attached' });
        await page.waitForLoadState('networkidle');
        const usableMs = await page.evaluate(
          () => (window as unknown as { __usable?: number }).__usable ?? performance.now(),
        );
        let jsFiles = 0;
        let jsGzip = 0;
        let totalGzip = 0;
        for (const [url, type] of seen) {
          const n = gzipOf(url);
          totalGzip += n;
          if (type === 'script') {
            jsFiles++;
            jsGzip += n;
          }
        }
        samples.push({ jsFiles, jsGzip, totalFiles: seen.size, totalGzip, usableMs });
        await context.close();
      }
      samples.sort((a, b) => a.usableMs - b.usableMs);
      out.set(pagePath, samples[Math.floor(samples.length / 2)]);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return out;
}

const sitePath = (file: string) =>
  ('/' + path.relative(buildDir, path.dirname(file)).split(path.sep).join('/')).replace(/\/$/, '') || '/';
const allPages = pages
  .filter((f) => f.endsWith(`${path.sep}index.html`) || f === path.join(buildDir, 'index.html'))
  .filter((f) => !f.startsWith(path.join(buildDir, 'assets')))
  .map(sitePath);
const sweep = await firstLoads(allPages, 1);
if (!sweep) {
  console.log('Chromium não encontrado: primeira carga e tempo até usável não medidos.');
} else {
  const heaviest = [...sweep].sort((a, b) => b[1].totalGzip - a[1].totalGzip)[0]?.[0];
  const named: [string, string | undefined][] = [
    ['página só de texto', textPage && sitePath(textPage)],
    ['com a animação do ciclo de oferta', '/laboratorios/01-o-cluster-por-dentro'],
    ['com o verificador de aplicações', '/laboratorios/02-servicos-com-marathon'],
    ['com o explicador de agendamentos', '/laboratorios/03-tarefas-agendadas-com-chronos'],
    ['a mais pesada do site', heaviest],
  ];
  const targets = named.filter((n): n is [string, string] => Boolean(n[1] && sweep.has(n[1])));
  const runs = 5;
  const precise = await firstLoads(
    targets.map(([, p]) => p),
    runs,
  );
  console.log(`\nprimeira carga no Chromium (mediana de ${runs} cargas sem cache; bytes em gzip):`);
  for (const [label, p] of targets) {
    const m = precise?.get(p) ?? sweep.get(p)!;
    console.log(
      `  ${label} (${p}): JS ${m.jsFiles} arquivos, ${kb(m.jsGzip)}; total ${m.totalFiles} arquivos, ${kb(m.totalGzip)}; usável em ${m.usableMs.toFixed(0)} ms`,
    );
  }
  const overBudget = [...sweep].filter(([, m]) => m.jsGzip > 300 * 1024).map(([p]) => p);
  console.log(
    `  páginas com mais de 300 KiB de JS (gzip) na primeira carga: ${overBudget.length ? overBudget.join(', ') : 'nenhuma'}`,
  );
}
