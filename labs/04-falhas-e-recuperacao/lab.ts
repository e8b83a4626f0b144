// Lab 04 — Falhas e recuperação: stop an agent and watch Marathon replace the lost tasks; measure how
// long it took; stop Marathon and see the tasks keep running and be found again; stop the master and
// see that nothing new is scheduled. What the student writes is compared with what the cluster recorded.
import { stringify } from 'yaml';
import type { MarathonEvent } from '../../src/cluster/clients/marathon.ts';
import type { ServiceName } from '../../src/cluster/topology.ts';
import { validateMarathonApp, type Question } from '../../src/labs/answers.ts';
import type { EvidenceLog, Observation } from '../../src/labs/evidence.ts';
import { answer, falhou, norm, passou, readJson, readYaml } from '../../src/labs/helpers.ts';
import type { ExerciseParams } from '../../src/labs/params.ts';
import { labDoc } from '../../src/labs/site.ts';
import { removeAppIfPresent } from '../../src/labs/solution.ts';
import type { Check, CheckContext, LabDefinition, SolutionEnv, SolutionStep } from '../../src/labs/types.ts';

const APP_FILE = 'app.json';
const YAML_FILE = 'observacoes.yaml';

export const QUESTIONS: Question[] = [
  { key: 'agente_parado', type: 'texto', text: 'Qual agente você parou (hostname)?' },
  { key: 'tarefas_perdidas', type: 'numero', text: 'Quantas tarefas da sua aplicação foram perdidas?' },
  {
    key: 'tempo_substituicao_s',
    type: 'numero',
    text: 'Segundos entre o primeiro TASK_LOST e o TASK_RUNNING da última tarefa substituta.',
  },
  {
    key: 'sem_marathon_tarefas_continuam',
    type: 'booleano',
    text: 'Com o Marathon parado, as tarefas continuaram rodando?',
  },
  {
    key: 'sem_master',
    type: 'escolha',
    options: ['a', 'b', 'c'],
    text: 'O que acontece com o master parado?',
  },
];

const doc = (anchor: string) => labDoc('04', anchor);

export function referenceApp(p: ExerciseParams): Record<string, unknown> {
  return { id: p.lab04.appId, cmd: 'sleep 1000000', cpus: 0.1, mem: 32, instances: p.lab04.instances };
}

const NO_EVIDENCE =
  'O registro do `npm run lab:04` não mostra esse passo. Deixe o `npm run lab:04` aberto em um terminal enquanto provoca as falhas.';

function statusEvents(log: EvidenceLog, appId: string): MarathonEvent[] {
  return log.events.filter((e) => e.eventType === 'status_update_event' && e.appId === appId);
}

export interface AgentLossAnalysis {
  lost: MarathonEvent[];
  replacements: MarathonEvent[];
  host: string;
  seconds: number;
}

/** The first agent loss of the app in the log, and the tasks that replaced the lost ones elsewhere. */
export function analyseAgentLoss(log: EvidenceLog, appId: string): AgentLossAnalysis | undefined {
  const events = statusEvents(log, appId);
  const firstLost = events.find((e) => e.taskStatus === 'TASK_LOST');
  if (!firstLost) return undefined;
  const t0 = Date.parse(String(firstLost.timestamp));
  const host = String(firstLost.host ?? '');
  // One entry per lost task: Marathon repeats TASK_LOST for the same task when it reconciles.
  const lost: MarathonEvent[] = [];
  for (const e of events) {
    if (e.taskStatus !== 'TASK_LOST' || e.host !== host) continue;
    if (Math.abs(Date.parse(String(e.timestamp)) - t0) >= 60_000) continue;
    if (!lost.some((l) => l.taskId === e.taskId)) lost.push(e);
  }
  const lostIds = new Set(lost.map((e) => String(e.taskId)));
  const seenBefore = new Set(
    events.filter((e) => Date.parse(String(e.timestamp)) <= t0).map((e) => String(e.taskId)),
  );
  const replacements: MarathonEvent[] = [];
  for (const e of events) {
    if (e.taskStatus !== 'TASK_RUNNING' || Date.parse(String(e.timestamp)) < t0) continue;
    const id = String(e.taskId);
    if (lostIds.has(id) || seenBefore.has(id) || e.host === host) continue;
    if (replacements.some((r) => r.taskId === id)) continue;
    replacements.push(e);
    if (replacements.length === lostIds.size) break;
  }
  if (replacements.length < lostIds.size) return { lost, replacements, host, seconds: NaN };
  const t1 = Date.parse(String(replacements[replacements.length - 1].timestamp));
  return { lost, replacements, host, seconds: (t1 - t0) / 1000 };
}

