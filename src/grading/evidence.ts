// Verifying what a student's report says their own cluster did (checks graded by *evidence*):
// the report must hold together (same matrícula, the kit's check code, ids well formed, times in
// order), and each check's recorded evidence must agree with the answer files. Isomorphic.
import type { EvidenceLog } from '../labs/evidence.ts';
import type { ExerciseParams } from '../labs/params.ts';
import type { Report, ReportCheck } from '../labs/report.ts';
import type { LabId } from '../labs/types.ts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const FRAMEWORK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-\d{4}$/;
export const MARATHON_TASK_ID =
  /^[A-Za-z0-9_.-]+\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const CHRONOS_TASK_ID = /^ct:\d{10,}:\d+:[^:]+:.*$/;

export interface IntegrityInput {
  report: Report;
  manifest: { matricula: string; geradoEm: string; checkCodeHash: string; kit: { version: string } };
  /** Check code hashes this grading accepts (the kit's own, and any the instructor adds). */
  acceptedHashes: string[];
}

const isIso = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/** Portuguese problems that make the whole report unacceptable as evidence. */
export function reportProblems({ report, manifest, acceptedHashes }: IntegrityInput): string[] {
  const problems: string[] = [];
  if (report.format !== 1) problems.push('o relatório tem um formato desconhecido');
  if (report.matricula !== manifest.matricula) {
    problems.push(
      `o relatório é da matrícula ${String(report.matricula)}, e a entrega da ${manifest.matricula}`,
    );
  }
  if (!acceptedHashes.includes(report.checkCodeHash)) {
    problems.push(
      `o código das verificações do relatório (${String(report.checkCodeHash).slice(0, 19)}…) não é o desta versão do kit`,
    );
  } else if (manifest.checkCodeHash && manifest.checkCodeHash !== report.checkCodeHash) {
    problems.push('o manifesto e o relatório indicam códigos de verificação diferentes');
  }
  if (!isIso(report.generatedAt)) problems.push('o relatório não tem data válida');
  else {
    const generated = Date.parse(report.generatedAt);
    if (isIso(manifest.geradoEm) && generated > Date.parse(manifest.geradoEm) + 60_000) {
      problems.push('o relatório tem data posterior à da própria entrega');
    }
    for (const c of report.checks) {
      if (!isIso(c.checkedAt) || Date.parse(c.checkedAt) > generated + 1000) {
        problems.push(`a verificação ${c.id} tem data inválida ou posterior ao relatório`);
        break;
      }
    }
  }
  const sum = report.checks.reduce((s, c) => s + (c.verdict === 'passou' ? c.maxPoints : 0), 0);
  if (
    report.checks.some((c) => c.points !== (c.verdict === 'passou' ? c.maxPoints : 0)) ||
    report.score?.points !== sum
  ) {
    problems.push('os pontos do relatório não conferem com os vereditos');
  }
  for (const [lab, log] of Object.entries(report.evidence ?? {}) as [LabId, EvidenceLog][]) {
    const p = logProblem(log, isIso(report.generatedAt) ? Date.parse(report.generatedAt) : Infinity);
    if (p) problems.push(`no registro do laboratório ${lab}, ${p}`);
  }
  return problems;
}

function logProblem(log: EvidenceLog, generatedAt: number): string | undefined {
  if (!log || !Array.isArray(log.events) || !Array.isArray(log.observations)) return 'o formato é inválido';
  let last = log.startedAt ?? -Infinity;
  for (const o of log.observations) {
    if (typeof o.at !== 'number' || o.at < last) return 'as observações estão fora de ordem';
    last = o.at;
    for (const t of o.tasks ?? []) {
      if (!MARATHON_TASK_ID.test(t.id) && !CHRONOS_TASK_ID.test(t.id))
        return `o id de tarefa ${t.id} é malformado`;
    }
  }
  if (last > generatedAt + 60_000) return 'há observações posteriores ao relatório';
  let lastEvent = '';
  for (const e of log.events) {
    const ts = String(e.timestamp ?? '');
    if (!isIso(ts)) return 'há evento sem horário válido';
    if (ts < lastEvent) return 'os eventos estão fora de ordem';
    lastEvent = ts;
    if (Date.parse(ts) > generatedAt + 60_000) return 'há eventos posteriores ao relatório';
    const taskId = (e as { taskId?: unknown }).taskId;
    if (typeof taskId === 'string' && !MARATHON_TASK_ID.test(taskId))
      return `o id de tarefa ${taskId} é malformado`;
  }
  return undefined;
}

