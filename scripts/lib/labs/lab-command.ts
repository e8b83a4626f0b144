// `npm run lab:NN [-- --demo]`: brings the cluster up, prints the lab's goal and steps with links,
// and then either follows the student's work as a live checklist (in a terminal), runs the reference
// solution step by step showing each request as curl (--demo), or just prints and exits (no terminal).
import { cpSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { findLab, LABS } from '../../../labs/index.ts';
import type { ServiceName } from '../../../src/cluster/topology.ts';
import {
  EXAMPLE_MATRICULA,
  exerciseParams,
  matriculaProblem,
  type ExerciseParams,
} from '../../../src/labs/params.ts';
import { EvidenceRecorder } from '../../../src/labs/recorder.ts';
import { runLabChecks, type CheckOutcome } from '../../../src/labs/runner.ts';
import { docUrl, labDoc } from '../../../src/labs/site.ts';
import { createSolutionEnv, curlOf, type RequestRecord } from '../../../src/labs/solution.ts';
import type { LabDefinition } from '../../../src/labs/types.ts';
import { emptyEvidence } from '../../../src/labs/evidence.ts';
import { localizePorts } from '../../../src/labs/report.ts';
import { LabError, type Backend } from '../cluster/backend.ts';
import { BACKEND_LABEL, selectBackend } from '../cluster/select.ts';
import { SimBackend } from '../cluster/sim/sim-backend.ts';
import { findings } from '../doctor/checks.ts';
import { runKitDoctor } from '../doctor/kit.ts';
import { rememberBackend } from '../state.ts';
import { consoleOutput, MARK, printError, seconds, type Output } from '../ui.ts';
import { runChecksAndReport } from './check-command.ts';
import { resolveContext, type LabCommandContext } from './context.ts';
import {
  answersFolder,
  evidenceFile,
  folderAnswers,
  readEvidence,
  writeEvidence,
  writeStudent,
} from './files.ts';

export interface LabArgs {
  lab: LabDefinition;
  demo: boolean;
  backend?: string;
  matricula?: string;
}

export function parseLabCommandArgs(argv: readonly string[]): LabArgs {
  let id: string | undefined;
  let demo = false;
  let backend: string | undefined;
  let matricula: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--demo') demo = true;
    else if (a === '--backend') backend = argv[++i];
    else if (a.startsWith('--backend=')) backend = a.slice(10);
    else if (a === '--matricula') matricula = argv[++i];
    else if (a.startsWith('--matricula=')) matricula = a.slice(12);
    else if (a.startsWith('-'))
      throw new LabError(`A opção ${a} não existe. Use --demo, --backend ou --matricula.`);
    else if (id === undefined) id = a;
    else throw new LabError(`Argumento a mais: ${a}.`);
  }
  const lab = id ? findLab(id) : undefined;
  if (!lab) {
    throw new LabError(`Diga qual laboratório: ${LABS.map((l) => `npm run lab:${l.id}`).join(', ')}.`);
  }
  return { lab, demo, backend, matricula };
}

/** What this lab asks of this student, in one or two lines. */
export function describeParams(lab: LabDefinition, p: ExerciseParams): string[] {
  switch (lab.id) {
    case '02':
      return [`Sua aplicação: ${p.lab02.appId}, com ${p.lab02.instances} instâncias no final.`];
    case '03':
      return [
        `Seus jobs: ${p.lab03.diario} (todo dia às 03:${String(p.lab03.minuto).padStart(2, '0')} no horário de Brasília), ` +
          `${p.lab03.coleta} → ${p.lab03.resumo}, e ${p.lab03.instavel}.`,
      ];
    case '04':
      return [`Sua aplicação: ${p.lab04.appId}, com ${p.lab04.instances} instâncias.`];
    case '05':
      return [
        `Seus jobs: ${p.lab05.extrai} → ${p.lab05.transforma} → ${p.lab05.carrega}; o serviço: ${p.lab05.appId}.`,
        `O extrator gera os números de 1 a ${p.lab05.n}.`,
      ];
    default:
      return [];
  }
}

