// `npm run bench:site`: builds the site and reports build time, number of HTML pages and the
// JavaScript a reader downloads on first load of a text-only course page (raw and gzip).
// `npm run bench:site -- --clear` empties Docusaurus' caches first (a cold build).
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

/** A course page made of text only: an article with no diagram, not the landing or an index page. */
function pickTextOnlyPage(pages: string[]): string | undefined {
  const candidates = pages
    .filter((f) => !/[\\/](404|search[\\/]index)\.html$/.test(f) && f !== path.join(buildDir, 'index.html'))
    .filter((f) => {
      const html = readFileSync(f, 'utf8');
      return (
        html.includes('docs-doc-page') &&
        !html.includes('docusaurus-mermaid-container') &&
        !html.includes('generated-index')
      );
    })
    .sort();
  return candidates[0];
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

if (process.argv.includes('--clear')) run(['clear']);
const started = Date.now();
run(['build']);
const seconds = (Date.now() - started) / 1000;

const pages = htmlFiles(buildDir);
console.log(`build: ${seconds.toFixed(1)} s`);
console.log(`páginas HTML: ${pages.length} (incluindo 404.html e a página de busca)`);

const textPage = pickTextOnlyPage(pages) ?? path.join(buildDir, 'fundamentos', 'index.html');
const measured = [
  ['página só de texto', textPage],
  ['página com diagrama Mermaid', path.join(buildDir, 'fundamentos', 'arquitetura', 'index.html')],
] as const;
for (const [label, file] of measured) {
  if (!existsSync(file)) continue;
  const w = jsWeight(file);
  const rel = '/' + path.relative(buildDir, file).split(path.sep).join('/');
  console.log(
    `JS no primeiro carregamento, ${label} (${rel}): ${w.files} arquivos, ${kb(w.raw)}, ${kb(w.gzip)} gzip`,
  );
}

const index = readdirSync(buildDir).find((f) => /^search-index.*\.json$/.test(f));
if (index) {
  const body = readFileSync(path.join(buildDir, index));
  console.log(
    `índice de busca (baixado ao usar a busca): ${kb(body.length)}, ${kb(gzipSync(body).length)} gzip`,
  );
}