/** Ids that identify one student's cluster (framework, task, deployment ids), to find copies. */
export function fingerprints(report: Report): string[] {
  const out = new Set<string>();
  const visit = (v: unknown, depth: number): void => {
    if (depth > 12) return;
    if (typeof v === 'string') {
      if (UUID.test(v) || FRAMEWORK_ID.test(v) || MARATHON_TASK_ID.test(v) || CHRONOS_TASK_ID.test(v))
        out.add(v);
      return;
    }
    if (Array.isArray(v)) for (const x of v) visit(x, depth + 1);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) visit(x, depth + 1);
  };
  visit(report.evidence, 0);
  for (const c of report.checks) visit(c.evidence, 0);
  return [...out].sort();
}

export interface RuleInput {
  entry: ReportCheck;
  params: ExerciseParams;
  log: EvidenceLog;
  /** JSON or YAML answer values, already parsed by the caller (undefined when unreadable). */
  json(lab: LabId, file: string): Record<string, unknown> | undefined;
  yaml(lab: LabId, file: string): Record<string, unknown> | undefined;
}

export type RuleResult = { ok: true; message: string } | { ok: false; message: string };

const ok = (message: string): RuleResult => ({ ok: true, message });
const no = (message: string): RuleResult => ({ ok: false, message });

function chronosTaskOf(id: unknown, job: string): boolean {
  return typeof id === 'string' && CHRONOS_TASK_ID.test(id) && id.split(':')[3] === job;
}

function finishedJobTasks(log: EvidenceLog, job: string, state = 'TASK_FINISHED'): string[] {
  const ids = new Set<string>();
  for (const o of log.observations)
    if (o.kind === 'tarefas' && o.app === `job:${job}`)
      for (const t of o.tasks ?? []) if (t.state === state) ids.add(t.id);
  return [...ids];
}

/**
 * Checks whose evidence is the state of the student's cluster (which a fresh replay cannot show):
 * what their recorded evidence must satisfy to be accepted.
 */
