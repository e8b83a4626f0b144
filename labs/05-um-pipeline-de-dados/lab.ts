// Lab 05 — Um pipeline de dados: a Chronos chain extract → transform → load whose steps write files,
// and a Marathon service that serves the result over HTTP; checked through the agents' sandbox file
// endpoints and the service itself.
import { ServiceClient } from '../../src/cluster/clients/http.ts';
import type { ChronosJob } from '../../src/cluster/clients/chronos.ts';
import { validateChronosJob, validateMarathonApp } from '../../src/labs/answers.ts';
import { falhou, passou, readJson } from '../../src/labs/helpers.ts';
import type { ExerciseParams } from '../../src/labs/params.ts';
import { labDoc } from '../../src/labs/site.ts';
import { applyChronosJobFiles, removeAppIfPresent, writeAndPostChronosJob } from '../../src/labs/solution.ts';
import type {
  AnswerFiles,
  Check,
  CheckContext,
  LabDefinition,
  SolutionEnv,
  SolutionStep,
} from '../../src/labs/types.ts';

export const FILES = {
  extrai: 'extrai.json',
  transforma: 'transforma.json',
  carrega: 'carrega.json',
  servico: 'servico.json',
} as const;

const doc = (anchor: string) => labDoc('05', anchor);

/** Where the steps share their data: one folder on the agent that runs them all. */
export function dataDir(p: ExerciseParams): string {
  return `/tmp/pipeline-${p.matricula}`;
}

export const RACK = 'a';

export function referenceFiles(p: ExerciseParams, now = Date.now()) {
  const d = dataDir(p);
  const day = new Date(now + 86_400_000).toISOString().slice(0, 10);
  const on = [['rack', 'EQUALS', RACK]];
  return {
    extrai: {
      name: p.lab05.extrai,
      command: `mkdir -p ${d} && seq 1 ${p.lab05.n} > ${d}/numeros.txt && cp ${d}/numeros.txt numeros.txt`,
      schedule: `R/${day}T05:00:00Z/P1D`,
      constraints: on,
      owner: 'aluno@ufsc.br',
    },
    transforma: {
      name: p.lab05.transforma,
      command: `awk '{ s += $1 } END { print s }' ${d}/numeros.txt > ${d}/soma.txt && cp ${d}/soma.txt soma.txt`,
      parents: [p.lab05.extrai],
      constraints: on,
      owner: 'aluno@ufsc.br',
    },
    carrega: {
      name: p.lab05.carrega,
      command: `mkdir -p ${d}/site && echo "resultado: $(cat ${d}/soma.txt)" > ${d}/site/index.html && cp ${d}/site/index.html resultado.txt`,
      parents: [p.lab05.transforma],
      constraints: on,
      owner: 'aluno@ufsc.br',
    },
    servico: {
      id: p.lab05.appId,
      cmd:
        `mkdir -p ${d}/site && cd ${d}/site && (python3 -m http.server $PORT0 || python -m SimpleHTTPServer $PORT0 || ` +
        `node -e "require('http').createServer((q,s)=>s.end(require('fs').readFileSync('index.html'))).listen(process.env.PORT0)")`,
      cpus: 0.1,
      mem: 64,
      instances: 1,
      constraints: [['rack', 'CLUSTER', RACK]],
      healthChecks: [
        {
          protocol: 'HTTP',
          path: '/',
          portIndex: 0,
          gracePeriodSeconds: 30,
          intervalSeconds: 5,
          timeoutSeconds: 10,
        },
      ],
    },
  };
}

async function job(ctx: { cluster: CheckContext['cluster'] }, name: string): Promise<ChronosJob | undefined> {
  return ctx.cluster.chronos.job(name);
}

/** The rack a Chronos job is pinned to by an EQUALS constraint, if any. */
function pinnedRack(j: { constraints?: unknown }): string | undefined {
  const c = (Array.isArray(j.constraints) ? j.constraints : []) as string[][];
  return c.find((x) => x[0] === 'rack' && x[1] === 'EQUALS')?.[2];
}

/** The newest finished sandbox of a Chronos job on any agent: which agent, and the directory. */
async function lastSandbox(ctx: CheckContext, jobName: string) {
  let best: { agent: number; directory: string; taskId: string; due: number } | undefined;
  for (const [i, agent] of ctx.cluster.agents.entries()) {
    let executors;
    try {
      executors = await agent.executors();
    } catch {
      continue; // a stopped agent: its sandboxes cannot be read now
    }
    for (const e of executors) {
      for (const t of [...(e.completed_tasks ?? []), ...(e.tasks ?? [])]) {
        const parts = t.id.split(':');
        if (parts[0] !== 'ct' || parts[3] !== jobName || t.state !== 'TASK_FINISHED') continue;
        const due = Number(parts[1]);
        if (!best || due >= best.due) best = { agent: i, directory: e.directory, taskId: t.id, due };
      }
    }
  }
  return best;
}

