// Lab 01 — O cluster por dentro: find, through the APIs and the web pages, the leading master and
// its znode, the agents, the frameworks, and how offers work; answer in respostas/cluster.yaml.
import type { Question } from '../../src/labs/answers.ts';
import { answer, falhou, norm, passou, readYaml } from '../../src/labs/helpers.ts';
import { labDoc } from '../../src/labs/site.ts';
import type { Check, LabDefinition, SolutionStep } from '../../src/labs/types.ts';
import { stringify } from 'yaml';

const FILE = 'cluster.yaml';

export const QUESTIONS: Question[] = [
  { key: 'master_lider', type: 'texto', text: 'O master líder, no formato hostname:porta.' },
  { key: 'znode_lider', type: 'texto', text: 'O caminho do znode do master líder no ZooKeeper.' },
  { key: 'agentes', type: 'lista', text: 'Cada agente: hostname, cpus, mem (MB) e o atributo rack.' },
  { key: 'cpus_total', type: 'numero', text: 'Quantas CPUs o cluster tem ao todo.' },
  { key: 'mem_total_mb', type: 'numero', text: 'Quanta memória (MB) o cluster tem ao todo.' },
  { key: 'frameworks', type: 'lista', text: 'Os nomes dos frameworks registrados.' },
  { key: 'framework_id_marathon', type: 'texto', text: 'O id do framework do Marathon no seu cluster.' },
  {
    key: 'quem_escolhe_onde_roda',
    type: 'escolha',
    options: ['a', 'b', 'c'],
    text: 'Quem decide em qual agente uma tarefa roda: (a) o master, (b) o framework, ao aceitar uma oferta, (c) o agente.',
  },
];

const doc = (anchor: string) => labDoc('01', anchor);

function yamlCheck(
  id: string,
  title: string,
  points: number,
  grading: Check['grading'],
  anchor: string,
  hints: string[],
  body: (values: Record<string, unknown>, ctx: Parameters<Check['run']>[0]) => ReturnType<Check['run']>,
): Check {
  return {
    id,
    lab: '01',
    title,
    points,
    grading,
    hints,
    doc: doc(anchor),
    reads: [FILE],
    async run(ctx) {
      const r = readYaml(ctx, FILE, QUESTIONS);
      if ('result' in r) return r.result;
      return body(r.value, ctx);
    },
  };
}