export const EVIDENCE_RULES: Record<string, (r: RuleInput) => RuleResult> = {
  '01.znode-lider': ({ entry, yaml }) => {
    const znode = String(entry.evidence?.znode ?? '');
    const given = String(yaml('01', 'cluster.yaml')?.znode_lider ?? '').trim();
    if (!/^\/mesos\/json\.info_\d{10}$/.test(znode)) return no('o znode registrado é malformado');
    if (given !== znode && `/mesos/${given}` !== znode) return no('a resposta não é o znode registrado');
    return ok(`znode ${znode}`);
  },
  '01.framework-id': ({ entry, yaml }) => {
    const id = String(entry.evidence?.frameworkId ?? '');
    const master = String(entry.evidence?.masterId ?? '');
    const given = String(yaml('01', 'cluster.yaml')?.framework_id_marathon ?? '').trim();
    if (!FRAMEWORK_ID.test(id)) return no('o id de framework registrado é malformado');
    if (master && !UUID.test(master) && !/^[0-9a-f-]{36}$/.test(master))
      return no('o id do master registrado é malformado');
    if (given !== id) return no('a resposta não é o id registrado');
    return ok(`framework ${id}`);
  },
  '03.execucao-manual': ({ entry, params, json }) => {
    const e = entry.evidence ?? {};
    const { coleta, resumo } = params.lab03;
    if (json('03', 'coleta.json')?.name !== coleta || json('03', 'resumo.json')?.name !== resumo)
      return no('os jobs registrados não são os dos arquivos de resposta');
    if (!isIso(e.coletaLastSuccess) || !isIso(e.resumoLastSuccess))
      return no('faltam os horários de sucesso');
    if (Date.parse(String(e.resumoLastSuccess)) < Date.parse(String(e.coletaLastSuccess)))
      return no('o resumo terminou antes da coleta');
    if (Date.parse(String(e.resumoLastSuccess)) > Date.parse(entry.checkedAt) + 1000)
      return no('os horários são posteriores à verificação');
    const tasks = Array.isArray(e.tasks) ? e.tasks : [];
    if (tasks.length === 0 || !tasks.every((t) => chronosTaskOf(t, coleta)))
      return no('as tarefas registradas não são da coleta');
    return ok(`coleta às ${String(e.coletaLastSuccess)}, resumo às ${String(e.resumoLastSuccess)}`);
  },
  '03.retentativas': ({ entry, params, json, log }) => {
    const name = params.lab03.instavel;
    const job = json('03', 'instavel.json');
    if (job?.name !== name) return no('o job registrado não é o de instavel.json');
    const retries = Number(job.retries ?? 2);
    const tasks = (Array.isArray(entry.evidence?.tasks) ? entry.evidence.tasks : []) as unknown[];
    if (!tasks.every((t) => chronosTaskOf(t, name)))
      return no('há tarefas registradas que não são do job instável');
    const attempts = new Set(tasks.map((t) => Number(String(t).split(':')[2])));
    for (let a = 0; a <= retries; a++)
      if (!attempts.has(a)) return no(`falta a tentativa ${a + 1} no registro`);
    const seen = new Set(finishedJobTasks(log, name, 'TASK_FAILED'));
    if (seen.size > 0 && !tasks.some((t) => seen.has(String(t))))
      return no('as tarefas do relatório não aparecem no registro do laboratório');
    return ok(`${retries + 1} tentativas registradas`);
  },
  '03.leitura': ({ entry, params, json, yaml }) => {
    const y = yaml('03', 'respostas.yaml');
    const instavel = json('03', 'instavel.json');
    const resumo = json('03', 'resumo.json');
    if (!y || !instavel || !resumo) return no('faltam arquivos de resposta');
    if (Number(y.sucessos_coleta) !== Number(entry.evidence?.successCount))
      return no('sucessos_coleta não confere com o registrado');
    if (Number(y.tentativas_instavel) !== Number(instavel.retries ?? 2) + 1)
      return no('tentativas_instavel não confere com instavel.json');
    const parents = Array.isArray(y.pais_de_resumo) ? y.pais_de_resumo.map(String).sort() : [];
    const declared = Array.isArray(resumo.parents) ? resumo.parents.map(String).sort() : [];
    if (JSON.stringify(parents) !== JSON.stringify(declared) || !declared.includes(params.lab03.coleta))
      return no('pais_de_resumo não confere com resumo.json');
    return ok('as leituras conferem com os arquivos e o registro');
  },
  '05.execucao': ({ entry, params, json }) => {
    const p = params.lab05;
    if (json('05', 'extrai.json')?.name !== p.extrai || json('05', 'carrega.json')?.name !== p.carrega)
      return no('os jobs registrados não são os dos arquivos de resposta');
    const times = (Array.isArray(entry.evidence?.lastSuccess) ? entry.evidence.lastSuccess : []) as unknown[];
    if (times.length !== 3 || !times.every(isIso)) return no('faltam os horários dos três passos');
    const t = times.map((x) => Date.parse(String(x)));
    if (!(t[0] <= t[1] && t[1] <= t[2])) return no('os passos não terminaram na ordem');
    if (t[2] > Date.parse(entry.checkedAt) + 1000) return no('os horários são posteriores à verificação');
    return ok('os três passos terminaram na ordem');
  },
  '05.arquivos': ({ params, log }) => {
    const p = params.lab05;
    for (const job of [p.transforma, p.carrega]) {
      if (finishedJobTasks(log, job).length === 0)
        return no(`o registro não mostra ${job} terminando com sucesso`);
    }
    return ok('o registro mostra os passos que escrevem os arquivos terminando com sucesso');
  },
  '05.servico': ({ entry, params, json }) => {
    const app = json('05', 'servico.json');
    if (app?.id !== params.lab05.appId) return no('o serviço registrado não é o de servico.json');
    const taskId = String(entry.evidence?.taskId ?? '');
    const port = Number(entry.evidence?.port);
    if (
      !MARATHON_TASK_ID.test(taskId) ||
      !taskId.startsWith(`${params.lab05.appId.replace(/^\//, '').replace(/\//g, '_')}.`)
    )
      return no('o id da tarefa registrada é malformado ou de outra aplicação');
    if (!(port >= 1024 && port <= 65535)) return no('a porta registrada é inválida');
    return ok(`tarefa ${taskId} na porta ${port}`);
  },
};