/** Intervals when a service was down, from the checklist's observations. */
export function downIntervals(log: EvidenceLog, service: string): { from: number; to?: number }[] {
  const out: { from: number; to?: number }[] = [];
  for (const o of log.observations) {
    if (o.service !== service) continue;
    if (o.kind === 'servico-caiu') out.push({ from: o.at });
    else if (o.kind === 'servico-voltou' && out.length && out[out.length - 1].to === undefined)
      out[out.length - 1].to = o.at;
  }
  return out;
}

function snapshots(log: EvidenceLog, app: string): Observation[] {
  return log.observations.filter((o) => o.kind === 'tarefas' && o.app === app);
}

function runningIds(o: Observation | undefined): string[] {
  return (o?.tasks ?? []).filter((t) => t.state === 'TASK_RUNNING').map((t) => t.id);
}

async function yamlAnswers(ctx: CheckContext) {
  return readYaml(ctx, YAML_FILE, QUESTIONS);
}

const checks: Check[] = [
  {
    id: '04.app',
    lab: '04',
    title: 'A aplicação de respostas/app.json está rodando com todas as instâncias',
    points: 1,
    grading: 'replay',
    doc: doc('aplicacao'),
    reads: [APP_FILE],
    hints: [
      'Implante a aplicação de respostas/app.json com POST /v2/apps.',
      'Confira o id (/resiliente-<matrícula>) e o número de instâncias do enunciado.',
    ],
    async run(ctx) {
      const r = readJson(ctx, APP_FILE, validateMarathonApp);
      if ('result' in r) return r.result;
      const p = ctx.params.lab04;
      if (r.value.id !== p.appId) return falhou(`O id em respostas/app.json deve ser "${p.appId}".`);
      if (r.value.instances !== p.instances)
        return falhou(`respostas/app.json deve pedir ${p.instances} instâncias.`);
      const app = await ctx.cluster.marathon.app(p.appId);
      if (!app) return falhou(`A aplicação ${p.appId} não existe no Marathon.`);
      if (app.instances !== p.instances || app.tasksRunning < p.instances) {
        return falhou(`A aplicação tem ${app.tasksRunning} de ${p.instances} instâncias rodando.`);
      }
      return passou(`${app.tasksRunning} instâncias rodando.`, { version: app.version });
    },
  },
  {
    id: '04.agente-perdido',
    lab: '04',
    title: 'Você parou um agente e o Marathon substituiu as tarefas perdidas no outro',
    points: 2,
    grading: 'evidence',
    doc: doc('agente'),
    reads: [YAML_FILE],
    hints: [
      'Veja em /v2/apps/<id>/tasks em qual agente (host) as tarefas rodam e pare esse agente com `npm run cluster -- stop <agente>`.',
      'O master só declara o agente perdido depois de alguns pings sem resposta: espere o TASK_LOST no /v2/events.',
      'Depois responda agente_parado e tarefas_perdidas em respostas/observacoes.yaml.',
    ],
    async run(ctx) {
      const a = analyseAgentLoss(ctx.evidence, ctx.params.lab04.appId);
      if (!a) return falhou(NO_EVIDENCE + ' (procurei um TASK_LOST das suas tarefas).');
      if (Number.isNaN(a.seconds))
        return falhou(
          'O registro mostra as tarefas perdidas, mas não as substitutas rodando no outro agente.',
        );
      const r = await yamlAnswers(ctx);
      if ('result' in r) return r.result;
      const agent = answer(r.value, 'agente_parado', YAML_FILE);
      if ('result' in agent) return agent.result;
      const count = answer(r.value, 'tarefas_perdidas', YAML_FILE);
      if ('result' in count) return count.result;
      if (norm(agent.value) !== norm(a.host))
        return falhou(`Pelo registro, o agente parado não foi "${String(agent.value)}".`);
      if (Number(count.value) !== a.lost.length)
        return falhou('O número de tarefas perdidas não confere com o registro.');
      return passou(`${a.lost.length} tarefa(s) perdida(s) em ${a.host} e substituída(s).`, {
        lost: a.lost.map((e) => e.taskId),
        replacements: a.replacements.map((e) => e.taskId),
        lostAt: a.lost[0].timestamp,
        replacedAt: a.replacements[a.replacements.length - 1].timestamp,
      });
    },
  },
  {
    id: '04.tempo-substituicao',
    lab: '04',
    title: 'Você mediu quanto tempo o Marathon levou para substituir as tarefas',
    points: 2,
    grading: 'evidence',
    doc: doc('tempo'),
    reads: [YAML_FILE],
    hints: [
      'Use os timestamps do /v2/events: do primeiro TASK_LOST até o TASK_RUNNING da última tarefa substituta.',
      'Subtraia os dois horários e escreva o resultado em segundos (um número) em tempo_substituicao_s.',
    ],
    async run(ctx) {
      const a = analyseAgentLoss(ctx.evidence, ctx.params.lab04.appId);
      if (!a || Number.isNaN(a.seconds))
        return falhou(NO_EVIDENCE + ' (procurei a perda e a substituição das tarefas).');
      const r = await yamlAnswers(ctx);
      if ('result' in r) return r.result;
      const t = answer(r.value, 'tempo_substituicao_s', YAML_FILE);
      if ('result' in t) return t.result;
      const given = Number(t.value);
      const tolerance = Math.max(2, a.seconds * 0.2);
      if (Math.abs(given - a.seconds) > tolerance) {
        return falhou(
          `Você mediu ${given} s; pelos eventos registrados foram cerca de ${Math.round(a.seconds)} s.`,
        );
      }
      return passou(`Cerca de ${Math.round(a.seconds)} s, como você mediu.`, { measuredSeconds: a.seconds });
    },
  },
  {
    id: '04.marathon-parado',
    lab: '04',
    title: 'Com o Marathon parado as tarefas continuaram, e ele as reencontrou ao voltar',
    points: 2,
    grading: 'evidence',
    doc: doc('marathon'),
    reads: [YAML_FILE],
    hints: [
      'Pare o Marathon com `npm run cluster -- stop marathon`, veja as tarefas em http://127.0.0.1:5050 e suba-o de novo.',
      'Com o Marathon de volta, confira em /v2/apps/<id>/tasks que os ids das tarefas são os mesmos de antes.',
    ],
    async run(ctx) {
      const app = ctx.params.lab04.appId;
      const down = downIntervals(ctx.evidence, 'marathon').filter((d) => d.to !== undefined);
      if (down.length === 0) return falhou(NO_EVIDENCE + ' (procurei o Marathon parando e voltando).');
      const snaps = snapshots(ctx.evidence, app);
      for (const d of down) {
        const before = [...snaps].reverse().find((s) => s.at <= d.from && s.source === 'mesos-master');
        const ids = runningIds(before);
        if (ids.length === 0) continue;
        const during = snaps.filter((s) => s.at > d.from && s.at < d.to!);
        if (during.some((s) => ids.some((id) => !runningIds(s).includes(id)))) continue;
        const after = snaps.find((s) => s.at >= d.to! && s.source === 'marathon');
        if (!after || !ids.every((id) => (after.tasks ?? []).some((t) => t.id === id))) continue;
        const r = await yamlAnswers(ctx);
        if ('result' in r) return r.result;
        const a = answer(r.value, 'sem_marathon_tarefas_continuam', YAML_FILE);
        if ('result' in a) return a.result;
        if (a.value !== true)
          return falhou(
            'O registro mostra as tarefas rodando com o Marathon parado; confira a sua resposta.',
          );
        return passou('As tarefas seguiram rodando e o Marathon as reencontrou.', { tasks: ids, down: d });
      }
      return falhou(
        'O registro mostra o Marathon parando, mas não as mesmas tarefas antes e depois (a aplicação estava rodando?).',
      );
    },
  },
  {
    id: '04.master-parado',
    lab: '04',
    title: 'Você parou o master e viu o que acontece sem ele',
    points: 2,
    grading: 'evidence',
    doc: doc('master'),
    reads: [YAML_FILE],
    hints: [
      'Pare o master com `npm run cluster -- stop mesos-master`, observe o Marathon e as tarefas, e suba-o de novo.',
      'Sem master não há ofertas de recursos. O que isso significa para tarefas novas? E para as que já rodam?',
    ],
    async run(ctx) {
      const app = ctx.params.lab04.appId;
      const down = downIntervals(ctx.evidence, 'mesos-master').filter((d) => d.to !== undefined);
      if (down.length === 0) return falhou(NO_EVIDENCE + ' (procurei o master parando e voltando).');
      const during = snapshots(ctx.evidence, app).filter(
        (s) => s.source === 'marathon' && down.some((d) => s.at >= d.from && s.at <= d.to!),
      );
      if (!during.some((s) => runningIds(s).length > 0)) {
        return falhou(
          'O registro não mostra as tarefas da aplicação enquanto o master estava parado (a aplicação estava rodando?).',
        );
      }
      const r = await yamlAnswers(ctx);
      if ('result' in r) return r.result;
      const a = answer(r.value, 'sem_master', YAML_FILE);
      if ('result' in a) return a.result;
      if (norm(a.value) !== 'b')
        return falhou('Não é essa a resposta: compare com o que você viu com o master parado.');
      return passou('As tarefas continuam, mas nada novo é escalonado sem o master.', { down: down[0] });
    },
  },
];

