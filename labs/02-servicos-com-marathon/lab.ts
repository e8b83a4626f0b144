// Lab 02 — Serviços com Marathon: deploy an HTTP service on $PORT0 with a health check, scale it, try
// a placement constraint that cannot be met, fix it, restart it gradually, follow it on /v2/events.
import { stringify } from 'yaml';
import type { MarathonApp, MarathonEvent } from '../../src/cluster/clients/marathon.ts';
import { validateMarathonApp, type Question } from '../../src/labs/answers.ts';
import { constraintsSatisfiable, type PlacementAgent } from '../../src/labs/constraints.ts';
import { planActions, planApps, type EvidenceLog } from '../../src/labs/evidence.ts';
import { answer, falhou, HTTP_SERVER_CMD, norm, passou, readJson, readYaml } from '../../src/labs/helpers.ts';
import type { ExerciseParams } from '../../src/labs/params.ts';
import { waitUntil } from '../../src/labs/runner.ts';
import { removeAppIfPresent } from '../../src/labs/solution.ts';
import { labDoc } from '../../src/labs/site.ts';
import type { Check, CheckContext, LabDefinition, SolutionEnv, SolutionStep } from '../../src/labs/types.ts';

const APP_FILE = 'app.json';
const CONSTRAINT_FILE = 'restricao.json';
const YAML_FILE = 'respostas.yaml';

export const QUESTIONS: Question[] = [
  {
    key: 'restricao_o_que_acontece',
    type: 'escolha',
    options: ['a', 'b', 'c', 'd'],
    text: 'O que o Marathon faz com uma restrição que nenhum agente atende?',
  },
  { key: 'evento_saude', type: 'texto', text: 'O eventType que avisa que uma instância ficou saudável.' },
];

const doc = (anchor: string) => labDoc('02', anchor);

/** The reference app definition for these parameters. */
export function referenceApp(p: ExerciseParams, instances = p.lab02.instances): Record<string, unknown> {
  return {
    id: p.lab02.appId,
    cmd: HTTP_SERVER_CMD,
    cpus: 0.1,
    mem: 64,
    instances,
    healthChecks: [
      {
        protocol: 'HTTP',
        path: '/',
        portIndex: 0,
        gracePeriodSeconds: 30,
        intervalSeconds: 5,
        timeoutSeconds: 10,
        maxConsecutiveFailures: 3,
      },
    ],
  };
}

export const IMPOSSIBLE_CONSTRAINT = [['rack', 'CLUSTER', 'c']];

async function agentsOf(ctx: { cluster: CheckContext['cluster'] }): Promise<PlacementAgent[]> {
  return (await ctx.cluster.master.slaves()).map((s) => ({ hostname: s.hostname, attributes: s.attributes }));
}

function deploymentEvents(log: EvidenceLog, appId: string) {
  return log.events.filter(
    (e) =>
      (e.eventType === 'deployment_info' ||
        e.eventType === 'deployment_success' ||
        e.eventType === 'deployment_failed') &&
      (planApps(e, appId).target !== undefined || planApps(e, appId).original !== undefined),
  );
}

function planId(e: MarathonEvent): string {
  return String((e.plan as { id?: string } | undefined)?.id ?? e.id ?? '');
}

const NO_EVIDENCE =
  'O registro do `npm run lab:02` não mostra esse passo. Deixe o `npm run lab:02` aberto em um terminal enquanto faz o laboratório.';

async function currentApp(ctx: CheckContext): Promise<MarathonApp | undefined> {
  return ctx.cluster.marathon.app(ctx.params.lab02.appId);
}