const checks: Check[] = [
  yamlCheck(
    '01.respostas',
    'As respostas estão em respostas/cluster.yaml, todas preenchidas',
    1,
    'replay',
    'respostas',
    [
      'Abra labs/01-o-cluster-por-dentro/respostas/cluster.yaml e responda cada pergunta depois dos dois-pontos.',
      'Cada comentário (linhas com #) diz o tipo da resposta: texto, número ou lista. Números vão sem aspas.',
    ],
    async (values) => {
      const missing = QUESTIONS.filter(
        (q) => values[q.key] === null || values[q.key] === undefined || values[q.key] === '',
      );
      if (missing.length) return falhou(`Faltam respostas para: ${missing.map((q) => q.key).join(', ')}.`);
      return passou('Todas as perguntas têm resposta.');
    },
  ),
  yamlCheck(
    '01.master-lider',
    'O master líder está certo',
    1,
    'replay',
    'master-lider',
    [
      'O master informa quem é o líder em /master/state, no campo leader_info.',
      'Rode `curl -s http://127.0.0.1:5050/master/state` e procure "leader_info": hostname e port formam a resposta.',
    ],
    async (values, ctx) => {
      const a = answer(values, 'master_lider', FILE);
      if ('result' in a) return a.result;
      const state = await ctx.cluster.master.state();
      const info = state.leader_info;
      const expected = info ? `${info.hostname}:${info.port}` : '';
      if (norm(a.value) === norm(expected))
        return passou(`O master líder é ${expected}.`, { leader: expected });
      return falhou(`Você respondeu "${String(a.value)}", mas não é o master líder deste cluster.`);
    },
  ),
  yamlCheck(
    '01.znode-lider',
    'O znode do master líder no ZooKeeper está certo',
    2,
    'evidence',
    'znode',
    [
      'Os masters disputam a liderança criando znodes sequenciais dentro de /mesos no ZooKeeper.',
      'Liste os filhos de /mesos (por exemplo com `npx zk-shell` ou pela página do simulador): o líder é o json.info_ de menor número.',
    ],
    async (values, ctx) => {
      const a = answer(values, 'znode_lider', FILE);
      if ('result' in a) return a.result;
      if (!ctx.cluster.zk) {
        return {
          verdict: 'ambiente',
          message: 'Não foi possível ler o ZooKeeper deste cluster para conferir o znode.',
        };
      }
      const children = await ctx.cluster.zk.children('/mesos');
      const infos = (children ?? []).filter((c) => c.startsWith('json.info_')).sort();
      if (infos.length === 0) {
        return {
          verdict: 'ambiente',
          message: 'O ZooKeeper ainda não tem o znode do master (/mesos/json.info_…).',
        };
      }
      const expected = `/mesos/${infos[0]}`;
      const given = String(a.value).trim();
      if (given === expected || given === infos[0])
        return passou(`O znode do líder é ${expected}.`, { znode: expected });
      // A master restart (lab 04) makes a new znode with a higher number: an earlier leader's znode,
      // written in the right form, was right when it was answered.
      const seq = (z: string) => Number(/^(?:\/mesos\/)?json\.info_(\d{10})$/.exec(z)?.[1] ?? NaN);
      if (seq(given) < seq(infos[0])) {
        return passou(`${given} foi o znode do líder; depois o master foi reeleito (agora é ${expected}).`, {
          znode: expected,
          answered: given,
        });
      }
      return falhou(`Você respondeu "${given}", mas não é o znode do master líder.`);
    },
  ),
  yamlCheck(
    '01.agentes',
    'Os agentes, seus recursos e atributos estão certos',
    2,
    'replay',
    'agentes',
    [
      'Os agentes estão em /master/slaves: cada um tem hostname, resources e attributes.',
      'Para cada agente escreva hostname, cpus, mem (em MB, sem unidade) e o valor do atributo rack.',
    ],
    async (values, ctx) => {
      const a = answer(values, 'agentes', FILE);
      if ('result' in a) return a.result;
      const given = (a.value as unknown[]).map((x) =>
        typeof x === 'object' && x ? (x as Record<string, unknown>) : {},
      );
      const slaves = await ctx.cluster.master.slaves();
      const active = slaves.filter((s) => s.active);
      if (given.length !== active.length) {
        return falhou(`O cluster tem ${active.length} agentes ativos e você descreveu ${given.length}.`);
      }
      for (const s of active) {
        const g = given.find((x) => norm(x.hostname) === norm(s.hostname));
        if (!g) return falhou(`Não encontrei o agente ${s.hostname} nas suas respostas.`);
        const wrong: string[] = [];
        if (Number(g.cpus) !== s.resources.cpus) wrong.push('cpus');
        if (Number(g.mem) !== s.resources.mem) wrong.push('mem');
        if (norm(g.rack) !== norm(s.attributes.rack)) wrong.push('rack');
        if (wrong.length) return falhou(`No agente ${s.hostname}, confira: ${wrong.join(', ')}.`);
      }
      return passou('Os agentes estão descritos corretamente.', { agents: active.map((s) => s.id) });
    },
  ),
  yamlCheck(
    '01.recursos-totais',
    'O total de CPUs e memória do cluster está certo',
    1,
    'replay',
    'recursos',
    [
      'O master soma os recursos de todos os agentes em /metrics/snapshot.',
      'Procure master/cpus_total e master/mem_total em http://127.0.0.1:5050/metrics/snapshot.',
    ],
    async (values, ctx) => {
      const cpus = answer(values, 'cpus_total', FILE);
      if ('result' in cpus) return cpus.result;
      const mem = answer(values, 'mem_total_mb', FILE);
      if ('result' in mem) return mem.result;
      const m = await ctx.cluster.master.metrics();
      const wrong: string[] = [];
      if (Number(cpus.value) !== m['master/cpus_total']) wrong.push('cpus_total');
      if (Number(mem.value) !== m['master/mem_total']) wrong.push('mem_total_mb');
      if (wrong.length) return falhou(`Confira: ${wrong.join(' e ')}.`);
      return passou(`O cluster tem ${m['master/cpus_total']} CPUs e ${m['master/mem_total']} MB.`);
    },
  ),
  yamlCheck(
    '01.frameworks',
    'Os frameworks registrados estão certos',
    1,
    'replay',
    'frameworks',
    [
      'Os frameworks aparecem na aba Frameworks da página do master e em /master/frameworks.',
      'Escreva só os nomes (campo name), em uma lista.',
    ],
    async (values, ctx) => {
      const a = answer(values, 'frameworks', FILE);
      if ('result' in a) return a.result;
      const state = await ctx.cluster.master.state();
      const names = [...new Set(state.frameworks.filter((f) => f.active).map((f) => f.name))].sort();
      const given = [...new Set((a.value as unknown[]).map(norm))].sort();
      if (JSON.stringify(names) === JSON.stringify(given)) return passou(`Frameworks: ${names.join(', ')}.`);
      return falhou(
        `Você listou ${given.join(', ') || 'nada'}; confira quais frameworks estão registrados e ativos.`,
      );
    },
  ),
  yamlCheck(
    '01.framework-id',
    'O id do framework do Marathon é o do seu cluster',
    2,
    'evidence',
    'frameworks',
    [
      'Cada framework recebe um id do master quando se registra; ele é único para o seu cluster.',
      'Em /master/frameworks, pegue o campo id do framework cujo name é marathon (ou veja /v2/info no Marathon).',
    ],
    async (values, ctx) => {
      const a = answer(values, 'framework_id_marathon', FILE);
      if ('result' in a) return a.result;
      const state = await ctx.cluster.master.state();
      const marathon = state.frameworks.find((f) => f.name === 'marathon' && f.active);
      if (!marathon)
        return { verdict: 'ambiente', message: 'O Marathon não está registrado no master agora.' };
      if (String(a.value).trim() === marathon.id) {
        return passou('O id do framework confere.', { frameworkId: marathon.id, masterId: state.id });
      }
      return falhou(
        'Esse não é o id do framework do Marathon neste cluster (ele muda quando o cluster é recriado).',
      );
    },
  ),
  yamlCheck(
    '01.ofertas',
    'Você sabe quem escolhe onde a tarefa roda',
    1,
    'replay',
    'ofertas',
    [
      'No escalonamento em dois níveis, o master oferece recursos e outro componente decide.',
      'O master oferece; quem aceita a oferta e monta a tarefa é o framework.',
    ],
    async (values) => {
      const a = answer(values, 'quem_escolhe_onde_roda', FILE);
      if ('result' in a) return a.result;
      if (norm(a.value) === 'b')
        return passou('Isso: o framework escolhe, ao aceitar uma oferta de recursos.');
      return falhou('Não é essa a resposta: reveja o escalonamento em dois níveis.');
    },
  ),
];

