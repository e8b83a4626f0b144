// Lab 03 — Tarefas agendadas com Chronos: a daily ISO 8601 job (and the UTC versus America/Sao_Paulo
// trap), a chain of dependent jobs run by hand, a job that fails and is retried; read the counts and graph.
import { stringify } from 'yaml';
import type { ChronosJob } from '../../src/cluster/clients/chronos.ts';
import { validateChronosJob, type Question } from '../../src/labs/answers.ts';
import { answer, falhou, norm, passou, readJson, readYaml } from '../../src/labs/helpers.ts';
import { hhmm, parseChronosSchedule, periodMs, wallClock } from '../../src/labs/iso8601.ts';
import { isKnownTimeZone } from '../../src/sim/core/chronos/iso8601.ts';
import type { ExerciseParams } from '../../src/labs/params.ts';
import { labDoc } from '../../src/labs/site.ts';
import { applyChronosJobFiles, writeAndPostChronosJob } from '../../src/labs/solution.ts';
import type { Check, CheckContext, LabDefinition, SolutionEnv, SolutionStep } from '../../src/labs/types.ts';

export const FILES = {
  diario: 'diario.json',
  coleta: 'coleta.json',
  resumo: 'resumo.json',
  instavel: 'instavel.json',
  yaml: 'respostas.yaml',
} as const;

export const QUESTIONS: Question[] = [
  { key: 'horario_utc_diario', type: 'texto', text: 'Em UTC, a que horas (HH:MM) o job diário roda?' },
  {
    key: 'sucessos_coleta',
    type: 'numero',
    text: 'Quantas vezes o job de coleta terminou com sucesso (successCount)?',
  },
  {
    key: 'tentativas_instavel',
    type: 'numero',
    text: 'Em quantas tentativas, no total, o job instável rodou antes de desistir?',
  },
  { key: 'pais_de_resumo', type: 'lista', text: 'Os jobs pais do job de resumo, segundo o grafo.' },
];

export const SAO_PAULO = 'America/Sao_Paulo';
const doc = (anchor: string) => labDoc('03', anchor);

/** 03:MM in São Paulo, as the student's daily job must run. */
export function dailyTime(p: ExerciseParams): string {
  return `03:${String(p.lab03.minuto).padStart(2, '0')}`;
}

/** The same instant in UTC (Brazil has had no daylight saving time since 2019: UTC−3 all year). */
export function dailyTimeUtc(p: ExerciseParams): string {
  return `06:${String(p.lab03.minuto).padStart(2, '0')}`;
}

function tomorrow(now: number): string {
  return new Date(now + 86_400_000).toISOString().slice(0, 10);
}

export function referenceJobs(p: ExerciseParams, now = Date.now()) {
  const day = tomorrow(now);
  return {
    diario: {
      name: p.lab03.diario,
      command: 'echo "backup diário"',
      schedule: `R/${day}T${dailyTime(p)}:00-03:00/P1D`,
      scheduleTimeZone: SAO_PAULO,
      owner: 'aluno@ufsc.br',
    },
    coleta: {
      name: p.lab03.coleta,
      command: 'echo coletado',
      schedule: `R/${day}T00:00:00Z/P1D`,
      owner: 'aluno@ufsc.br',
    },
    resumo: {
      name: p.lab03.resumo,
      command: 'echo resumido',
      parents: [p.lab03.coleta],
      owner: 'aluno@ufsc.br',
    },
    instavel: {
      name: p.lab03.instavel,
      command: 'echo "vou falhar"; exit 1',
      schedule: `R/${day}T00:00:00Z/P1D`,
      retries: 2,
      owner: 'aluno@ufsc.br',
    },
  };
}

async function job(ctx: { cluster: CheckContext['cluster'] }, name: string): Promise<ChronosJob | undefined> {
  return ctx.cluster.chronos.job(name);
}

const jobFileCheck = (
  id: string,
  title: string,
  file: string,
  kind: 'agendado' | 'dependente',
  expectedName: (p: ExerciseParams) => string,
  anchor: string,
  hints: string[],
): Check => ({
  id,
  lab: '03',
  title,
  points: 1,
  grading: 'replay',
  doc: doc(anchor),
  reads: [file],
  hints,
  async run(ctx) {
    const r = readJson(ctx, file, (v) => validateChronosJob(v, kind));
    if ('result' in r) return r.result;
    const name = expectedName(ctx.params);
    if (r.value.name !== name)
      return falhou(
        `O job em respostas/${file} se chama "${String(r.value.name)}"; o seu deve ser "${name}".`,
      );
    return passou(`respostas/${file} define o job ${name}.`);
  },
});