const checks: Check[] = [
  {
    id: '05.jobs-json',
    lab: '05',
    title: 'Os arquivos dos três jobs definem a cadeia extrai → transforma → carrega',
    points: 1,
    grading: 'replay',
    doc: doc('jobs'),
    reads: [FILES.extrai, FILES.transforma, FILES.carrega],
    hints: [
      'extrai é agendado (schedule); transforma e carrega são dependentes (parents).',
      'transforma tem "parents": ["extrai-<matrícula>"] e carrega tem "parents": ["transforma-<matrícula>"].',
    ],
    async run(ctx) {
      const p = ctx.params.lab05;
      const specs: [string, 'agendado' | 'dependente', string, string | undefined][] = [
        [FILES.extrai, 'agendado', p.extrai, undefined],
        [FILES.transforma, 'dependente', p.transforma, p.extrai],
        [FILES.carrega, 'dependente', p.carrega, p.transforma],
      ];
      for (const [file, kind, name, parent] of specs) {
        const r = readJson(ctx, file, (v) => validateChronosJob(v, kind));
        if ('result' in r) return r.result;
        if (r.value.name !== name) return falhou(`O job em respostas/${file} deve se chamar "${name}".`);
        if (parent && !(r.value.parents as string[]).includes(parent)) {
          return falhou(`Em respostas/${file}, "parents" deve conter "${parent}".`);
        }
      }
      return passou('Os três arquivos definem a cadeia.');
    },
  },
  {
    id: '05.cadeia',
    lab: '05',
    title: 'O Chronos tem a cadeia extrai → transforma → carrega',
    points: 1,
    grading: 'replay',
    doc: doc('jobs'),
    hints: [
      'Crie os jobs na ordem: extrai, transforma, carrega (um filho só aparece depois do pai).',
      'Confira em /v1/scheduler/graph/csv as linhas link,extrai-…,transforma-… e link,transforma-…,carrega-….',
    ],
    async run(ctx) {
      const p = ctx.params.lab05;
      const graph = await ctx.cluster.chronos.graph();
      const has = (a: string, b: string) => graph.links.some((l) => l.parent === a && l.child === b);
      if (!has(p.extrai, p.transforma))
        return falhou(`O grafo do Chronos não liga ${p.extrai} a ${p.transforma}.`);
      if (!has(p.transforma, p.carrega))
        return falhou(`O grafo do Chronos não liga ${p.transforma} a ${p.carrega}.`);
      return passou('A cadeia está no Chronos.');
    },
  },
  {
    id: '05.mesmo-agente',
    lab: '05',
    title: 'Os passos e o serviço rodam no mesmo agente (restrições de posicionamento)',
    points: 1,
    grading: 'replay',
    doc: doc('localidade'),
    reads: [FILES.servico],
    hints: [
      'Cada agente do cluster real é uma máquina separada: um arquivo em /tmp de um agente não existe no outro.',
      'Prenda os três jobs com "constraints": [["rack", "EQUALS", "a"]] e o serviço com [["rack", "CLUSTER", "a"]].',
    ],
    async run(ctx) {
      const p = ctx.params.lab05;
      const racks: (string | undefined)[] = [];
      for (const name of [p.extrai, p.transforma, p.carrega]) {
        const j = await job(ctx, name);
        if (!j) return falhou(`O job ${name} não existe no Chronos.`);
        racks.push(pinnedRack(j));
      }
      const app = await ctx.cluster.marathon.app(p.appId);
      if (!app) return falhou(`A aplicação ${p.appId} não existe no Marathon.`);
      const appRack = app.constraints.find((c) => c[0] === 'rack' && c[1] === 'CLUSTER')?.[2];
      if (racks.some((r) => r === undefined) || appRack === undefined) {
        return falhou('Algum passo (ou o serviço) pode rodar em qualquer agente: falta a restrição de rack.');
      }
      if (new Set([...racks, appRack]).size !== 1)
        return falhou('Os passos e o serviço estão presos a racks diferentes.');
      return passou(`Tudo roda no rack ${appRack}.`);
    },
  },
  {
    id: '05.execucao',
    lab: '05',
    title: 'A cadeia rodou inteira, na ordem',
    points: 2,
    grading: 'evidence',
    doc: doc('execucao'),
    hints: [
      'Rode o primeiro passo à mão: PUT /v1/scheduler/job/extrai-<matrícula>; os outros vêm em seguida.',
      'Veja em /v1/scheduler/jobs/summary se algum passo falhou (status failure) e leia o stderr no sandbox da tarefa.',
    ],
    async run(ctx) {
      const p = ctx.params.lab05;
      const jobs: ChronosJob[] = [];
      for (const name of [p.extrai, p.transforma, p.carrega]) {
        const j = await job(ctx, name);
        if (!j) return falhou(`O job ${name} não existe no Chronos.`);
        if (!j.lastSuccess) {
          return falhou(
            j.lastError
              ? `O passo ${name} falhou; veja o stderr no sandbox.`
              : `O passo ${name} ainda não rodou.`,
          );
        }
        jobs.push(j);
      }
      if (!(jobs[0].lastSuccess <= jobs[1].lastSuccess && jobs[1].lastSuccess <= jobs[2].lastSuccess)) {
        return falhou(
          'Os últimos sucessos não estão na ordem extrai, transforma, carrega: rode a cadeia de novo a partir do extrai.',
        );
      }
      return passou('extrai, transforma e carrega terminaram com sucesso, nessa ordem.', {
        lastSuccess: jobs.map((j) => j.lastSuccess),
      });
    },
  },
  {
    id: '05.arquivos',
    lab: '05',
    title: 'Os sandboxes mostram a soma certa (soma.txt e resultado.txt)',
    points: 2,
    grading: 'evidence',
    doc: doc('sandbox'),
    hints: [
      'Cada passo copia a sua saída para o próprio sandbox: transforma escreve soma.txt e carrega escreve resultado.txt.',
      'Abra o sandbox da tarefa em http://127.0.0.1:5050 (ou /files/read no agente) e confira a soma de 1 a N.',
    ],
    async run(ctx) {
      const p = ctx.params.lab05;
      const expected = String(p.esperado);
      for (const [name, file] of [
        [p.transforma, 'soma.txt'],
        [p.carrega, 'resultado.txt'],
      ] as const) {
        const box = await lastSandbox(ctx, name);
        if (!box) return falhou(`Não encontrei nos agentes uma execução bem-sucedida de ${name}.`);
        const text = await ctx.cluster.agents[box.agent].readFile(`${box.directory}/${file}`);
        if (text === undefined) return falhou(`O sandbox de ${name} não tem o arquivo ${file}.`);
        if (!new RegExp(`(^|\\D)${expected}(\\D|$)`).test(text)) {
          return falhou(
            `${file} no sandbox de ${name} diz "${text.trim().slice(0, 60)}"; a soma de 1 a ${p.n} é outra.`,
          );
        }
      }
      return passou(`Os arquivos têm a soma certa (${expected}).`);
    },
  },
  {
    id: '05.servico',
    lab: '05',
    title: 'O serviço do Marathon entrega o resultado por HTTP',
    points: 2,
    grading: 'evidence',
    doc: doc('servico'),
    reads: [FILES.servico],
    hints: [
      'Implante respostas/servico.json: ele serve a pasta do site do pipeline na porta $PORT0.',
      'Veja em /v2/apps/<id>/tasks a porta da tarefa e abra http://127.0.0.1:<porta>/ no navegador.',
    ],
    async run(ctx) {
      const p = ctx.params.lab05;
      const r = readJson(ctx, FILES.servico, validateMarathonApp);
      if ('result' in r) return r.result;
      if (r.value.id !== p.appId) return falhou(`O id em respostas/servico.json deve ser "${p.appId}".`);
      const app = await ctx.cluster.marathon.app(p.appId);
      if (!app) return falhou(`A aplicação ${p.appId} não existe no Marathon.`);
      const task = (app.tasks ?? []).find((t) => t.state === 'TASK_RUNNING' && t.ports.length > 0);
      if (!task) return falhou(`A aplicação ${p.appId} não tem nenhuma instância rodando.`);
      const client = new ServiceClient(
        {
          service: 'marathon',
          label: `serviço ${p.appId}`,
          baseUrl: `http://${ctx.cluster.addresses.host}:${task.ports[0]}`,
        },
        { fetch: ctx.cluster.fetch, timeoutMs: 5000 },
      );
      const body = await client.text('/', 'text/html');
      if (!body.includes(String(p.esperado))) {
        return falhou(
          `O serviço respondeu, mas sem a soma ${p.esperado}: rode a cadeia e confira o index.html do site.`,
        );
      }
      return passou('O serviço entrega o resultado do pipeline.', { taskId: task.id, port: task.ports[0] });
    },
  },
];