const checks: Check[] = [
  {
    id: '02.app-json',
    lab: '02',
    title: 'respostas/app.json define a sua aplicação',
    points: 1,
    grading: 'replay',
    doc: doc('definicao'),
    reads: [APP_FILE],
    hints: [
      'A definição da aplicação é o JSON que você envia para POST /v2/apps.',
      'Confira o id (/web-<sua matrícula>), o cmd usando $PORT0 e o número de instâncias pedido no enunciado.',
    ],
    async run(ctx) {
      const r = readJson(ctx, APP_FILE, validateMarathonApp);
      if ('result' in r) return r.result;
      const app = r.value;
      const p = ctx.params.lab02;
      if (String(app.id).replace(/\/+$/, '') !== p.appId && `/${String(app.id)}` !== p.appId) {
        return falhou(`O id em app.json é "${String(app.id)}"; o seu deve ser "${p.appId}".`);
      }
      if (!/\$\{?PORT0\b|\$\{?PORT\b/.test(String(app.cmd ?? ''))) {
        return falhou('O comando não usa a porta que o Marathon reserva: o serviço deve escutar em $PORT0.');
      }
      if (app.instances !== p.instances) {
        return falhou(
          `app.json pede ${String(app.instances ?? 1)} instâncias; o enunciado pede ${p.instances} para você.`,
        );
      }
      return passou('A definição da aplicação está correta.');
    },
  },
  {
    id: '02.app-implantada',
    lab: '02',
    title: 'A aplicação está implantada com todas as instâncias rodando',
    points: 1,
    grading: 'replay',
    doc: doc('implantar'),
    hints: [
      'Envie a definição com `curl -X POST -H "Content-Type: application/json" http://127.0.0.1:8080/v2/apps -d @respostas/app.json`.',
      'Veja em http://127.0.0.1:8080/v2/apps/<id> quantas instâncias estão rodando (tasksRunning) e se há implantação pendente.',
    ],
    async run(ctx) {
      const p = ctx.params.lab02;
      let app = await currentApp(ctx);
      if (!app) return falhou(`A aplicação ${p.appId} não existe no Marathon.`);
      if (app.instances !== p.instances) {
        return falhou(`A aplicação tem ${app.instances} instâncias; o enunciado pede ${p.instances}.`);
      }
      await waitUntil(
        ctx.sleep,
        async () => {
          app = await currentApp(ctx);
          return !!app && app.tasksRunning >= p.instances;
        },
        10_000,
      );
      if (!app || app.tasksRunning < p.instances) {
        return falhou(`Só ${app?.tasksRunning ?? 0} de ${p.instances} instâncias estão rodando.`);
      }
      return passou(`${app.tasksRunning} instâncias rodando.`, {
        version: app.version,
        tasks: (app.tasks ?? []).map((t) => t.id),
      });
    },
  },
  {
    id: '02.health-http',
    lab: '02',
    title: 'A aplicação tem uma verificação de saúde HTTP em / e está saudável',
    points: 2,
    grading: 'replay',
    doc: doc('verificacao-de-saude'),
    hints: [
      'O Marathon só sabe se a instância está saudável se você disser como perguntar. Veja o campo healthChecks.',
      'Use {"protocol": "HTTP", "path": "/", "portIndex": 0} dentro de "healthChecks": [ ... ] e atualize a aplicação.',
    ],
    async run(ctx) {
      const p = ctx.params.lab02;
      let app = await currentApp(ctx);
      if (!app) return falhou(`A aplicação ${p.appId} não existe no Marathon.`);
      const hc = app.healthChecks.find((h) => (h.protocol ?? 'HTTP') === 'HTTP' && (h.path ?? '/') === '/');
      if (!hc) return falhou('A aplicação não tem verificação de saúde HTTP no caminho /.');
      const healthy = () => !!app && app.instances > 0 && app.tasksHealthy >= app.instances;
      await waitUntil(
        ctx.sleep,
        async () => {
          app = await currentApp(ctx);
          return healthy();
        },
        20_000,
      );
      if (!healthy()) {
        return falhou(`Só ${app?.tasksHealthy ?? 0} de ${app?.instances ?? 0} instâncias estão saudáveis.`);
      }
      return passou('Todas as instâncias respondem à verificação de saúde.', { healthy: app!.tasksHealthy });
    },
  },
  {
    id: '02.escala',
    lab: '02',
    title: 'Você escalou a aplicação (o registro mostra a mudança de instâncias)',
    points: 1,
    grading: 'evidence',
    doc: doc('escalar'),
    hints: [
      'Comece com 1 instância e depois aumente: o Marathon faz uma implantação só de escala.',
      'Use `curl -X PUT -H "Content-Type: application/json" http://127.0.0.1:8080/v2/apps/<id> -d \'{"instances": N}\'`.',
    ],
    async run(ctx) {
      const appId = ctx.params.lab02.appId;
      const scaled = deploymentEvents(ctx.evidence, appId).find((e) => {
        if (e.eventType !== 'deployment_success') return false;
        const { original, target } = planApps(e, appId);
        return !!original && !!target && (original.instances ?? 1) < (target.instances ?? 1);
      });
      if (!scaled) return falhou(NO_EVIDENCE + ' (procurei uma implantação que aumentou as instâncias).');
      const { original, target } = planApps(scaled, appId);
      return passou(`A aplicação foi de ${original?.instances} para ${target?.instances} instâncias.`, {
        deploymentId: planId(scaled),
        at: scaled.timestamp,
      });
    },
  },
  {
    id: '02.restricao',
    lab: '02',
    title: 'Você tentou uma restrição impossível (respostas/restricao.json) e depois corrigiu',
    points: 2,
    grading: 'evidence',
    doc: doc('restricao'),
    reads: [CONSTRAINT_FILE],
    hints: [
      'Escreva em respostas/restricao.json uma restrição que nenhum agente atende e aplique-a à aplicação.',
      'Os agentes têm rack:a e rack:b. Tente {"constraints": [["rack", "CLUSTER", "c"]]}, veja /v2/queue, e corrija com ?force=true.',
    ],
    async run(ctx) {
      const r = readJson(ctx, CONSTRAINT_FILE);
      if ('result' in r) return r.result;
      const constraints = r.value.constraints;
      if (!Array.isArray(constraints) || constraints.length === 0) {
        return falhou(
          'respostas/restricao.json deve ter o campo "constraints" com a restrição que você tentou.',
        );
      }
      const agents = await agentsOf(ctx);
      const appId = ctx.params.lab02.appId;
      if (constraintsSatisfiable(constraints as string[][], agents, 1)) {
        return falhou(
          'A restrição de respostas/restricao.json pode ser atendida por algum agente; ela deveria ser impossível.',
        );
      }
      const events = deploymentEvents(ctx.evidence, appId);
      const wanted = JSON.stringify(constraints);
      const tried = events.find(
        (e) =>
          e.eventType === 'deployment_info' &&
          JSON.stringify(planApps(e, appId).target?.constraints ?? []) === wanted,
      );
      if (!tried)
        return falhou(NO_EVIDENCE + ' (procurei uma implantação com a restrição de restricao.json).');
      const triedAt = String(tried.timestamp);
      const fixed = events.find((e) => {
        if (e.eventType !== 'deployment_success' || String(e.timestamp) <= triedAt) return false;
        const target = planApps(e, appId).target;
        return !!target && constraintsSatisfiable(target.constraints ?? [], agents, target.instances ?? 1);
      });
      if (!fixed)
        return falhou('O registro mostra a restrição impossível, mas não uma implantação que a corrigiu.');
      const app = await currentApp(ctx);
      if (app && !constraintsSatisfiable(app.constraints, agents, app.instances)) {
        return falhou('A aplicação ainda tem uma restrição que nenhum agente atende.');
      }
      return passou('A restrição impossível foi tentada e corrigida.', {
        triedDeploymentId: planId(tried),
        fixDeploymentId: planId(fixed),
        triedAt,
        fixedAt: fixed.timestamp,
      });
    },
  },
  {
    id: '02.restricao-explicada',
    lab: '02',
    title: 'Você explicou o que o Marathon faz com a restrição impossível',
    points: 1,
    grading: 'replay',
    doc: doc('restricao'),
    reads: [YAML_FILE],
    hints: [
      'Depois de aplicar a restrição, olhe /v2/deployments e /v2/queue: o que aconteceu com a implantação?',
      'A API aceitou a mudança? A implantação terminou? Onde a aplicação ficou esperando?',
    ],
    async run(ctx) {
      const r = readYaml(ctx, YAML_FILE, QUESTIONS);
      if ('result' in r) return r.result;
      const a = answer(r.value, 'restricao_o_que_acontece', YAML_FILE);
      if ('result' in a) return a.result;
      if (norm(a.value) === 'c')
        return passou('Isso: a implantação fica esperando e a aplicação aparece na fila.');
      return falhou('Essa não é a resposta: compare com o que /v2/deployments e /v2/queue mostraram.');
    },
  },
  {
    id: '02.reinicio-gradual',
    lab: '02',
    title: 'Você fez um reinício gradual que terminou com todas as instâncias saudáveis',
    points: 2,
    grading: 'evidence',
    doc: doc('reinicio-gradual'),
    hints: [
      'O reinício gradual troca as instâncias por novas sem derrubar o serviço: POST /v2/apps/<id>/restart.',
      'Rode `curl -X POST http://127.0.0.1:8080/v2/apps/<id>/restart` com o `npm run lab:02` aberto e espere a implantação terminar.',
    ],
    async run(ctx) {
      const appId = ctx.params.lab02.appId;
      const restart = deploymentEvents(ctx.evidence, appId).find((e) => {
        if (e.eventType !== 'deployment_success' || !planActions(e, appId).includes('RestartApplication'))
          return false;
        const { original, target } = planApps(e, appId);
        if (!original || !target) return false;
        const same = (k: 'cmd' | 'instances' | 'constraints' | 'healthChecks') =>
          JSON.stringify(original[k] ?? null) === JSON.stringify(target[k] ?? null);
        return same('cmd') && same('instances') && same('constraints') && same('healthChecks');
      });
      if (!restart)
        return falhou(NO_EVIDENCE + ' (procurei uma implantação de reinício que terminou com sucesso).');
      return passou('O reinício gradual terminou com sucesso.', {
        deploymentId: planId(restart),
        at: restart.timestamp,
      });
    },
  },
  {
    id: '02.eventos',
    lab: '02',
    title: 'Você encontrou no fluxo de eventos o aviso de instância saudável',
    points: 1,
    grading: 'replay',
    doc: doc('eventos'),
    reads: [YAML_FILE],
    hints: [
      'Acompanhe `curl -N -H "Accept: text/event-stream" http://127.0.0.1:8080/v2/events` enquanto a aplicação sobe.',
      'Procure o evento que traz "alive": true para uma tarefa; a resposta é o valor de eventType.',
    ],
    async run(ctx) {
      const r = readYaml(ctx, YAML_FILE, QUESTIONS);
      if ('result' in r) return r.result;
      const a = answer(r.value, 'evento_saude', YAML_FILE);
      if ('result' in a) return a.result;
      if (norm(a.value) === 'health_status_changed_event')
        return passou('Isso: health_status_changed_event.');
      return falhou(`"${String(a.value)}" não é o evento que avisa que a instância ficou saudável.`);
    },
  },
];

async function deploymentDone(env: SolutionEnv, appId: string): Promise<boolean> {
  const deployments = await env.cluster.marathon.deployments();
  return !deployments.some((d) => d.affectedApps.includes(appId));
}

const WAIT_MS = 90_000;

function solution(p: ExerciseParams): SolutionStep[] {
  const appId = p.lab02.appId;
  const n = p.lab02.instances;
  const healthy = (env: SolutionEnv, count: number) => async () => {
    const app = await env.cluster.marathon.app(appId);
    return (
      !!app && app.tasksHealthy >= count && app.tasksRunning === count && (await deploymentDone(env, appId))
    );
  };
  return [
    {
      title: 'Implantar a aplicação com 1 instância e verificação de saúde HTTP',
      async run(env) {
        await removeAppIfPresent(env, appId);
        await env.call('marathon', 'POST', '/v2/apps', referenceApp(p, 1));
        await env.waitFor('a primeira instância ficar saudável', healthy(env, 1), WAIT_MS);
      },
    },
    {
      title: `Escalar para ${n} instâncias`,
      async run(env) {
        await env.call('marathon', 'PUT', `/v2/apps${appId}`, { instances: n });
        await env.waitFor(`${n} instâncias saudáveis`, healthy(env, n), WAIT_MS);
      },
    },
    {
      title: 'Tentar uma restrição que nenhum agente atende',
      async run(env) {
        await env.writeAnswer(
          CONSTRAINT_FILE,
          JSON.stringify({ constraints: IMPOSSIBLE_CONSTRAINT }, null, 2) + '\n',
        );
        await env.call('marathon', 'PUT', `/v2/apps${appId}`, { constraints: IMPOSSIBLE_CONSTRAINT });
        await env.waitFor(
          'a implantação ficar presa na fila',
          async () => (await env.cluster.marathon.queue()).some((q) => q.app.id === appId),
          WAIT_MS,
        );
        await env.call('marathon', 'GET', '/v2/queue');
      },
    },
    {
      title: 'Corrigir a restrição (com ?force=true, pois a implantação anterior está presa)',
      async run(env) {
        await env.call('marathon', 'PUT', `/v2/apps${appId}?force=true`, { constraints: [] });
        await env.waitFor(`${n} instâncias saudáveis sem a restrição`, healthy(env, n), WAIT_MS);
      },
    },
    {
      title: 'Reinício gradual',
      async run(env) {
        await env.call('marathon', 'POST', `/v2/apps${appId}/restart`);
        await env.waitFor('o reinício gradual terminar', healthy(env, n), WAIT_MS);
        // Let the live checklist see deployment_success before the answers are written.
        await env.sleep(500);
      },
    },
    {
      title: 'Escrever as respostas',
      async run(env) {
        await env.writeAnswer(APP_FILE, JSON.stringify(referenceApp(p), null, 2) + '\n');
        await env.writeAnswer(
          YAML_FILE,
          stringify({ restricao_o_que_acontece: 'c', evento_saude: 'health_status_changed_event' }),
        );
      },
    },
  ];
}

export const lab02: LabDefinition = {
  id: '02',
  slug: '02-servicos-com-marathon',
  title: 'Serviços com Marathon',
  goal:
    'Implantar um serviço HTTP no Marathon com verificação de saúde, escalá-lo, entender o que acontece com uma ' +
    'restrição de posicionamento impossível e fazer um reinício gradual, acompanhando tudo pelo fluxo de eventos.',
  steps: [
    {
      anchor: 'definicao',
      title: 'Escreva a definição da aplicação',
      text: 'Edite respostas/app.json: id /web-<sua matrícula>, um cmd que sirva HTTP em $PORT0 e a verificação de saúde.',
      checks: ['02.app-json'],
    },
    {
      anchor: 'implantar',
      title: 'Implante com 1 instância',
      text: 'Envie a definição com "instances": 1 para POST http://127.0.0.1:8080/v2/apps e acompanhe em http://127.0.0.1:8080.',
      checks: ['02.app-implantada'],
    },
    {
      anchor: 'verificacao-de-saude',
      title: 'Verificação de saúde (health check)',
      text: 'Confirme que cada instância fica saudável (tasksHealthy) e encontre o evento que avisa isso em /v2/events.',
      checks: ['02.health-http', '02.eventos'],
    },
    {
      anchor: 'escalar',
      title: 'Escale para o número de instâncias do seu enunciado',
      text: 'PUT /v2/apps/<id> com {"instances": N}, N dado pelo `npm run lab:02`.',
      checks: ['02.escala'],
    },
    {
      anchor: 'restricao',
      title: 'Uma restrição impossível',
      text: 'Aplique a restrição de respostas/restricao.json, veja /v2/deployments e /v2/queue, explique em respostas.yaml e corrija com ?force=true.',
      checks: ['02.restricao', '02.restricao-explicada'],
    },
    {
      anchor: 'reinicio-gradual',
      title: 'Reinício gradual',
      text: 'POST /v2/apps/<id>/restart e acompanhe as instâncias novas substituindo as antigas.',
      checks: ['02.reinicio-gradual'],
    },
    {
      anchor: 'eventos',
      title: 'O fluxo de eventos',
      text: 'Deixe `curl -N -H "Accept: text/event-stream" http://127.0.0.1:8080/v2/events` aberto em outro terminal durante o laboratório.',
      checks: ['02.eventos'],
    },
  ],
  answerFiles: [
    { name: APP_FILE, kind: 'marathon-app', description: 'A definição final da sua aplicação.' },
    {
      name: CONSTRAINT_FILE,
      kind: 'marathon-app',
      description: 'A restrição impossível que você tentou: {"constraints": [...]}.',
    },
    { name: YAML_FILE, kind: 'yaml', description: 'As respostas às perguntas.' },
  ],
  checks,
  solution,
  async apply(env, answers) {
    const text = answers.read(APP_FILE);
    if (!text) return;
    const app = JSON.parse(text) as Record<string, unknown>;
    await env.call('marathon', 'POST', '/v2/apps', app);
    const id = String(app.id).startsWith('/') ? String(app.id) : `/${String(app.id)}`;
    await env.waitFor('a implantação terminar', () => deploymentDone(env, id), WAIT_MS).catch(() => {});
  },
  watches: (p) => ({ apps: [p.lab02.appId], jobs: [] }),
};

export default lab02;