const checks: Check[] = [
  jobFileCheck(
    '03.diario-json',
    'respostas/diario.json define o job diário',
    FILES.diario,
    'agendado',
    (p) => p.lab03.diario,
    'agendamento',
    [
      'Um job agendado tem name, command e schedule (ISO 8601: R/<início>/<período>).',
      'O nome é diario-<sua matrícula>; veja os campos aceitos no README.md da pasta respostas.',
    ],
  ),
  {
    id: '03.diario-horario',
    lab: '03',
    title: 'O job diário roda todo dia às 03:MM no horário de Brasília',
    points: 2,
    grading: 'replay',
    doc: doc('fuso-horario'),
    hints: [
      'O Chronos lê o início do agendamento em UTC, a não ser que você diga o fuso em scheduleTimeZone.',
      'Ou escreva o início em UTC (03:MM em Brasília são 06:MM em UTC), ou mantenha 03:MM e use "scheduleTimeZone": "America/Sao_Paulo".',
      'O período de um dia é P1D, e "R" sem número repete para sempre.',
    ],
    async run(ctx) {
      const j = await job(ctx, ctx.params.lab03.diario);
      if (!j)
        return falhou(
          `O job ${ctx.params.lab03.diario} não existe no Chronos. Envie-o para POST /v1/scheduler/iso8601.`,
        );
      if (!j.schedule)
        return falhou(
          'O job diário não tem agendamento (schedule); ele deveria ser um job agendado, sem pais.',
        );
      const s = parseChronosSchedule(j.schedule, j.scheduleTimeZone ?? '');
      if ('error' in s) return falhou(s.error);
      if (s.repeat !== -1)
        return falhou(`O agendamento repete só ${s.repeat} vez(es); use "R" sem número para repetir sempre.`);
      if (periodMs(s.period) !== 86_400_000) return falhou('O período não é de um dia: use P1D.');
      const at = hhmm(wallClock(s.start, SAO_PAULO));
      const want = dailyTime(ctx.params);
      if (at !== want) {
        const tz = j.scheduleTimeZone ?? '';
        const typo =
          tz !== '' && !isKnownTimeZone(tz)
            ? ` O fuso "${tz}" não existe, e por isso o Chronos lê o início em GMT.`
            : '';
        return falhou(
          `O job roda às ${at} no horário de Brasília (${hhmm(wallClock(s.start, 'UTC'))} UTC); deveria rodar às ${want}.${typo}`,
        );
      }
      return passou(`O job roda todo dia às ${want} em Brasília.`, {
        schedule: j.schedule,
        scheduleTimeZone: j.scheduleTimeZone ?? '',
      });
    },
  },
  {
    id: '03.fuso',
    lab: '03',
    title: 'Você sabe a que horas o job diário roda em UTC',
    points: 1,
    grading: 'replay',
    doc: doc('fuso-horario'),
    reads: [FILES.yaml],
    hints: [
      'Brasília está em UTC−3 o ano todo (não há mais horário de verão).',
      'Some 3 horas ao horário de Brasília.',
    ],
    async run(ctx) {
      const r = readYaml(ctx, FILES.yaml, QUESTIONS);
      if ('result' in r) return r.result;
      const a = answer(r.value, 'horario_utc_diario', FILES.yaml);
      if ('result' in a) return a.result;
      const given = String(a.value).trim().padStart(5, '0');
      if (given === dailyTimeUtc(ctx.params)) return passou(`Isso: ${dailyTimeUtc(ctx.params)} UTC.`);
      return falhou(`"${String(a.value)}" não é o horário em UTC do job diário (formato HH:MM).`);
    },
  },
  {
    id: '03.cadeia-json',
    lab: '03',
    title: 'respostas/coleta.json e resumo.json definem a cadeia',
    points: 1,
    grading: 'replay',
    doc: doc('jobs-dependentes'),
    reads: [FILES.coleta, FILES.resumo],
    hints: [
      'O job de resumo é dependente: em vez de schedule, ele tem "parents".',
      'Use "parents": ["coleta-<sua matrícula>"] em resumo.json e envie-o para POST /v1/scheduler/dependency.',
    ],
    async run(ctx) {
      const { coleta, resumo } = ctx.params.lab03;
      const parent = readJson(ctx, FILES.coleta, (v) => validateChronosJob(v, 'agendado'));
      if ('result' in parent) return parent.result;
      if (parent.value.name !== coleta)
        return falhou(`O job em respostas/coleta.json deve se chamar "${coleta}".`);
      const child = readJson(ctx, FILES.resumo, (v) => validateChronosJob(v, 'dependente'));
      if ('result' in child) return child.result;
      if (child.value.name !== resumo)
        return falhou(`O job em respostas/resumo.json deve se chamar "${resumo}".`);
      if (!(child.value.parents as string[]).includes(coleta)) {
        return falhou(`Em respostas/resumo.json, "parents" deve conter "${coleta}".`);
      }
      return passou('Os dois arquivos definem a cadeia.');
    },
  },
  {
    id: '03.cadeia',
    lab: '03',
    title: 'O resumo depende da coleta no Chronos (o grafo mostra a ligação)',
    points: 2,
    grading: 'replay',
    doc: doc('jobs-dependentes'),
    hints: [
      'Crie primeiro o job pai (coleta), depois o dependente (resumo): um dependente com pai desconhecido fica invisível.',
      'Confira em `curl -s http://127.0.0.1:4400/v1/scheduler/graph/csv` se aparece a linha link,coleta-…,resumo-….',
    ],
    async run(ctx) {
      const { coleta, resumo } = ctx.params.lab03;
      const parent = await job(ctx, coleta);
      if (!parent) return falhou(`O job ${coleta} não existe no Chronos.`);
      const child = await job(ctx, resumo);
      if (!child)
        return falhou(
          `O job ${resumo} não existe no Chronos (um job dependente com pai inexistente não aparece).`,
        );
      const graph = await ctx.cluster.chronos.graph();
      if (!graph.links.some((l) => l.parent === coleta && l.child === resumo)) {
        return falhou(`O grafo do Chronos não liga ${coleta} a ${resumo}.`);
      }
      return passou(`${resumo} roda depois de ${coleta}.`);
    },
  },
  {
    id: '03.execucao-manual',
    lab: '03',
    title: 'Você rodou a coleta à mão e o resumo rodou depois dela',
    points: 2,
    grading: 'evidence',
    doc: doc('execucao-manual'),
    hints: [
      'Um job pode rodar fora do agendamento: PUT /v1/scheduler/job/<nome>.',
      'Rode `curl -X PUT http://127.0.0.1:4400/v1/scheduler/job/coleta-<sua matrícula>` e espere o resumo rodar.',
    ],
    async run(ctx) {
      const { coleta, resumo } = ctx.params.lab03;
      const parent = await job(ctx, coleta);
      const child = await job(ctx, resumo);
      if (!parent || !child) return falhou('Os jobs de coleta e de resumo precisam existir no Chronos.');
      if (parent.successCount < 1 || !parent.lastSuccess)
        return falhou(`O job ${coleta} ainda não terminou com sucesso nenhuma vez.`);
      if (child.successCount < 1 || !child.lastSuccess)
        return falhou(`O job ${resumo} ainda não rodou depois da coleta.`);
      if (child.lastSuccess < parent.lastSuccess) {
        return falhou(
          `O último sucesso de ${resumo} é anterior ao de ${coleta}: rode a coleta de novo e espere o resumo.`,
        );
      }
      const tasks = await chronosTasks(ctx, coleta);
      return passou('A cadeia rodou: coleta, depois resumo.', {
        coletaLastSuccess: parent.lastSuccess,
        resumoLastSuccess: child.lastSuccess,
        coletaSuccessCount: parent.successCount,
        tasks: tasks.map((t) => t.id),
      });
    },
  },
  {
    id: '03.retentativas',
    lab: '03',
    title: 'O job instável falhou e o Chronos tentou de novo',
    points: 2,
    grading: 'evidence',
    doc: doc('retentativas'),
    hints: [
      'O campo retries diz quantas vezes o Chronos tenta de novo depois de uma falha.',
      'Crie instavel-<sua matrícula> com um comando que falha (exit 1) e "retries": 2, rode-o à mão e espere as novas tentativas.',
    ],
    async run(ctx) {
      const name = ctx.params.lab03.instavel;
      const j = await job(ctx, name);
      if (!j) return falhou(`O job ${name} não existe no Chronos.`);
      if (j.retries < 1)
        return falhou(`O job ${name} tem retries ${j.retries}: assim o Chronos não tenta de novo.`);
      if (j.errorCount < 1)
        return falhou(
          `O job ${name} ainda não falhou de vez (errorCount 0): rode-o e espere as novas tentativas.`,
        );
      // The master forgets finished tasks when it restarts (lab 04): what the checklist saw counts too.
      const seen = new Map<string, string>();
      for (const o of ctx.evidence.observations) {
        if (o.kind === 'tarefas' && o.app === `job:${name}`)
          for (const t of o.tasks ?? []) seen.set(t.id, t.state);
      }
      for (const t of await chronosTasks(ctx, name)) seen.set(t.id, t.state);
      const tasks = [...seen.entries()]
        .filter(([, state]) => state === 'TASK_FAILED')
        .map(([id]) => ({ id }));
      const attempts = new Set(tasks.map((t) => Number(/^ct:\d+:(\d+):/.exec(t.id)?.[1])));
      for (let a = 0; a <= j.retries; a++) {
        if (!attempts.has(a)) {
          return falhou(
            `O master não mostra a tentativa ${a + 1} de ${j.retries + 1} do job ${name} falhando.`,
          );
        }
      }
      return passou(`${j.retries + 1} tentativas, todas falharam, como esperado.`, {
        errorCount: j.errorCount,
        lastError: j.lastError,
        tasks: tasks.map((t) => t.id),
      });
    },
  },
  {
    id: '03.leitura',
    lab: '03',
    title: 'Você leu as contagens e o grafo do Chronos',
    points: 1,
    grading: 'evidence',
    doc: doc('contagens-e-grafo'),
    reads: [FILES.yaml],
    hints: [
      'As contagens estão em GET /v1/scheduler/jobs (successCount, errorCount) e o grafo em /v1/scheduler/graph/csv.',
      'Tentativas no total = a primeira execução + as novas tentativas (retries).',
    ],
    async run(ctx) {
      const r = readYaml(ctx, FILES.yaml, QUESTIONS);
      if ('result' in r) return r.result;
      const { coleta, instavel } = ctx.params.lab03;
      const vals: Record<string, unknown> = {};
      for (const key of ['sucessos_coleta', 'tentativas_instavel', 'pais_de_resumo']) {
        const a = answer(r.value, key, FILES.yaml);
        if ('result' in a) return a.result;
        vals[key] = a.value;
      }
      const parent = await job(ctx, coleta);
      const unstable = await job(ctx, instavel);
      const graph = await ctx.cluster.chronos.graph();
      const wrong: string[] = [];
      if (!parent || Number(vals.sucessos_coleta) !== parent.successCount) wrong.push('sucessos_coleta');
      if (!unstable || Number(vals.tentativas_instavel) !== unstable.retries + 1)
        wrong.push('tentativas_instavel');
      const parents = graph.links
        .filter((l) => l.child === ctx.params.lab03.resumo)
        .map((l) => l.parent)
        .sort();
      const given = (vals.pais_de_resumo as unknown[]).map(norm).sort();
      if (JSON.stringify(parents) !== JSON.stringify(given)) wrong.push('pais_de_resumo');
      if (wrong.length) return falhou(`Confira no cluster: ${wrong.join(', ')}.`);
      return passou('As leituras conferem com o cluster.', { successCount: parent?.successCount });
    },
  },
];