export function printIntro(
  lab: LabDefinition,
  ctx: Pick<LabCommandContext, 'params' | 'siteBase'>,
  out: Output,
): void {
  out.out('');
  out.out(`Laboratório ${lab.id} — ${lab.title}`);
  out.out(`Página: ${docUrl(labDoc(lab.id, ''), ctx.siteBase)}`);
  out.out('');
  out.out(`Objetivo: ${lab.goal}`);
  for (const line of describeParams(lab, ctx.params)) out.out(line);
  out.out('');
  lab.steps.forEach((step, i) => {
    out.out(`${i + 1}. ${step.title}`);
    out.out(`   ${step.text}`);
    out.out(`   ${docUrl(labDoc(lab.id, step.anchor), ctx.siteBase)}`);
  });
  out.out('');
  out.out(`Suas respostas ficam em labs/${lab.slug}/respostas/. Para conferir: npm run check -- ${lab.id}`);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The preflight (`npm run doctor`), when no simulated cluster is up yet (a running simulator holds
 * the course ports, which the preflight would report as taken). It only informs: the backend's own
 * start-up says what blocks it.
 */
async function preflight(ctx: LabCommandContext, out: Output): Promise<void> {
  try {
    if (await new SimBackend({ env: ctx.env, stateDir: ctx.stateDir }).live()) return;
    const report = await Promise.race([
      runKitDoctor({ root: ctx.root }),
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 15_000).unref()),
    ]);
    if (!report) return;
    // Only what stops the cluster from coming up; `npm run doctor` shows the rest.
    // With the simulator, Docker's own problems do not matter; busy ports and a full disk still do.
    const sim = ctx.env.backend === 'sim' || (ctx.env.backend !== 'docker' && report.backend === 'sim');
    const simRelevant = (id: string) => id.startsWith('porta') || id.startsWith('disco');
    const shown = findings(report).filter(
      (f) => f.outcome === 'blocks' && (!sim || simRelevant(f.problem?.id ?? '')),
    );
    if (shown.length === 0) {
      out.out(`${MARK.ok} Diagnóstico (npm run doctor): nada impede o cluster de subir.`);
      return;
    }
    for (const f of shown.slice(0, 3)) {
      out.out(`${MARK.warn} ${f.problem!.title}`);
      out.out(`  ${f.problem!.action}`);
    }
    if (shown.length > 3) out.out(`  (e mais ${shown.length - 3}: veja npm run doctor)`);
  } catch {
    // The preflight is a courtesy: the backend explains its own failures.
  }
}

async function bringUp(ctx: LabCommandContext, flag: string | undefined, out: Output): Promise<Backend> {
  const selection = await selectBackend({ flag, env: ctx.env, stateDir: ctx.stateDir, command: 'up' });
  const why = selection.reason
    ? ` (${selection.automatic ? 'escolha automática: ' : ''}${selection.reason})`
    : '';
  out.out(`Cluster: ${BACKEND_LABEL[selection.name]}${why}`);
  const started = Date.now();
  await selection.backend.up({ progress: (line) => out.out(`  ${MARK.ok} ${line}`) });
  rememberBackend(ctx.stateDir, selection.name);
  ctx.backendName = selection.name;
  ctx.backendLabel = BACKEND_LABEL[selection.name];
  out.out(`Cluster pronto em ${seconds(Date.now() - started)}.`);
  return selection.backend;
}

function startRecorder(ctx: LabCommandContext, lab: LabDefinition) {
  let timer: NodeJS.Timeout | undefined;
  const recorder = new EvidenceRecorder(
    ctx.clients,
    lab.watches(ctx.params),
    {
      sleep,
      pollMs: 1000,
      onChange: (log) => {
        timer ??= setTimeout(() => {
          timer = undefined;
          writeEvidence(ctx.stateDir, lab.id, log);
        }, 300);
      },
    },
    readEvidence(ctx.stateDir, lab.id) ?? emptyEvidence(),
  );
  recorder.start();
  return {
    recorder,
    async stop() {
      await recorder.stop();
      if (timer) clearTimeout(timer);
      writeEvidence(ctx.stateDir, lab.id, recorder.log);
    },
  };
}

function truncate(text: string, max = 300): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

async function runDemo(
  ctx: LabCommandContext,
  lab: LabDefinition,
  backend: Backend,
  interactive: boolean,
  out: Output,
) {
  const folder = answersFolder(ctx.root, lab);
  if (existsSync(folder)) {
    const backup = path.join(
      ctx.stateDir,
      'backup',
      `${lab.id}-${new Date().toISOString().replace(/[:.]/g, '-')}`,
    );
    mkdirSync(path.dirname(backup), { recursive: true });
    cpSync(folder, backup, { recursive: true });
    out.out(
      `As respostas atuais foram copiadas para ${path.relative(ctx.root, backup)} antes da demonstração.`,
    );
  }
  // The demonstration starts its own record; the previous one is kept beside it.
  const previous = evidenceFile(ctx.stateDir, lab.id);
  if (existsSync(previous)) renameSync(previous, `${previous}.${Date.now()}.anterior`);
  const rec = startRecorder(ctx, lab);
  const rl = interactive ? createInterface({ input: process.stdin, output: process.stdout }) : undefined;
  try {
    const env = createSolutionEnv({
      params: ctx.params,
      cluster: ctx.clients,
      evidence: rec.recorder.log,
      sleep,
      say: (line) => out.out(`  ${line}`),
      writeAnswer: async (name, text) => {
        mkdirSync(folder, { recursive: true });
        writeFileSync(path.join(folder, name), text);
        out.out(`  ${MARK.ok} respostas/${name} escrito`);
      },
      stopService: async (service: ServiceName) => {
        out.out(`  $ npm run cluster -- stop ${service}`);
        await backend.stop(service);
      },
      startService: async (service: ServiceName) => {
        out.out(`  $ npm run cluster -- start ${service}`);
        await backend.start(service);
      },
      onRequest: (r: RequestRecord) => {
        out.out(`  $ ${curlOf(r)}`);
        out.out(`    → ${r.status} ${truncate(r.response)}`);
      },
    });
    const steps = lab.solution(ctx.params);
    for (const [i, step] of steps.entries()) {
      out.out('');
      out.out(`▶ Passo ${i + 1} de ${steps.length}: ${step.title}`);
      if (rl) await rl.question('  (Enter para executar) ');
      await step.run(env);
    }
    await sleep(1500);
    await rec.recorder.pollOnce();
  } finally {
    rl?.close();
    await rec.stop();
  }
  out.out('');
  const result = await runChecksAndReport({
    root: ctx.root,
    stateDir: ctx.stateDir,
    labs: [lab],
    params: ctx.params,
    clients: ctx.clients,
    backendName: ctx.backendName,
    backendLabel: ctx.backendLabel,
    siteBase: ctx.siteBase,
    output: out,
  });
  return result.allPassed ? 0 : 1;
}

