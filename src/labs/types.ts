// The check framework's vocabulary, shared by `npm run check`, `npm run lab:NN`, grading and the site.
// Isomorphic: no Node modules here.
import type { ClusterClients } from '../cluster/clients/index.ts';
import type { ServiceName } from '../cluster/topology.ts';
import type { ExerciseParams } from './params.ts';
import type { EvidenceLog } from './evidence.ts';

export type LabId = '01' | '02' | '03' | '04' | '05';
export const LAB_IDS: readonly LabId[] = ['01', '02', '03', '04', '05'];

/** passou: the work is right; falhou: the work is wrong; ambiente: the cluster is not ready (not the student's fault). */
export type Verdict = 'passou' | 'falhou' | 'ambiente';

/**
 * How grading can verify a check after the fact (DESIGN.md, grading):
 * replay — it depends only on the answer files, so grading applies them to a fresh simulated cluster;
 * evidence — it depends on what the student's own cluster did, recorded in the report.
 */
export type Grading = 'replay' | 'evidence';

/** A section of the course site: a path (no base URL) and a heading anchor. */
export interface DocLink {
  path: string;
  anchor: string;
}

export interface CheckResult {
  verdict: Verdict;
  /** Portuguese, one or two sentences: what the check saw. */
  message: string;
  /** What the cluster showed (ids, times, versions): goes to the report for grading. */
  evidence?: Record<string, unknown>;
}

/** The student's answer files of one lab (`labs/NN-slug/respostas/`), read-only. */
export interface AnswerFiles {
  /** Text of a file relative to respostas/, or undefined when it does not exist. */
  read(name: string): string | undefined;
  list(): string[];
}

export interface CheckContext {
  lab: LabId;
  params: ExerciseParams;
  cluster: ClusterClients;
  answers: AnswerFiles;
  /** What the live checklist of `npm run lab:NN` recorded for this lab (empty when it never ran). */
  evidence: EvidenceLog;
  /** Waits (real or simulated) time; checks use it only inside waitFor with a deadline. */
  sleep(ms: number): Promise<void>;
}

export interface Check {
  /** Stable id, e.g. "02.health-http": the site, the report and grading use it. */
  id: string;
  lab: LabId;
  /** Portuguese, what must hold: "A aplicação tem uma verificação de saúde HTTP em /". */
  title: string;
  points: number;
  /** Portuguese hints, each more specific than the last; shown one more each time the check keeps failing. */
  hints: string[];
  doc: DocLink;
  grading: Grading;
  /** Answer files this check reads (for grading and for `entrega` to say what is missing). */
  reads?: string[];
  run(ctx: CheckContext): Promise<CheckResult>;
}

export interface LabStep {
  /** The anchor of this step on the lab's page. */
  anchor: string;
  title: string;
  /** Portuguese instructions, plain text with commands in backticks. */
  text: string;
  /** Ids of the checks that verify this step. */
  checks: string[];
}

export interface AnswerFileSpec {
  /** Path inside respostas/, e.g. "app.json". */
  name: string;
  kind: 'marathon-app' | 'chronos-job' | 'yaml';
  /** Portuguese: what goes in it. */
  description: string;
}

/** What a reference solution (or a grading replay) may do to a cluster. */
export interface SolutionEnv {
  params: ExerciseParams;
  cluster: ClusterClients;
  /** One HTTP call to a service, shown as a curl command in demo mode. */
  call(
    service: 'marathon' | 'chronos' | 'mesos-master',
    method: string,
    path: string,
    body?: unknown,
  ): Promise<unknown>;
  /** Stops or starts one service like `npm run cluster -- stop <service>` (lab 04). */
  stopService(service: ServiceName): Promise<void>;
  startService(service: ServiceName): Promise<void>;
  /** Writes an answer file in the lab's respostas/ folder. */
  writeAnswer(name: string, text: string): Promise<void>;
  /** What the live checklist has recorded so far. */
  evidence: EvidenceLog;
  /** Prints a Portuguese line in demo mode. */
  say(line: string): void;
  sleep(ms: number): Promise<void>;
  /** Polls until predicate holds; rejects with a Portuguese message after timeoutMs of cluster time. */
  waitFor(what: string, predicate: () => Promise<boolean>, timeoutMs: number): Promise<void>;
}

export interface SolutionStep {
  title: string;
  run(env: SolutionEnv): Promise<void>;
}

export interface LabDefinition {
  id: LabId;
  slug: string;
  title: string;
  /** Portuguese: the learning goal in one or two sentences. */
  goal: string;
  steps: LabStep[];
  answerFiles: AnswerFileSpec[];
  checks: Check[];
  /** The reference solution, step by step, for the given exercise parameters. */
  solution(params: ExerciseParams): SolutionStep[];
  /**
   * Applies the student's answer files to a fresh cluster, as grading does before replay checks.
   * Absent when the lab's replay checks read only the files.
   */
  apply?(env: SolutionEnv, answers: AnswerFiles): Promise<void>;
  /** Which Marathon apps and Chronos jobs the live checklist should follow. */
  watches(params: ExerciseParams): { apps: string[]; jobs: string[] };
}