const WAIT_MS = 120_000;

async function appTasks(env: SolutionEnv, appId: string) {
  return (await env.cluster.marathon.appTasks(appId)) ?? [];
}

function solution(p: ExerciseParams): SolutionStep[] {
  const appId = p.lab04.appId;
  const n = p.lab04.instances;
  const running = (env: SolutionEnv) => async () =>
    (await appTasks(env, appId)).filter((t) => t.state === 'TASK_RUNNING').length === n;
  let stopped: ServiceName = 'mesos-agent-2';
  return [
    {
      title: `Implantar ${appId} com ${n} instâncias`,
      async run(env) {
        await removeAppIfPresent(env, appId);
        await env.writeAnswer(APP_FILE, JSON.stringify(referenceApp(p), null, 2) + '\n');
        await env.call('marathon', 'POST', '/v2/apps', referenceApp(p));
        await env.waitFor(`${n} instâncias rodando`, running(env), WAIT_MS);
        await env.sleep(1500);
      },
    },
    {
      title: 'Parar o agente que tem tarefas e esperar a substituição',
      async run(env) {
        const tasks = await appTasks(env, appId);
        const byHost = new Map<string, number>();
        for (const t of tasks) byHost.set(t.host, (byHost.get(t.host) ?? 0) + 1);
        const host = [...byHost.entries()].sort((a, b) => b[1] - a[1])[0][0];
        stopped = host === 'mesos-agent-1' ? 'mesos-agent-1' : 'mesos-agent-2';
        env.say(`As tarefas estão em: ${[...byHost.entries()].map(([h, c]) => `${h} (${c})`).join(', ')}.`);
        await env.stopService(stopped);
        await env.waitFor(
          'o Marathon substituir as tarefas perdidas',
          async () =>
            (await appTasks(env, appId)).filter((t) => t.state === 'TASK_RUNNING' && t.host !== stopped)
              .length === n,
          WAIT_MS * 3,
        );
        await env.sleep(1500);
      },
    },
    {
      title: 'Subir o agente de novo',
      async run(env) {
        await env.startService(stopped);
        await env.waitFor(
          'o agente voltar',
          async () => (await env.cluster.master.slaves()).filter((s) => s.active).length === 2,
          WAIT_MS,
        );
        await env.sleep(1500);
      },
    },
    {
      title: 'Parar o Marathon, ver as tarefas no master, e subir o Marathon de novo',
      async run(env) {
        await env.stopService('marathon');
        await env.sleep(2500);
        await env.call('mesos-master', 'GET', '/master/tasks');
        await env.startService('marathon');
        await env.waitFor('o Marathon voltar', running(env), WAIT_MS);
        await env.sleep(2500);
      },
    },
    {
      title: 'Parar o master e observar, depois subir o master de novo',
      async run(env) {
        await env.stopService('mesos-master');
        await env.sleep(2500);
        await env.call('marathon', 'GET', `/v2/apps${appId}/tasks`);
        await env.startService('mesos-master');
        await env.waitFor(
          'o master voltar com os dois agentes',
          async () => (await env.cluster.master.slaves()).filter((s) => s.active).length === 2,
          WAIT_MS,
        );
        await env.waitFor('as instâncias rodando', running(env), WAIT_MS);
        await env.sleep(1500);
      },
    },
    {
      title: 'Registrar as observações',
      async run(env) {
        const a = analyseAgentLoss(env.evidence, appId);
        const seconds = a && !Number.isNaN(a.seconds) ? Math.round(a.seconds * 10) / 10 : 0;
        env.say(`Do primeiro TASK_LOST à última substituta rodando: ${String(seconds).replace('.', ',')} s.`);
        await env.writeAnswer(
          YAML_FILE,
          stringify({
            agente_parado: a?.host ?? stopped,
            tarefas_perdidas: a?.lost.length ?? 0,
            tempo_substituicao_s: seconds,
            sem_marathon_tarefas_continuam: true,
            sem_master: 'b',
          }),
        );
      },
    },
  ];
}