/** Chronos tasks (running and completed) of one job, from the master. */
async function chronosTasks(ctx: { cluster: CheckContext['cluster'] }, name: string) {
  const state = await ctx.cluster.master.state();
  const frameworks = [...state.frameworks, ...(state.completed_frameworks ?? [])].filter(
    (f) => f.name === 'chronos',
  );
  return frameworks
    .flatMap((f) => [...(f.tasks ?? []), ...(f.completed_tasks ?? [])])
    .filter((t) => t.id.startsWith('ct:') && t.id.split(':')[3] === name);
}

const WAIT_MS = 120_000;

function solution(p: ExerciseParams): SolutionStep[] {
  const jobs = referenceJobs(p);
  const jobState = (env: SolutionEnv, name: string) => env.cluster.chronos.job(name);
  return [
    {
      title: `O job diário às ${dailyTime(p)} de Brasília`,
      async run(env) {
        await writeAndPostChronosJob(env, FILES.diario, jobs.diario);
        env.say(`Em UTC, ele roda às ${dailyTimeUtc(p)}.`);
      },
    },
    {
      title: 'A cadeia coleta → resumo',
      async run(env) {
        await writeAndPostChronosJob(env, FILES.coleta, jobs.coleta);
        await writeAndPostChronosJob(env, FILES.resumo, jobs.resumo);
        await env.call('chronos', 'GET', '/v1/scheduler/graph/csv');
      },
    },
    {
      title: 'Rodar a coleta à mão e esperar o resumo',
      async run(env) {
        await env.call('chronos', 'PUT', `/v1/scheduler/job/${p.lab03.coleta}`);
        await env.waitFor(
          'o resumo rodar depois da coleta',
          async () => ((await jobState(env, p.lab03.resumo))?.successCount ?? 0) >= 1,
          WAIT_MS,
        );
      },
    },
    {
      title: 'Um job que falha e é tentado de novo',
      async run(env) {
        await writeAndPostChronosJob(env, FILES.instavel, jobs.instavel);
        await env.call('chronos', 'PUT', `/v1/scheduler/job/${p.lab03.instavel}`);
        env.say('O Chronos espera 60 s (--failure_retry) entre as tentativas.');
        await env.waitFor(
          'as novas tentativas do job instável',
          async () => ((await jobState(env, p.lab03.instavel))?.errorCount ?? 0) >= 1,
          WAIT_MS * 2,
        );
      },
    },
    {
      title: 'Ler as contagens e o grafo',
      async run(env) {
        await env.call('chronos', 'GET', '/v1/scheduler/jobs/summary');
        const coleta = await jobState(env, p.lab03.coleta);
        await env.writeAnswer(
          FILES.yaml,
          stringify({
            horario_utc_diario: dailyTimeUtc(p),
            sucessos_coleta: coleta?.successCount ?? 0,
            tentativas_instavel: jobs.instavel.retries + 1,
            pais_de_resumo: [p.lab03.coleta],
          }),
        );
      },
    },
  ];
}

