// Browser test of the simulated cluster's own web pages (Mesos, Marathon, Chronos): starts the
// simulator in this process on ephemeral ports (model executor: nothing runs), creates an app and
// two jobs through the APIs, then opens each page in headless Chromium (playwright-core) and checks
// that it shows the cluster's real state, that the actions work by clicks, that no console error
// appears and that axe-core finds no serious or critical violation.
// Needs Debian's chromium at /usr/bin/chromium (or CHROMIUM_PATH); without it the test is skipped,
// except in CI, where it fails.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Ports } from '../src/cluster/topology.ts';
import { RealClock } from '../src/sim/core/clock.ts';
import { ModelExecutor } from '../src/sim/core/model-executor.ts';
import { SimCluster } from '../src/sim/node/sim-cluster.ts';
import { assert } from './lib/browser/harness.ts';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const inCi = process.env.CI === 'true';

if (!existsSync(executablePath)) {
  const what = `O Chromium não foi encontrado em ${executablePath}, então o teste das páginas do cluster não rodou.`;
  const todo =
    'Instale o pacote chromium (Debian/Ubuntu: sudo apt-get install chromium) ou aponte CHROMIUM_PATH para ele.';
  if (inCi) {
    console.error(`${what}\n${todo}\ncluster-ui: 0 passed, 1 failed`);
    process.exit(1);
  }
  console.log(`${what}\n${todo}\ncluster-ui: testes pulados`);
  process.exit(0);
}

interface Case {
  name: string;
  /** Console errors this case expects (e.g. the browser's line about a 422 answer). */
  allowConsole?: RegExp;
  run(page: Page): Promise<void>;
}

const EPHEMERAL: Ports = {
  zookeeper: 0,
  'mesos-master': 0,
  'mesos-agent-1': 0,
  'mesos-agent-2': 0,
  marathon: 0,
  chronos: 0,
};

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core on the open page, evaluated through the DevTools protocol (the pages' CSP forbids
 *  injected script tags); fails on any serious or critical violation. */
async function assertAccessible(page: Page): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: unknown[] }> } })
      .axe;
    return (await axe.run(document)).violations;
  });
  const bad = (
    violations as { id: string; impact?: string | null; help: string; nodes: { target: unknown }[] }[]
  ).filter((v) => v.impact === 'serious' || v.impact === 'critical');
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`esperei demais por: ${what}`);
    await sleep(200);
  }
}

