// Synthetic submissions for the grader's tests and benchmark: a student who ran the reference
// solution of some labs on a cluster (here an in-process simulated one, with the live checklist
// recording), ran `npm run check`, and packed everything as `npm run entrega` does.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LABS } from '../../../labs/index.ts';
import { emptyEvidence, type EvidenceLog } from '../../../src/labs/evidence.ts';
import { exerciseParams, seedOf, type ExerciseParams } from '../../../src/labs/params.ts';
import { EvidenceRecorder } from '../../../src/labs/recorder.ts';
import { REPORT_FORMAT, toReportChecks, type Report } from '../../../src/labs/report.ts';
import { runLabChecks, score, type CheckOutcome } from '../../../src/labs/runner.ts';
import { createSolutionEnv } from '../../../src/labs/solution.ts';
import type { AnswerFiles, LabDefinition, LabId } from '../../../src/labs/types.ts';
import { answersFolder, kitVersion, listFiles } from '../labs/files.ts';
import { checkCodeHash } from '../labs/hash.ts';
import { createZip, type ZipEntry } from '../labs/zip.ts';
import { ReplayCluster } from './replay-cluster.ts';

export function mapAnswers(files: Map<string, string>): AnswerFiles {
  return { read: (name) => files.get(name), list: () => [...files.keys()].sort() };
}