export const lab04: LabDefinition = {
  id: '04',
  slug: '04-falhas-e-recuperacao',
  title: 'Falhas e recuperação',
  goal:
    'Ver o cluster reagir a falhas: um agente perdido e as tarefas substituídas, o Marathon fora do ar sem ' +
    'derrubar as tarefas, e o master fora do ar sem novas tarefas. Medir e registrar o que aconteceu.',
  steps: [
    {
      anchor: 'aplicacao',
      title: 'Implante a aplicação',
      text: 'Escreva respostas/app.json (id /resiliente-<matrícula>, as instâncias do enunciado) e envie para POST /v2/apps. Deixe este `npm run lab:04` aberto.',
      checks: ['04.app'],
    },
    {
      anchor: 'agente',
      title: 'Pare um agente',
      text: 'Veja em /v2/apps/<id>/tasks onde as tarefas rodam e pare esse agente: `npm run cluster -- stop mesos-agent-N`. Acompanhe /v2/events.',
      checks: ['04.agente-perdido'],
    },
    {
      anchor: 'tempo',
      title: 'Meça o tempo de substituição',
      text: 'Nos timestamps do /v2/events, do primeiro TASK_LOST ao TASK_RUNNING da última substituta. Depois: `npm run cluster -- start mesos-agent-N`.',
      checks: ['04.tempo-substituicao'],
    },
    {
      anchor: 'marathon',
      title: 'Pare o Marathon',
      text: '`npm run cluster -- stop marathon`, veja as tarefas no master (http://127.0.0.1:5050), depois `npm run cluster -- start marathon`.',
      checks: ['04.marathon-parado'],
    },
    {
      anchor: 'master',
      title: 'Pare o master',
      text: '`npm run cluster -- stop mesos-master`, observe o Marathon e as tarefas, depois `npm run cluster -- start mesos-master`.',
      checks: ['04.master-parado'],
    },
  ],
  answerFiles: [
    { name: APP_FILE, kind: 'marathon-app', description: 'A aplicação que sofre as falhas.' },
    { name: YAML_FILE, kind: 'yaml', description: 'O que você observou.' },
  ],
  checks,
  solution,
  watches: (p) => ({ apps: [p.lab04.appId], jobs: [] }),
};

export default lab04;