const clock = new RealClock(1);
const cluster = await SimCluster.start({
  ports: EPHEMERAL,
  clock,
  executor: new ModelExecutor(clock),
  probe: null,
});
const ports = cluster.ports;
const url = (service: keyof Ports, path: string) => `http://127.0.0.1:${ports[service]}${path}`;
const api = async (service: keyof Ports, method: string, path: string, body?: unknown) => {
  const res = await fetch(url(service, path), {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? (JSON.parse(text) as unknown) : undefined };
};

interface AppJson {
  app: { instances: number; tasksRunning: number; tasks: { id: string; host: string }[] };
}
interface JobJson {
  name: string;
  successCount: number;
}

let browser: Browser | undefined;
let failed = 0;
let passed = 0;
try {
  await until('o cluster ficar pronto', async () => cluster.readiness().ready || undefined);
  const created = await api('marathon', 'POST', '/v2/apps', {
    id: '/web',
    cmd: 'python3 -m http.server $PORT0',
    cpus: 0.1,
    mem: 16,
    instances: 1,
    healthChecks: [{ protocol: 'HTTP', path: '/', portIndex: 0 }],
  });
  assert(created.status === 201, `POST /v2/apps respondeu ${created.status}: ${created.text}`);
  for (const job of [
    { name: 'ola', command: 'true', schedule: 'R/2035-01-01T00:00:00Z/PT1H', owner: 'aluno@ufsc.br' },
  ]) {
    const r = await api('chronos', 'POST', '/v1/scheduler/iso8601', job);
    assert(r.status === 204, `POST /v1/scheduler/iso8601 respondeu ${r.status}: ${r.text}`);
  }
  const dep = await api('chronos', 'POST', '/v1/scheduler/dependency', {
    name: 'depois',
    command: 'true',
    parents: ['ola'],
    owner: 'aluno@ufsc.br',
  });
  assert(dep.status === 204, `POST /v1/scheduler/dependency respondeu ${dep.status}: ${dep.text}`);
  const task = await until('a instância de /web rodar', async () => {
    const r = await api('marathon', 'GET', '/v2/apps/web');
    const app = (r.json as AppJson).app;
    return app.tasksRunning === 1 ? app.tasks[0] : undefined;
  });

  const master = url('mesos-master', '/');
  const marathon = url('marathon', '/ui/');
  const chronosUrl = url('chronos', '/');

  /** Opens a page and waits until the view rendered a heading with this text. */
  const open = async (page: Page, address: string, heading: string) => {
    const res = await page.goto(address, { waitUntil: 'load' });
    // A change of the hash alone loads nothing (null response).
    assert(res === null || res.ok(), `${address} respondeu ${res?.status()}`);
    await page.locator('#view h1', { hasText: heading }).first().waitFor();
  };
  const viewText = (page: Page) => page.locator('#view').innerText();
  const noErrorBox = async (page: Page) => {
    const n = await page.locator('#view .error').count();
    assert(
      n === 0,
      `a página mostra um erro: ${n ? await page.locator('#view .error').first().innerText() : ''}`,
    );
  };

  const cases: Case[] = [
    {
      name: 'Mesos: Overview mostra cluster, líder, agentes, tarefas e recursos',
      async run(page) {
        await open(page, master, 'Overview');
        const text = await viewText(page);
        const state = (await api('mesos-master', 'GET', '/master/state')).json as {
          cluster: string;
          version: string;
          leader_info: { hostname: string; port: number };
          activated_slaves: number;
        };
        assert(text.includes(state.cluster), `falta o nome do cluster ${state.cluster}`);
        assert(
          text.includes(`${state.leader_info.hostname}:${state.leader_info.port}`),
          'falta o master líder',
        );
        assert(text.includes(state.version), 'falta a versão');
        assert(/Activated\s+2/.test(text), `agentes ativos deveriam ser 2: ${text.slice(0, 400)}`);
        assert(/Running\s+1/.test(text), 'deveria haver 1 tarefa em Running');
        assert(text.includes(task.id), 'a tarefa ativa não aparece');
        await noErrorBox(page);
        await assertAccessible(page);
      },
    },
    {
      name: 'Mesos: Agents lista os dois agentes com recursos e atributos',
      async run(page) {
        await open(page, master + '#/agents', 'Agents');
        const text = await viewText(page);
        for (const s of ['mesos-agent-1', 'mesos-agent-2', 'rack:a', 'rack:b', '[31000-31009]'])
          assert(text.includes(s), `falta ${s}`);
        await page
          .getByRole('link', { name: /-S\d+$/ })
          .first()
          .click();
        await page.locator('#view h1', { hasText: 'Agent mesos-agent' }).waitFor();
        assert((await viewText(page)).includes('Resources'), 'a página do agente não mostra Resources');
        await noErrorBox(page);
        await assertAccessible(page);
      },
    },
    {
      name: 'Mesos: Frameworks e Offers',
      async run(page) {
        await open(page, master + '#/frameworks', 'Frameworks');
        const text = await viewText(page);
        assert(text.includes('marathon') && text.includes('chronos'), 'faltam marathon e chronos');
        await assertAccessible(page);
        await page
          .getByRole('link', { name: /-0000$/ })
          .first()
          .click();
        await page.locator('#view h1', { hasText: 'Framework' }).waitFor();
        assert((await viewText(page)).includes(task.id), 'o framework marathon não mostra sua tarefa');
        await assertAccessible(page);
        await open(page, master + '#/offers', 'Offers');
        await noErrorBox(page);
        await assertAccessible(page);
      },
    },
    {
      name: 'Mesos: Tasks com histórico de estados',
      async run(page) {
        await open(page, master + '#/tasks', 'Tasks');
        await page.getByRole('link', { name: task.id, exact: true }).first().click();
        await page.locator('#view h1', { hasText: `Task ${task.id}` }).waitFor();
        const text = await viewText(page);
        assert(text.includes('State history') && text.includes('TASK_RUNNING'), 'falta o histórico');
        await noErrorBox(page);
        await assertAccessible(page);
      },
    },
    {
      name: 'Mesos: a sandbox abre o stdout da tarefa',
      async run(page) {
        await open(page, master + '#/tasks', 'Tasks');
        await page
          .getByRole('link', { name: `Sandbox da tarefa ${task.id}` })
          .first()
          .click();
        await page.locator('#view h1', { hasText: 'Sandbox' }).waitFor();
        await page.getByRole('link', { name: 'stdout', exact: true }).click();
        const pre = page.locator('#view pre');
        await pre.waitFor();
        const content = await pre.innerText();
        assert(content.includes(`Starting task ${task.id}`), `stdout sem o conteúdo esperado: ${content}`);
        await assertAccessible(page);
      },
    },
    {
      name: 'Marathon: Applications mostra a aplicação, instâncias e saúde',
      async run(page) {
        await open(page, marathon, 'Applications');
        const text = await viewText(page);
        assert(text.includes('/web') && text.includes('1 de 1'), `falta /web com 1 de 1: ${text}`);
        await assertAccessible(page);
        await open(page, url('marathon', '/ui/') + '#/deployments', 'Deployments');
        await noErrorBox(page);
        await assertAccessible(page);
      },
    },
    {
      name: 'Marathon: escalar por cliques muda as instâncias em /v2/apps',
      async run(page) {
        await open(page, marathon + '#/apps/' + encodeURIComponent('/web'), 'Application /web');
        const text = await viewText(page);
        assert(text.includes(task.host) && text.includes('Versions'), 'faltam host da tarefa e versões');
        await assertAccessible(page);
        await page.getByRole('button', { name: 'Scale Application' }).click();
        await page.getByLabel('Número de instâncias').fill('3');
        await assertAccessible(page);
        await page.getByRole('button', { name: 'Escalar', exact: true }).click();
        await until('instances = 3 em /v2/apps/web', async () => {
          const r = await api('marathon', 'GET', '/v2/apps/web');
          return (r.json as AppJson).app.instances === 3 || undefined;
        });
        await page.locator('#view', { hasText: 'de 3 pedidas' }).waitFor();
      },
    },
    {
      name: 'Marathon: criar por JSON mostra os erros 422 da API',
      allowConsole: /status of 422/,
      async run(page) {
        await open(page, marathon, 'Applications');
        await page.getByRole('button', { name: 'Create Application' }).click();
        await page.getByLabel('Definição da aplicação (JSON)').fill('{"id": "Nome Ruim", "cpus": -1}');
        await page.getByRole('button', { name: 'Criar', exact: true }).click();
        const out = page.locator('#lab-dialog .error');
        await out.waitFor();
        const text = await out.innerText();
        const expected = await api('marathon', 'POST', '/v2/apps', { id: 'Nome Ruim', cpus: -1 });
        assert(expected.status === 422, 'a API deveria responder 422');
        const details = (expected.json as { details: { path: string; errors: string[] }[] }).details;
        for (const d of details) assert(text.includes(d.errors[0]), `falta o erro da API: ${d.errors[0]}`);
        assert(text.includes('422'), 'falta o status 422');
        await assertAccessible(page);
      },
    },
    {
      name: 'Marathon: a lista se atualiza sozinha e Destroy por cliques remove a aplicação',
      async run(page) {
        await open(page, marathon, 'Applications');
        const r = await api('marathon', 'POST', '/v2/apps', {
          id: '/outra',
          cmd: 'sleep 100000',
          cpus: 0.1,
          mem: 16,
          instances: 1,
        });
        assert(r.status === 201, `POST /v2/apps respondeu ${r.status}`);
        await page.getByRole('link', { name: '/outra', exact: true }).waitFor({ timeout: 10_000 });
        await until('a implantação de /outra terminar', async () => {
          const d = (await api('marathon', 'GET', '/v2/deployments')).json as unknown[];
          return d.length === 0 || undefined;
        });
        await page.getByRole('link', { name: '/outra', exact: true }).click();
        await page.locator('#view h1', { hasText: 'Application /outra' }).waitFor();
        await page.getByRole('button', { name: 'Destroy', exact: true }).click();
        await page.getByRole('button', { name: 'Destruir', exact: true }).click();
        await until('/outra sumir de /v2/apps', async () => {
          const res = await api('marathon', 'GET', '/v2/apps/outra');
          return res.status === 404 || undefined;
        });
        await page.locator('#view h1', { hasText: 'Applications' }).waitFor();
      },
    },
    {
      name: 'Chronos: Jobs mostra agendamento, resultado e contagens',
      async run(page) {
        await open(page, chronosUrl, 'Jobs');
        const text = await viewText(page);
        for (const s of ['ola', 'depois', 'R/2035-01-01T00:00:00Z/PT1H', 'fresh'])
          assert(text.includes(s), `falta ${s}`);
        await noErrorBox(page);
        await assertAccessible(page);
      },
    },
    {
      name: 'Chronos: Run por clique aumenta a contagem de sucessos',
      async run(page) {
        const before = ((await api('chronos', 'GET', '/v1/scheduler/jobs')).json as JobJson[]).find(
          (j) => j.name === 'ola',
        )!.successCount;
        await open(page, chronosUrl, 'Jobs');
        await page.getByRole('button', { name: 'Run ola' }).click();
        await until('successCount de ola aumentar', async () => {
          const jobs = (await api('chronos', 'GET', '/v1/scheduler/jobs')).json as JobJson[];
          return jobs.find((j) => j.name === 'ola')!.successCount > before || undefined;
        });
        await page
          .locator('[data-success="ola"]', { hasText: String(before + 1) })
          .first()
          .waitFor();
        await open(page, chronosUrl + '#/jobs/ola', 'Job ola');
        await assertAccessible(page);
      },
    },
    {
      name: 'Chronos: Delete por cliques apaga o job',
      async run(page) {
        const r = await api('chronos', 'POST', '/v1/scheduler/iso8601', {
          name: 'apagar',
          command: 'true',
          schedule: 'R/2035-01-01T00:00:00Z/PT1H',
          owner: 'aluno@ufsc.br',
        });
        assert(r.status === 204, `POST /v1/scheduler/iso8601 respondeu ${r.status}`);
        await open(page, chronosUrl, 'Jobs');
        await page.getByRole('button', { name: 'Delete apagar' }).click();
        await assertAccessible(page);
        await page.getByRole('button', { name: 'Apagar', exact: true }).click();
        await until('o job apagar sumir', async () => {
          const jobs = (await api('chronos', 'GET', '/v1/scheduler/jobs')).json as JobJson[];
          return jobs.every((j) => j.name !== 'apagar') || undefined;
        });
        await page.getByRole('link', { name: 'apagar', exact: true }).waitFor({ state: 'detached' });
      },
    },
    {
      name: 'Chronos: o grafo de dependências é desenhado',
      async run(page) {
        await open(page, chronosUrl + '#/graph', 'Dependency graph');
        const nodes = await page.locator('svg.graph g.node').count();
        assert(nodes === 2, `o grafo deveria ter 2 jobs, tem ${nodes}`);
        assert((await page.locator('svg.graph path.edge').count()) === 1, 'o grafo deveria ter 1 seta');
        await assertAccessible(page);
      },
    },
    {
      name: 'Segurança: sem CORS, sem moldura de outro site, pedidos de outra origem recusados',
      async run(page) {
        for (const address of [master, marathon, chronosUrl]) {
          const res = await page.request.get(address);
          const h = res.headers();
          assert(h['x-frame-options'] === 'DENY', `${address}: falta X-Frame-Options DENY`);
          assert(/frame-ancestors 'none'/.test(h['content-security-policy'] ?? ''), `${address}: falta CSP`);
          assert(!('access-control-allow-origin' in h), `${address}: não deveria mandar CORS`);
        }
        const evil = await fetch(url('marathon', '/v2/apps/web'), {
          method: 'DELETE',
          headers: { Origin: 'http://exemplo-malicioso.com' },
        });
        assert(evil.status === 403, `DELETE de outra origem respondeu ${evil.status}`);
      },
    },
  ];

  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  for (const c of cases) {
    const started = Date.now();
    const context = await browser.newContext({ locale: 'pt-BR', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !c.allowConsole?.test(msg.text()))
        problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`erro na página: ${err.message}`));
    let error: string | undefined;
    try {
      await c.run(page);
    } catch (err) {
      error = err instanceof Error ? err.message.split('\n')[0] : String(err);
    }
    if (!error && problems.length) error = problems.join(' | ');
    await context.close();
    if (error) failed++;
    else passed++;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${error ? 'FAIL' : 'ok  '} ${c.name} (${seconds} s)${error ? `\n     ${error}` : ''}`);
  }
} catch (err) {
  failed++;
  console.log(`FAIL preparação do cluster: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  await browser?.close();
  await cluster.shutdown();
}
console.log(`cluster-ui: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
