// Grades one parsed submission: every lab's answer files applied to one fresh in-process simulated
// cluster (model executor, virtual clock), checks graded by *replay* run there, checks graded by
// *evidence* accepted only when the report holds together and its evidence is re-derived by the same
// check code from the recorded log, or agrees with the answer files (src/grading/evidence.ts).
import { parse as parseYaml } from 'yaml';
import { LABS } from '../../../labs/index.ts';
import { emptyEvidence, type EvidenceLog } from '../../../src/labs/evidence.ts';
import { exerciseParams, matriculaProblem } from '../../../src/labs/params.ts';
import { runCheck } from '../../../src/labs/runner.ts';
import { docUrl } from '../../../src/labs/site.ts';
import { createSolutionEnv, postChronosJob } from '../../../src/labs/solution.ts';
import type { AnswerFiles, Check, LabDefinition, LabId, SolutionEnv } from '../../../src/labs/types.ts';
import { EVIDENCE_RULES, fingerprints, reportProblems } from '../../../src/grading/evidence.ts';
import type { GradedCheck } from '../../../src/grading/scoring.ts';
import { ReplayCluster, ReplayTimeout } from './replay-cluster.ts';
import type { ParsedSubmission } from './submission.ts';

export interface GradeOptions {
  acceptedHashes: string[];
  siteBase: string;
  /** Real time one submission's replay may take (default 60 s); past it the submission is left to the instructor. */
  budgetMs?: number;
}

export interface GradedSubmission {
  checks: GradedCheck[];
  fingerprints: string[];
  notes: string[];
  reportProblems: string[];
}

function answersOf(files: Map<string, string> | undefined): AnswerFiles {
  const m = files ?? new Map<string, string>();
  return { read: (name) => m.get(name), list: () => [...m.keys()].sort() };
}

/** For labs that define no apply(): their Marathon apps and Chronos jobs, as the student would send them. */
async function applyDeclared(lab: LabDefinition, env: SolutionEnv, answers: AnswerFiles): Promise<void> {
  for (const spec of lab.answerFiles) {
    const text = answers.read(spec.name);
    if (!text || spec.kind === 'yaml') continue;
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      if (spec.kind === 'marathon-app') await env.call('marathon', 'POST', '/v2/apps', body);
      else await postChronosJob(env, body);
    } catch {
      // What the service refuses is what the replay checks then report.
    }
  }
}