const WAIT_MS = 120_000;

function solution(p: ExerciseParams): SolutionStep[] {
  const files = referenceFiles(p);
  return [
    {
      title: 'Os três passos no Chronos, presos ao rack a',
      async run(env) {
        await writeAndPostChronosJob(env, FILES.extrai, files.extrai);
        await writeAndPostChronosJob(env, FILES.transforma, files.transforma);
        await writeAndPostChronosJob(env, FILES.carrega, files.carrega);
        await env.call('chronos', 'GET', '/v1/scheduler/graph/csv');
      },
    },
    {
      title: 'Rodar a cadeia a partir do extrai',
      async run(env) {
        await env.call('chronos', 'PUT', `/v1/scheduler/job/${p.lab05.extrai}`);
        await env.waitFor(
          'o último passo terminar',
          async () => ((await env.cluster.chronos.job(p.lab05.carrega))?.successCount ?? 0) >= 1,
          WAIT_MS,
        );
      },
    },
    {
      title: 'O serviço que entrega o resultado',
      async run(env) {
        await removeAppIfPresent(env, p.lab05.appId);
        await env.writeAnswer(FILES.servico, JSON.stringify(files.servico, null, 2) + '\n');
        await env.call('marathon', 'POST', '/v2/apps', files.servico);
        await env.waitFor(
          'o serviço ficar saudável',
          async () => ((await env.cluster.marathon.app(p.lab05.appId))?.tasksHealthy ?? 0) >= 1,
          WAIT_MS,
        );
        await env.call('marathon', 'GET', `/v2/apps${p.lab05.appId}/tasks`);
      },
    },
  ];
}