function solution(): SolutionStep[] {
  return [
    {
      title: 'Ler o master, os agentes, as métricas e os frameworks',
      async run(env) {
        const state = (await env.call('mesos-master', 'GET', '/master/state')) as {
          leader_info?: { hostname: string; port: number };
          frameworks: { name: string; id: string; active: boolean }[];
        };
        const slaves = (await env.call('mesos-master', 'GET', '/master/slaves')) as {
          slaves: {
            hostname: string;
            active: boolean;
            resources: { cpus: number; mem: number };
            attributes: Record<string, unknown>;
          }[];
        };
        const metrics = (await env.call('mesos-master', 'GET', '/metrics/snapshot')) as Record<
          string,
          number
        >;
        let znode = '/mesos/json.info_0000000000';
        const children = await env.cluster.zk?.children('/mesos');
        const infos = (children ?? []).filter((c) => c.startsWith('json.info_')).sort();
        if (infos.length) znode = `/mesos/${infos[0]}`;
        env.say(`O znode do líder no ZooKeeper: ${znode}`);
        const answers = {
          master_lider: `${state.leader_info?.hostname}:${state.leader_info?.port}`,
          znode_lider: znode,
          agentes: slaves.slaves
            .filter((s) => s.active)
            .map((s) => ({
              hostname: s.hostname,
              cpus: s.resources.cpus,
              mem: s.resources.mem,
              rack: s.attributes.rack,
            })),
          cpus_total: metrics['master/cpus_total'],
          mem_total_mb: metrics['master/mem_total'],
          frameworks: [...new Set(state.frameworks.filter((f) => f.active).map((f) => f.name))].sort(),
          framework_id_marathon: state.frameworks.find((f) => f.name === 'marathon' && f.active)?.id ?? '',
          quem_escolhe_onde_roda: 'b',
        };
        await env.writeAnswer(FILE, stringify(answers));
      },
    },
  ];
}