export async function gradeParsed(sub: ParsedSubmission, options: GradeOptions): Promise<GradedSubmission> {
  const notes: string[] = [];
  const matricula = sub.manifest.matricula.trim();
  if (matriculaProblem(matricula))
    notes.push(`A matrícula do manifesto é inválida: ${matriculaProblem(matricula)}`);
  const params = exerciseParams(matricula);
  const report = sub.report;
  let problems: string[] = [];
  if (report) {
    try {
      problems = reportProblems({ report, manifest: sub.manifest, acceptedHashes: options.acceptedHashes });
    } catch {
      // A hand-edited report of the wrong shape: its evidence counts for nothing, the replay still does.
      problems = ['o relatório está malformado'];
    }
  }
  const cluster = await ReplayCluster.start({ seed: 7, budgetMs: options.budgetMs ?? 60_000 });
  const checks: GradedCheck[] = [];
  try {
    const env = createSolutionEnv({
      params,
      cluster: cluster.clients,
      evidence: emptyEvidence(),
      sleep: cluster.sleep,
      pollMs: 250,
      writeAnswer: async () => {},
      stopService: (s) => cluster.stop(s),
      startService: (s) => cluster.start(s),
    });
    for (const lab of LABS) {
      const answers = answersOf(sub.answers.get(lab.id));
      try {
        if (lab.apply) await lab.apply(env, answers);
        else await applyDeclared(lab, env, answers);
      } catch {
        notes.push(
          `Laboratório ${lab.id}: os arquivos de resposta não puderam ser todos aplicados ao cluster simulado.`,
        );
      }
    }
    // Let deployments finish and tasks start (simulated time).
    await cluster.sleep(30_000);
    for (const lab of LABS) {
      const answers = answersOf(sub.answers.get(lab.id));
      const parsed = parsedAnswers(sub);
      const log: EvidenceLog = (report?.evidence?.[lab.id] as EvidenceLog | undefined) ?? emptyEvidence();
      const ctx = { lab: lab.id, params, cluster: cluster.clients, answers, sleep: cluster.sleep };
      for (const check of lab.checks) {
        const base = {
          id: check.id,
          lab: lab.id,
          title: check.title,
          docUrl: docUrl(check.doc, options.siteBase),
          maxPoints: check.points,
        };
        if (check.grading === 'replay') {
          const o = await runCheck(check, { ...ctx, evidence: emptyEvidence() });
          checks.push({ ...base, gradedBy: 'replay', verdict: o.verdict, message: o.message, hint: o.hint });
          continue;
        }
        const v = await verifyEvidence(
          check,
          lab.id,
          report,
          problems,
          async () => runCheck(check, { ...ctx, evidence: log }),
          (entry) => EVIDENCE_RULES[check.id]?.({ entry, params, log, json: parsed.json, yaml: parsed.yaml }),
        );
        checks.push({
          ...base,
          gradedBy: 'evidence',
          verdict: v.ok ? 'passou' : 'falhou',
          message: v.message,
          hint: v.ok ? undefined : check.hints[0],
        });
      }
    }
  } finally {
    await cluster.shutdown();
  }
  if (cluster.timedOut) throw new ReplayTimeout();
  const ambiente = checks.filter((c) => c.verdict === 'ambiente').length;
  if (ambiente) {
    notes.push(
      `${ambiente} verificação(ões) deram "ambiente" no cluster simulado da correção (não é culpa de quem entregou): confira à mão.`,
    );
  }
  let prints: string[] = [];
  try {
    prints = report ? fingerprints(report) : [];
  } catch {
    prints = [];
  }
  return { checks, fingerprints: prints, notes, reportProblems: problems };
}

function parsedAnswers(sub: ParsedSubmission) {
  const read = (lab: LabId, file: string) => sub.answers.get(lab)?.get(file);
  return {
    json(lab: LabId, file: string) {
      try {
        const v = JSON.parse(read(lab, file) ?? '') as unknown;
        return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
      } catch {
        return undefined;
      }
    },
    yaml(lab: LabId, file: string) {
      try {
        const v = parseYaml(read(lab, file) ?? '') as unknown;
        return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

async function verifyEvidence(
  check: Check,
  lab: LabId,
  report: ParsedSubmission['report'],
  problems: string[],
  rerun: () => Promise<{ verdict: string; message: string }>,
  rule: (
    entry: NonNullable<ParsedSubmission['report']>['checks'][number],
  ) => { ok: boolean; message: string } | undefined,
): Promise<{ ok: boolean; message: string }> {
  if (!report)
    return {
      ok: false,
      message: 'Sem o relatório do seu cluster (relatorio.json), esta verificação não pôde ser conferida.',
    };
  if (problems.length)
    return { ok: false, message: `O relatório não foi aceito como evidência: ${problems[0]}.` };
  const entry = report.checks.find((c) => c.id === check.id);
  if (!entry)
    return {
      ok: false,
      message: `O relatório não tem esta verificação: rode npm run check -- ${lab} antes da entrega.`,
    };
  if (entry.verdict !== 'passou')
    return { ok: false, message: `No seu cluster esta verificação deu "${entry.verdict}": ${entry.message}` };
  const again = await rerun();
  if (again.verdict === 'passou')
    return { ok: true, message: `Refeita com o registro do seu cluster: ${again.message}` };
  let r: { ok: boolean; message: string } | undefined;
  try {
    r = rule(entry);
  } catch {
    r = { ok: false, message: 'a evidência registrada está malformada' };
  }
  if (r?.ok) return { ok: true, message: `Evidência do seu cluster conferida (${r.message}).` };
  if (r) return { ok: false, message: `A evidência do relatório não se sustenta: ${r.message}.` };
  return { ok: false, message: `A evidência do relatório não se sustenta: ${again.message}` };
}