export const lab05: LabDefinition = {
  id: '05',
  slug: '05-um-pipeline-de-dados',
  title: 'Um pipeline de dados',
  goal:
    'Montar um pipeline extrai → transforma → carrega com jobs dependentes do Chronos, mantendo os dados no mesmo ' +
    'agente, e publicar o resultado com um serviço do Marathon.',
  steps: [
    {
      anchor: 'jobs',
      title: 'Os três passos',
      text: 'Escreva extrai.json (agendado), transforma.json e carrega.json (dependentes) e envie-os ao Chronos, nessa ordem.',
      checks: ['05.jobs-json', '05.cadeia'],
    },
    {
      anchor: 'localidade',
      title: 'Dados no mesmo agente',
      text: 'Os passos trocam arquivos em /tmp/pipeline-<matrícula>: prenda todos ao rack a com restrições.',
      checks: ['05.mesmo-agente'],
    },
    {
      anchor: 'execucao',
      title: 'Rode a cadeia',
      text: 'PUT /v1/scheduler/job/extrai-<matrícula> e acompanhe /v1/scheduler/jobs/summary.',
      checks: ['05.execucao'],
    },
    {
      anchor: 'sandbox',
      title: 'Confira os sandboxes',
      text: 'Abra os sandboxes das tarefas na página do master e leia soma.txt e resultado.txt.',
      checks: ['05.arquivos'],
    },
    {
      anchor: 'servico',
      title: 'Publique o resultado',
      text: 'Implante respostas/servico.json no Marathon e abra http://127.0.0.1:<porta>/.',
      checks: ['05.servico'],
    },
  ],
  answerFiles: [
    { name: FILES.extrai, kind: 'chronos-job', description: 'O passo que extrai os dados.' },
    { name: FILES.transforma, kind: 'chronos-job', description: 'O passo que transforma.' },
    { name: FILES.carrega, kind: 'chronos-job', description: 'O passo que carrega o resultado.' },
    { name: FILES.servico, kind: 'marathon-app', description: 'O serviço que entrega o resultado.' },
  ],
  checks,
  solution,
  async apply(env: SolutionEnv, answers: AnswerFiles) {
    await applyChronosJobFiles(env, answers, [FILES.extrai, FILES.transforma, FILES.carrega]);
    const app = answers.read(FILES.servico);
    if (app) await env.call('marathon', 'POST', '/v2/apps', JSON.parse(app)).catch(() => {});
  },
  watches: (p) => ({ apps: [p.lab05.appId], jobs: [p.lab05.extrai, p.lab05.transforma, p.lab05.carrega] }),
};

export default lab05;
