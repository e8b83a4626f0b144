// `npm run test:browser`: opens the built site in headless Chromium (playwright-core) and runs
// the cases of scripts/lib/browser/cases.ts. Needs Debian's chromium at /usr/bin/chromium
// (or CHROMIUM_PATH); without it the test is skipped, except in CI, where it fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CASES } from './lib/browser/cases.ts';
import { runCases } from './lib/browser/harness.ts';
import { siteCases } from './lib/browser/site-cases.ts';
import { startStaticServer } from './lib/browser/static-server.ts';

const root = path.resolve(import.meta.dirname, '..');
const buildDir = path.join(root, 'build');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const inCi = process.env.CI === 'true';

if (!existsSync(executablePath)) {
  const what = `O Chromium não foi encontrado em ${executablePath}, então os testes no navegador não rodaram.`;
  const todo =
    'Instale o pacote chromium (Debian/Ubuntu: sudo apt-get install chromium) ou aponte CHROMIUM_PATH para ele.';
  if (inCi) {
    console.error(`${what}\n${todo}\nbrowser: 0 passed, 1 failed`);
    process.exit(1);
  }
  console.log(`${what}\n${todo}\nbrowser: testes pulados`);
  process.exit(0);
}

if (!existsSync(path.join(buildDir, 'index.html'))) {
  console.log(
    'O site ainda não foi construído (falta build/index.html); rodando npm run build antes dos testes.',
  );
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error(
      'O build do site falhou, então os testes no navegador não rodaram.\nbrowser: 0 passed, 1 failed',
    );
    process.exit(1);
  }
}

const server = await startStaticServer(buildDir);
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
let failed = 0;
try {
  // `npm run test:browser -- busca` runs only the cases whose name contains "busca".
  const only = process.argv.slice(2).join(' ').trim();
  const all = [...CASES, ...siteCases(buildDir)];
  const results = await runCases(browser, server.url, only ? all.filter((c) => c.name.includes(only)) : all);
  failed = results.filter((r) => !r.ok).length;
  console.log(`browser: ${results.length - failed} passed, ${failed} failed`);
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