export const lab03: LabDefinition = {
  id: '03',
  slug: '03-tarefas-agendadas-com-chronos',
  title: 'Tarefas agendadas com Chronos',
  goal:
    'Agendar jobs no Chronos com ISO 8601 sem cair na armadilha do fuso horário, encadear jobs dependentes, ' +
    'rodar um job à mão, ver um job falhar e ser tentado de novo, e ler as contagens e o grafo.',
  steps: [
    {
      anchor: 'agendamento',
      title: 'Um job diário',
      text: 'Escreva respostas/diario.json: diario-<matrícula>, todo dia às 03:MM de Brasília (MM no enunciado), e envie para POST /v1/scheduler/iso8601.',
      checks: ['03.diario-json', '03.diario-horario'],
    },
    {
      anchor: 'fuso-horario',
      title: 'UTC ou America/Sao_Paulo?',
      text: 'Confira em GET /v1/scheduler/jobs o schedule gravado e responda em respostas.yaml a que horas ele roda em UTC.',
      checks: ['03.fuso'],
    },
    {
      anchor: 'jobs-dependentes',
      title: 'Uma cadeia de jobs',
      text: 'Crie coleta-<matrícula> (agendado) e resumo-<matrícula> (dependente, "parents"), nessa ordem.',
      checks: ['03.cadeia-json', '03.cadeia'],
    },
    {
      anchor: 'execucao-manual',
      title: 'Rodar à mão',
      text: 'PUT /v1/scheduler/job/coleta-<matrícula> e veja o resumo rodar em seguida.',
      checks: ['03.execucao-manual'],
    },
    {
      anchor: 'retentativas',
      title: 'Falhas e novas tentativas',
      text: 'Crie instavel-<matrícula> com um comando que falha e "retries": 2; rode-o à mão e acompanhe as tentativas no master.',
      checks: ['03.retentativas'],
    },
    {
      anchor: 'contagens-e-grafo',
      title: 'Contagens e grafo',
      text: 'Leia /v1/scheduler/jobs/summary, /v1/scheduler/jobs e /v1/scheduler/graph/csv e responda em respostas.yaml.',
      checks: ['03.leitura'],
    },
  ],
  answerFiles: [
    { name: FILES.diario, kind: 'chronos-job', description: 'O job diário.' },
    { name: FILES.coleta, kind: 'chronos-job', description: 'O job de coleta (pai).' },
    { name: FILES.resumo, kind: 'chronos-job', description: 'O job de resumo (dependente).' },
    { name: FILES.instavel, kind: 'chronos-job', description: 'O job que falha.' },
    { name: FILES.yaml, kind: 'yaml', description: 'As respostas às perguntas.' },
  ],
  checks,
  solution,
  async apply(env, answers) {
    await applyChronosJobFiles(env, answers, [FILES.diario, FILES.coleta, FILES.resumo, FILES.instavel]);
  },
  watches: (p) => ({ apps: [], jobs: [p.lab03.diario, p.lab03.coleta, p.lab03.resumo, p.lab03.instavel] }),
};

export default lab03;