export function templateAnswers(root: string, lab: LabDefinition): Map<string, string> {
  const dir = answersFolder(root, lab);
  return new Map(listFiles(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
}

/** Emulates, for lab 05, what the steps' commands leave in the sandboxes and what the service serves. */
function lab05Effects(p: ExerciseParams) {
  return {
    onLaunch: (
      task: { taskId: string; sandbox: string },
      executor: { writeFile(s: string, f: string, c: string): void },
    ) => {
      const job = task.taskId.split(':')[3];
      if (job === p.lab05.transforma) executor.writeFile(task.sandbox, 'soma.txt', `${p.lab05.esperado}\n`);
      if (job === p.lab05.carrega)
        executor.writeFile(task.sandbox, 'resultado.txt', `resultado: ${p.lab05.esperado}\n`);
      return undefined;
    },
    taskFetch: async () => new Response(`resultado: ${p.lab05.esperado}\n`, { status: 200 }),
  };
}

export interface SolvedLab {
  answers: Map<string, string>;
  outcomes: CheckOutcome[];
  evidence: EvidenceLog;
}

/** Runs a lab's reference solution (or the steps `keep` selects) and its checks, as a student would. */
export async function solveLab(
  root: string,
  lab: LabDefinition,
  params: ExerciseParams,
  options: { keep?: (title: string, index: number) => boolean; start?: number; seed?: number } = {},
): Promise<SolvedLab> {
  const effects = lab.id === '05' ? lab05Effects(params) : {};
  const cluster = await ReplayCluster.start({
    start: options.start ?? Date.UTC(2026, 2, 10, 13),
    seed: options.seed ?? seedOf(`${params.matricula}:${lab.id}`),
    ...effects,
  });
  const answers = templateAnswers(root, lab);
  // The recorder waits for simulated time to pass instead of moving the clock itself.
  const passive = async (ms: number) => {
    const until = cluster.clock.now() + ms;
    while (cluster.clock.now() < until) await new Promise((r) => setImmediate(r));
  };
  const recorder = new EvidenceRecorder(
    cluster.clients,
    lab.watches(params),
    { sleep: passive, now: () => cluster.clock.now(), pollMs: 1000 },
    emptyEvidence(),
  );
  try {
    recorder.start();
    const env = createSolutionEnv({
      params,
      cluster: cluster.clients,
      evidence: recorder.log,
      sleep: cluster.sleep,
      pollMs: 250,
      writeAnswer: async (name, text) => {
        answers.set(name, text);
      },
      stopService: (s) => cluster.stop(s),
      startService: (s) => cluster.start(s),
    });
    const keep = options.keep ?? (() => true);
    // A student takes a while between steps; without the pause, lab 04's marathon restart reconciles
    // the lost tasks (TASK_LOST again) within the minute its analysis counts as the same loss.
    for (const [i, step] of lab.solution(params).entries()) {
      if (!keep(step.title, i)) continue;
      await step.run(env);
      if (lab.id === '04') await cluster.sleep(65_000);
    }
    await cluster.sleep(2000);
    await recorder.pollOnce();
    const outcomes = await runLabChecks(lab, {
      lab: lab.id,
      params,
      cluster: cluster.clients,
      answers: mapAnswers(answers),
      evidence: recorder.log,
      sleep: cluster.sleep,
    });
    return { answers, outcomes, evidence: JSON.parse(JSON.stringify(recorder.log)) as EvidenceLog };
  } finally {
    // Stopping the recorder ends its loops; the passive sleep needs the clock to move meanwhile.
    const stopping = recorder.stop();
    const ticker = setInterval(() => cluster.clock.advance(1000), 1);
    await stopping;
    clearInterval(ticker);
    await cluster.shutdown();
  }
}

export interface StudentWork {
  nome: string;
  matricula: string;
  /** Labs whose reference solution was run in full. */
  solved: LabId[];
  /** Labs whose solution was run only partly (the first step). */
  partial?: LabId[];
  when?: Date;
}

export interface BuiltSubmission {
  zip: Buffer;
  report: Report;
  manifest: Record<string, unknown>;
  answers: Map<LabId, Map<string, string>>;
}

/** Solves each lab once and keeps the results, so many fake students can share the runs of one matrícula. */
export async function buildSubmission(root: string, work: StudentWork): Promise<BuiltSubmission> {
  const params = exerciseParams(work.matricula);
  const when = work.when ?? new Date(Date.UTC(2026, 2, 14, 22, 41));
  const outcomes: CheckOutcome[] = [];
  const evidence: Report['evidence'] = {};
  const answers = new Map<LabId, Map<string, string>>();
  for (const lab of LABS) {
    let answersOfLab = templateAnswers(root, lab);
    if (work.solved.includes(lab.id) || work.partial?.includes(lab.id)) {
      const keep = work.partial?.includes(lab.id) ? (_: string, i: number) => i === 0 : undefined;
      const solved = await solveLab(root, lab, params, { keep });
      answersOfLab = solved.answers;
      outcomes.push(...solved.outcomes);
      evidence[lab.id] = solved.evidence;
    }
    answers.set(lab.id, answersOfLab);
  }
  const report: Report = {
    format: REPORT_FORMAT,
    kit: kitVersion(root),
    generatedAt: when.toISOString(),
    matricula: work.matricula,
    backend: 'sim',
    checkCodeHash: checkCodeHash(root),
    checks: toReportChecks(outcomes, when.toISOString()),
    evidence,
    score: score(outcomes),
  };
  return { ...packSubmission(root, work, report, answers, when), report, answers };
}

/** The archive `npm run entrega` writes, from a report and answer files (tests alter them first). */
export function packSubmission(
  root: string,
  work: Pick<StudentWork, 'nome' | 'matricula'>,
  report: Report | undefined,
  answers: Map<LabId, Map<string, string>>,
  when: Date,
  extra: ZipEntry[] = [],
): { zip: Buffer; manifest: Record<string, unknown> } {
  const entries: ZipEntry[] = [];
  if (report) entries.push({ name: 'relatorio.json', data: JSON.stringify(report, null, 2) + '\n' });
  for (const lab of LABS) {
    for (const [name, text] of answers.get(lab.id) ?? new Map<string, string>()) {
      entries.push({ name: `labs/${lab.slug}/respostas/${name}`, data: text });
    }
  }
  entries.push(...extra);
  const manifest = {
    nome: work.nome,
    matricula: work.matricula,
    kit: kitVersion(root),
    geradoEm: when.toISOString(),
    backend: 'sim',
    checkCodeHash: checkCodeHash(root),
    arquivos: entries.map((e) => e.name),
    faltando: [],
  };
  entries.unshift({ name: 'manifesto.json', data: JSON.stringify(manifest, null, 2) + '\n' });
  return { zip: createZip(entries.map((e) => ({ ...e, mtime: e.mtime ?? when }))), manifest };
}