export const lab01: LabDefinition = {
  id: '01',
  slug: '01-o-cluster-por-dentro',
  title: 'O cluster por dentro',
  goal:
    'Reconhecer as peças de um cluster Mesos funcionando: o master líder e sua eleição no ZooKeeper, ' +
    'os agentes e seus recursos, os frameworks e as ofertas de recursos.',
  steps: [
    {
      anchor: 'master-lider',
      title: 'Encontre o master líder',
      text: 'Abra http://127.0.0.1:5050 e rode `curl -s http://127.0.0.1:5050/master/state`. Quem é o líder (leader_info)?',
      checks: ['01.master-lider'],
    },
    {
      anchor: 'znode',
      title: 'Veja a eleição de líder no ZooKeeper',
      text: 'Liste os filhos de /mesos no ZooKeeper (porta 2181). O znode json.info_ de menor número é o do líder.',
      checks: ['01.znode-lider'],
    },
    {
      anchor: 'agentes',
      title: 'Conheça os agentes',
      text: 'Rode `curl -s http://127.0.0.1:5050/master/slaves`: anote hostname, cpus, mem e o atributo rack de cada agente.',
      checks: ['01.agentes'],
    },
    {
      anchor: 'recursos',
      title: 'Some os recursos',
      text: 'Em `curl -s http://127.0.0.1:5050/metrics/snapshot`, veja master/cpus_total e master/mem_total.',
      checks: ['01.recursos-totais'],
    },
    {
      anchor: 'frameworks',
      title: 'Os frameworks registrados',
      text: 'Em `curl -s http://127.0.0.1:5050/master/frameworks`, anote os nomes e o id do framework marathon.',
      checks: ['01.frameworks', '01.framework-id'],
    },
    {
      anchor: 'ofertas',
      title: 'Ofertas de recursos',
      text: 'Leia sobre o escalonamento em dois níveis e responda quem escolhe onde cada tarefa roda.',
      checks: ['01.ofertas'],
    },
    {
      anchor: 'respostas',
      title: 'Responda em respostas/cluster.yaml',
      text: 'Preencha labs/01-o-cluster-por-dentro/respostas/cluster.yaml e rode `npm run check -- 01`.',
      checks: ['01.respostas'],
    },
  ],
  answerFiles: [{ name: FILE, kind: 'yaml', description: 'As respostas sobre o cluster.' }],
  checks,
  solution,
  watches: () => ({ apps: [], jobs: [] }),
};

export default lab01;