const LIVE_MARK = { passou: '✔', falhou: '·', ambiente: '⚠' } as const;

async function runChecklist(ctx: LabCommandContext, lab: LabDefinition, out: Output): Promise<number> {
  const rec = startRecorder(ctx, lab);
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  process.once('SIGINT', stop);
  if (process.stdin.isTTY) {
    process.stdin.setRawMode(true);
    process.stdin.resume();
    process.stdin.on('data', (d: Buffer) => {
      const k = d.toString();
      if (k === 'q' || k === '\u0003') stop();
    });
  }
  out.out('');
  out.out('Acompanhando o cluster. Cada item fica ✔ quando você o cumpre. Tecle q para sair.');
  let drawn = 0;
  try {
    while (!stopped) {
      const outcomes: CheckOutcome[] = await runLabChecks(lab, {
        lab: lab.id,
        params: ctx.params,
        cluster: ctx.clients,
        answers: folderAnswers(answersFolder(ctx.root, lab)),
        evidence: rec.recorder.log,
        // The checklist must stay lively: no long waits inside checks here.
        sleep: async () => {},
      });
      const lines: string[] = [];
      for (const step of lab.steps) {
        lines.push(`  ${step.title}`);
        for (const id of step.checks) {
          const o = outcomes.find((x) => x.id === id);
          if (!o) continue;
          lines.push(`    ${LIVE_MARK[o.verdict]} ${id} ${o.title}`);
        }
      }
      const done = outcomes.filter((o) => o.verdict === 'passou').length;
      lines.push(
        `  ${done} de ${outcomes.length} verificações cumpridas — ${new Date().toLocaleTimeString('pt-BR')}`,
      );
      if (drawn) process.stdout.write(`\x1b[${drawn}A\x1b[0J`);
      for (const l of lines) out.out(l);
      drawn = lines.length;
      for (let i = 0; i < 6 && !stopped; i++) await sleep(500);
    }
  } finally {
    if (process.stdin.isTTY) {
      process.stdin.setRawMode(false);
      process.stdin.pause();
    }
    process.off('SIGINT', stop);
    await rec.stop();
  }
  out.out(`Registro salvo. Para a nota: npm run check -- ${lab.id}`);
  return 0;
}

async function ensureMatricula(
  ctx: LabCommandContext,
  given: string | undefined,
  interactive: boolean,
  out: Output,
) {
  let m = given?.trim() ?? ctx.student.matricula;
  if (!m && interactive) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      while (!m || matriculaProblem(m)) {
        if (m) out.out(matriculaProblem(m)!);
        m = (await rl.question('Sua matrícula (só os algarismos; ela personaliza os exercícios): ')).trim();
      }
    } finally {
      rl.close();
    }
  }
  if (m) {
    const problem = matriculaProblem(m);
    if (problem) throw new LabError(problem);
    if (m !== ctx.student.matricula) {
      ctx.student = { ...ctx.student, matricula: m };
      writeStudent(ctx.stateDir, ctx.student);
    }
    ctx.params = exerciseParams(m);
    ctx.exampleMatricula = false;
  } else {
    out.out(
      `⚠ Nenhuma matrícula informada: usando a de exemplo (${EXAMPLE_MATRICULA}). ` +
        'Informe a sua com npm run lab:01 -- --matricula 21100123.',
    );
  }
}

export async function runLabCommand(
  argv: readonly string[],
  output: Output = consoleOutput,
  interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY),
): Promise<number> {
  let ctx: LabCommandContext | undefined;
  try {
    const args = parseLabCommandArgs(argv);
    ctx = resolveContext();
    const ports = ctx.env.ports;
    const raw = output;
    output = { out: (l) => raw.out(localizePorts(l, ports)), err: (l) => raw.err(localizePorts(l, ports)) };
    await ensureMatricula(ctx, args.matricula, interactive, output);
    await preflight(ctx, output);
    const backend = await bringUp(ctx, args.backend, output);
    printIntro(args.lab, ctx, output);
    if (args.demo) return await runDemo(ctx, args.lab, backend, interactive, output);
    if (interactive) return await runChecklist(ctx, args.lab, output);
    return 0;
  } catch (error) {
    return printError(error, output);
  } finally {
    ctx?.close();
  }
}
