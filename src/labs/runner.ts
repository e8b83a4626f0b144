// Runs a lab's checks: one verdict each, errors reaching the cluster turned into "ambiente",
// the hint chosen by how many times in a row the check has failed.
import { AmbienteError } from '../cluster/clients/http.ts';
import type { Check, CheckContext, CheckResult, LabDefinition, Verdict } from './types.ts';

export interface CheckOutcome {
  id: string;
  lab: string;
  title: string;
  grading: Check['grading'];
  verdict: Verdict;
  points: number;
  maxPoints: number;
  message: string;
  /** The hint for this attempt (falhou only). */
  hint?: string;
  doc: Check['doc'];
  evidence?: Record<string, unknown>;
  /** Original error text for "ambiente", for whoever helps the student. */
  details?: string;
}

/** Consecutive failures seen before this run, by check id (kept in .lab/ by the Node side). */
export type FailureCounts = Record<string, number>;

export function hintFor(check: Check, previousFailures: number): string | undefined {
  if (check.hints.length === 0) return undefined;
  return check.hints[Math.min(previousFailures, check.hints.length - 1)];
}

export async function runCheck(check: Check, ctx: CheckContext, previousFailures = 0): Promise<CheckOutcome> {
  let result: CheckResult;
  let details: string | undefined;
  try {
    result = await check.run(ctx);
  } catch (error) {
    if (error instanceof AmbienteError) {
      result = { verdict: 'ambiente', message: error.message };
      details = error.details;
    } else {
      // A bug in the check must never cost the student points.
      result = {
        verdict: 'ambiente',
        message:
          'A verificação não conseguiu terminar por um erro interno do kit. Avise o monitor ou o professor.',
      };
      details = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
  return {
    id: check.id,
    lab: check.lab,
    title: check.title,
    grading: check.grading,
    verdict: result.verdict,
    points: result.verdict === 'passou' ? check.points : 0,
    maxPoints: check.points,
    message: result.message,
    hint: result.verdict === 'falhou' ? hintFor(check, previousFailures) : undefined,
    doc: check.doc,
    evidence: result.evidence,
    details,
  };
}

export async function runLabChecks(
  lab: LabDefinition,
  ctx: CheckContext,
  failures: FailureCounts = {},
): Promise<CheckOutcome[]> {
  const out: CheckOutcome[] = [];
  // In order: later checks of a lab often read what earlier ones did, and the cluster is small.
  for (const check of lab.checks) out.push(await runCheck(check, ctx, failures[check.id] ?? 0));
  return out;
}

/** New consecutive-failure counts after a run: a pass resets, a falhou adds one, ambiente keeps. */
export function updateFailures(previous: FailureCounts, outcomes: CheckOutcome[]): FailureCounts {
  const next = { ...previous };
  for (const o of outcomes) {
    if (o.verdict === 'passou') delete next[o.id];
    else if (o.verdict === 'falhou') next[o.id] = (next[o.id] ?? 0) + 1;
  }
  return next;
}

export function score(outcomes: CheckOutcome[]): { points: number; maxPoints: number } {
  return {
    points: outcomes.reduce((s, o) => s + o.points, 0),
    maxPoints: outcomes.reduce((s, o) => s + o.maxPoints, 0),
  };
}

/** Polls a condition until it holds or the deadline passes; never hangs. */
export async function waitUntil(
  sleep: (ms: number) => Promise<void>,
  predicate: () => Promise<boolean>,
  timeoutMs: number,
  stepMs = 500,
): Promise<boolean> {
  let waited = 0;
  for (;;) {
    if (await predicate()) return true;
    if (waited >= timeoutMs) return false;
    await sleep(stepMs);
    waited += stepMs;
  }
}
