// `npm run check [-- NN ...]`: runs the checks of one or every lab, prints a table per lab and the
// score, writes entrega/relatorio.json, and exits 0 only when every check passed.
import { LABS, findLab } from '../../../labs/index.ts';
import type { ClusterClients } from '../../../src/cluster/clients/index.ts';
import { emptyEvidence } from '../../../src/labs/evidence.ts';
import type { ExerciseParams } from '../../../src/labs/params.ts';
import {
  AMBIENTE_NOTE,
  formatLab,
  localizePorts,
  mergeReport,
  REPORT_FORMAT,
  toReportChecks,
  type Report,
} from '../../../src/labs/report.ts';
import { runLabChecks, score, updateFailures, type CheckOutcome } from '../../../src/labs/runner.ts';
import type { LabDefinition } from '../../../src/labs/types.ts';
import { LabError } from '../cluster/backend.ts';
import { consoleOutput, printError, type Output } from '../ui.ts';
import { resolveContext } from './context.ts';
import {
  answersFolder,
  folderAnswers,
  kitVersion,
  readEvidence,
  readFailures,
  readReport,
  writeFailures,
  writeReport,
} from './files.ts';
import { checkCodeHash } from './hash.ts';

export function parseLabArgs(argv: readonly string[]): LabDefinition[] {
  const ids = argv.filter((a) => !a.startsWith('-'));
  if (ids.length === 0) return [...LABS];
  return ids.map((id) => {
    const lab = findLab(id);
    if (!lab) {
      throw new LabError(
        `O laboratório "${id}" não existe. Use um de ${LABS.map((l) => l.id).join(', ')}, como em npm run check -- 02.`,
      );
    }
    return lab;
  });
}

export interface CheckRunInput {
  root: string;
  stateDir: string;
  labs: LabDefinition[];
  params: ExerciseParams;
  clients: ClusterClients;
  backendName: string;
  backendLabel: string;
  siteBase: string;
  output: Output;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

export interface CheckRunResult {
  outcomes: CheckOutcome[];
  report: Report;
  allPassed: boolean;
}

/** Everything `npm run check` does once the context is known (tests call this directly). */
export async function runChecksAndReport(input: CheckRunInput): Promise<CheckRunResult> {
  const sleep = input.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = (input.now ?? (() => new Date()))();
  const failures = readFailures(input.stateDir);
  const outcomes: CheckOutcome[] = [];
  const evidence: Report['evidence'] = {};
  for (const lab of input.labs) {
    const log = readEvidence(input.stateDir, lab.id) ?? emptyEvidence();
    evidence[lab.id] = log;
    const labOutcomes = await runLabChecks(
      lab,
      {
        lab: lab.id,
        params: input.params,
        cluster: input.clients,
        answers: folderAnswers(answersFolder(input.root, lab)),
        evidence: log,
        sleep,
      },
      failures,
    );
    outcomes.push(...labOutcomes);
    for (const line of formatLab(lab.id, lab.title, labOutcomes, {
      siteBase: input.siteBase,
      backendLabel: input.backendLabel,
    })) {
      input.output.out(line);
    }
    input.output.out('');
  }
  writeFailures(input.stateDir, updateFailures(failures, outcomes));
  const fresh: Report = {
    format: REPORT_FORMAT,
    kit: kitVersion(input.root),
    generatedAt: now.toISOString(),
    matricula: input.params.matricula,
    backend: input.backendName,
    checkCodeHash: checkCodeHash(input.root),
    checks: toReportChecks(outcomes, now.toISOString()),
    evidence,
    score: score(outcomes),
  };
  const report = mergeReport(
    readReport(input.root),
    fresh,
    input.labs.map((l) => l.id),
  );
  writeReport(input.root, report);
  const total = score(outcomes);
  if (input.labs.length > 1) input.output.out(`Total: ${total.points} de ${total.maxPoints} pontos.`);
  if (outcomes.some((o) => o.verdict === 'ambiente')) input.output.out(AMBIENTE_NOTE);
  input.output.out('Relatório salvo em entrega/relatorio.json.');
  return { outcomes, report, allPassed: outcomes.every((o) => o.verdict === 'passou') };
}

export async function runCheckCommand(
  argv: readonly string[],
  output: Output = consoleOutput,
): Promise<number> {
  let close = () => {};
  try {
    const labs = parseLabArgs(argv);
    const ctx = resolveContext();
    close = ctx.close;
    const raw = output;
    output = {
      out: (l) => raw.out(localizePorts(l, ctx.env.ports)),
      err: (l) => raw.err(localizePorts(l, ctx.env.ports)),
    };
    if (ctx.exampleMatricula) {
      output.out(
        '⚠ Você ainda não informou a sua matrícula: as verificações usam a matrícula de exemplo ' +
          `${ctx.params.matricula}. Rode npm run lab:01 (ou npm run entrega) para informá-la.`,
      );
    }
    const result = await runChecksAndReport({
      root: ctx.root,
      stateDir: ctx.stateDir,
      labs,
      params: ctx.params,
      clients: ctx.clients,
      backendName: ctx.backendName,
      backendLabel: ctx.backendLabel,
      siteBase: ctx.siteBase,
      output,
    });
    return result.allPassed ? 0 : 1;
  } catch (error) {
    return printError(error, output);
  } finally {
    close();
  }
}
