// What grading decides per check and per student, and how points become a grade on UFSC's 0–10
// scale (or another maximum). Isomorphic.
import type { LabId, Verdict } from '../labs/types.ts';

/** How a check's verdict was reached in grading. */
export type GradedBy = 'replay' | 'evidence';

export interface GradedCheck {
  id: string;
  lab: LabId;
  title: string;
  gradedBy: GradedBy;
  verdict: Verdict;
  /** Portuguese: what grading saw (the check's message, or why the evidence was not accepted). */
  message: string;
  hint?: string;
  docUrl: string;
  /** Check points as the lab defines them (weights may change what they are worth). */
  maxPoints: number;
}

export type Flag =
  | { kind: 'copia'; message: string; others: string[] }
  | { kind: 'identidade'; message: string }
  | { kind: 'evidencia'; message: string }
  | { kind: 'arquivo'; message: string };

/** The outcome of one student's submission, before weights are applied (what resumption caches). */
export interface SubmissionResult {
  /** Moodle participant id, or a stable key for a folder input. */
  key: string;
  participantId?: string;
  /** Name as Moodle gives it (folder name part), accents kept. */
  moodleName: string;
  /** What was graded: the file name inside the submission, or undefined when nothing was. */
  file?: string;
  /** Other files the student sent that were not graded (and why). */
  ignoredFiles: string[];
  /** A zero with a reason (corrupt, empty, foreign, oversized, unsafe). */
  rejected?: string;
  manifest?: { nome: string; matricula: string; kitVersion: string; geradoEm: string };
  checks: GradedCheck[];
  flags: Flag[];
  /** Fingerprints of the cluster evidence (ids) for duplicate detection across students. */
  fingerprints: string[];
  notes: string[];
}

export interface Weights {
  /** Grade for a perfect submission (UFSC: 10). */
  scale: number;
  /** Relative weight of each lab (default 1 each). */
  labs: Partial<Record<LabId, number>>;
  /** Points of a check, replacing the lab's own. */
  checks: Record<string, number>;
}

export const DEFAULT_WEIGHTS: Weights = { scale: 10, labs: {}, checks: {} };

export interface LabScore {
  lab: LabId;
  points: number;
  maxPoints: number;
  weight: number;
}

export interface CheckPoints {
  check: GradedCheck;
  points: number;
  maxPoints: number;
}

export function checkPoints(check: GradedCheck, weights: Weights): CheckPoints {
  const max = weights.checks[check.id] ?? check.maxPoints;
  return { check, points: check.verdict === 'passou' ? max : 0, maxPoints: max };
}

/**
 * The grade: each lab contributes its share of points times its weight, normalised so a perfect
 * submission gets exactly `scale`. Labs with no checks are ignored; a rejected submission gets 0.
 */
export function gradeOf(
  result: Pick<SubmissionResult, 'checks' | 'rejected'>,
  weights: Weights,
  allLabs: readonly { id: LabId; checks: { id: string; points: number }[] }[],
): { grade: number; labs: LabScore[] } {
  const labs: LabScore[] = allLabs.map((lab) => {
    const maxPoints = lab.checks.reduce((s, c) => s + (weights.checks[c.id] ?? c.points), 0);
    const points = result.rejected
      ? 0
      : result.checks.filter((c) => c.lab === lab.id).reduce((s, c) => s + checkPoints(c, weights).points, 0);
    return { lab: lab.id, points, maxPoints, weight: weights.labs[lab.id] ?? 1 };
  });
  const total = labs.filter((l) => l.maxPoints > 0).reduce((s, l) => s + l.weight, 0);
  if (total <= 0) return { grade: 0, labs };
  const raw = labs
    .filter((l) => l.maxPoints > 0)
    .reduce((s, l) => s + (l.weight * Math.min(l.points, l.maxPoints)) / l.maxPoints, 0);
  const grade = Math.round(((weights.scale * raw) / total) * 100) / 100;
  return { grade: Math.min(Math.max(grade, 0), weights.scale), labs };
}

/** Reads weights from a JSON text: {"escala": 10, "labs": {"02": 2}, "verificacoes": {"02.escala": 3}}. */
export function parseWeights(text: string): Weights {
  const raw = JSON.parse(text) as Record<string, unknown>;
  const num = (v: unknown, what: string) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new Error(`O peso ${what} deveria ser um número maior ou igual a zero.`);
    return v;
  };
  const w: Weights = { scale: 10, labs: {}, checks: {} };
  const scale = raw.escala ?? raw.scale;
  if (scale !== undefined) w.scale = num(scale, 'escala');
  for (const [k, v] of Object.entries((raw.labs ?? {}) as Record<string, unknown>))
    w.labs[k.padStart(2, '0') as LabId] = num(v, `do laboratório ${k}`);
  for (const [k, v] of Object.entries((raw.verificacoes ?? raw.checks ?? {}) as Record<string, unknown>))
    w.checks[k] = num(v, `da verificação ${k}`);
  return w;
}

/** A grade as Portuguese text: 9,5 → "9,5". */
export function gradePt(grade: number): string {
  return String(Math.round(grade * 100) / 100).replace('.', ',');
}

/** Quotes a field for the long CSV (RFC 4180). */
function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The long CSV: one row per student and check, for the instructor's own analysis. */
export function longCsv(rows: { result: SubmissionResult; grade: number }[], weights: Weights): string {
  const lines = ['participante,nome,matricula,laboratorio,verificacao,como,veredito,pontos,maximo,nota'];
  for (const { result, grade } of rows) {
    const who = [result.participantId ?? result.key, result.moodleName, result.manifest?.matricula ?? ''];
    if (result.checks.length === 0) {
      lines.push(
        [...who, '', '', '', result.rejected ? 'rejeitada' : 'sem-entrega', 0, 0, grade]
          .map(csvField)
          .join(','),
      );
    }
    for (const c of result.checks) {
      const p = checkPoints(c, weights);
      lines.push(
        [...who, c.lab, c.id, c.gradedBy, c.verdict, p.points, p.maxPoints, grade].map(csvField).join(','),
      );
    }
  }
  return lines.join('\n') + '\n';
}
