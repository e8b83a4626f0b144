// `npm run grade`: from Moodle's bulk download (and optionally its grading worksheet) to the files the
// instructor uploads back — the filled worksheet, a feedback zip, a class summary page and a long
// CSV — in one --out folder. Each student's result is cached there as soon as it is known, so a run
// interrupted half-way and started again does not grade anyone twice (unless --refazer).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LABS } from '../../../labs/index.ts';
import { siteBaseUrl } from '../../../src/labs/site.ts';
import {
  feedbackPage,
  summaryPage,
  worksheetComment,
  type StudentView,
} from '../../../src/grading/render.ts';
import {
  DEFAULT_WEIGHTS,
  gradeOf,
  longCsv,
  type Flag,
  type SubmissionResult,
  type Weights,
} from '../../../src/grading/scoring.ts';
import {
  isLate,
  parseWorksheet,
  submissionState,
  writeWorksheet,
  type Worksheet,
  type WorksheetRow,
  type WorksheetUpdate,
} from '../../../src/grading/worksheet.ts';
import { LabError } from '../cluster/backend.ts';
import { checkCodeHash } from '../labs/hash.ts';
import { createZip, type ZipEntry } from '../labs/zip.ts';
import { gradeParsed } from './grade-one.ts';
import { readClassInput, type StudentInput } from './input.ts';
import { ReplayTimeout } from './replay-cluster.ts';
import { ZipRefused } from './safe-zip.ts';
import { selectSubmission } from './submission.ts';

export interface GradeRunOptions {
  root: string;
  input: string;
  out: string;
  worksheet?: string;
  weights?: Weights;
  /** Grade again even what the cache already has. */
  redo?: boolean;
  /** Grade drafts too (default: a draft gets a comment and no grade, as in the spec's example). */
  gradeDrafts?: boolean;
  /** Give 0 to worksheet rows with no submission (default: leave the grade empty). */
  zeroMissing?: boolean;
  /** More check code hashes to accept (older kit versions the instructor allows). */
  extraHashes?: string[];
  siteBase?: string;
  progress?: (done: number, total: number, label: string) => void;
  now?: () => Date;
}

export interface GradeRunSummary {
  students: number;
  graded: number;
  fromCache: number;
  rejected: number;
  flagged: number;
  files: { worksheet?: string; feedbackZip: string; summary: string; longCsv: string };
  views: StudentView[];
}

const CACHE_VERSION = 1;

function writeAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .trim();
}

/** Whether the manifest's name plausibly is the Moodle name (accents, case, apostrophes ignored). */
export function sameName(a: string, b: string): boolean {
  const ta = new Set(
    fold(a)
      .split(/\s+/)
      .filter((t) => t.length > 2),
  );
  const tb = new Set(
    fold(b)
      .split(/\s+/)
      .filter((t) => t.length > 2),
  );
  if (ta.size === 0 || tb.size === 0) return true;
  const common = [...ta].filter((t) => tb.has(t)).length;
  return common >= Math.min(2, ta.size, tb.size);
}

/** The Moodle folder name part for a feedback entry: no underscores (spec §2.7). */
function feedbackFolder(r: SubmissionResult): string {
  const clean = (t: string) => t.replace(/[_/\\]/g, ' ').trim();
  if (!r.participantId) {
    // Not from Moodle: named by the manifest, for the instructor's own use.
    const who = clean(r.manifest?.nome ?? '') || clean(r.key) || 'Estudante';
    return `${who}_${clean(r.manifest?.matricula ?? '') || '0'}_assignfeedback_file`;
  }
  return `${clean(r.moodleName) || 'Participante'}_${r.participantId}_assignfeedback_file`;
}

export async function gradeStudent(
  student: StudentInput,
  kitHashes: string[],
  siteBase: string,
): Promise<SubmissionResult> {
  const base: SubmissionResult = {
    key: student.key,
    participantId: student.participantId,
    moodleName: student.name,
    ignoredFiles: [],
    checks: [],
    flags: [],
    fingerprints: [],
    notes: student.otherPlugins.length
      ? [`Também havia ${student.otherPlugins.join(', ')} na entrega; só os arquivos são corrigidos.`]
      : [],
  };
  const sel = selectSubmission(student);
  if ('rejected' in sel) return { ...base, rejected: sel.rejected, ignoredFiles: sel.ignoredFiles };
  const sub = sel.ok;
  const result: SubmissionResult = {
    ...base,
    file: sub.file,
    ignoredFiles: sel.ok.ignoredFiles,
    manifest: {
      nome: sub.manifest.nome,
      matricula: sub.manifest.matricula,
      kitVersion: sub.manifest.kit.version,
      geradoEm: sub.manifest.geradoEm,
    },
    notes: [...base.notes, ...sub.notes],
  };
  try {
    const graded = await gradeParsed(sub, { acceptedHashes: kitHashes, siteBase });
    result.checks = graded.checks;
    result.fingerprints = graded.fingerprints;
    result.notes.push(...graded.notes);
    if (graded.checks.some((c) => c.verdict === 'ambiente'))
      result.flags.push({
        kind: 'evidencia',
        message: 'Alguma verificação deu "ambiente" no cluster simulado: confira à mão.',
      });
    for (const p of graded.reportProblems)
      result.flags.push({ kind: 'evidencia', message: `Relatório: ${p}.` });
  } catch (error) {
    // Never stop the class for one submission: it gets zero and the reason.
    result.rejected =
      error instanceof ZipRefused
        ? error.message
        : error instanceof ReplayTimeout
          ? 'A correção desta entrega passou do tempo limite no cluster simulado (por exemplo, uma aplicação com instâncias demais); corrija à mão.'
          : 'A entrega não pôde ser corrigida automaticamente (erro interno do corretor); corrija à mão.';
    result.flags.push({ kind: 'arquivo', message: `Não corrigida automaticamente: ${result.rejected}` });
    result.notes.push(`detalhes: ${error instanceof Error ? error.message : String(error)}`);
  }
  return result;
}

function cacheKey(student: StudentInput, kitHash: string): string {
  const h = createHash('sha256').update(`v${CACHE_VERSION}\n${kitHash}\n${student.key}\n`);
  for (const f of [...student.files].sort((a, b) => a.name.localeCompare(b.name))) {
    h.update(`${f.name}\n${f.size}\n`);
    if (f.size <= 50 * 1024 * 1024) h.update(f.read());
  }
  return h.digest('hex').slice(0, 32);
}

/** Flags that need the whole class: the same cluster evidence in two reports, one matrícula twice. */
export function classFlags(results: SubmissionResult[], worksheet?: Worksheet): void {
  const owners = new Map<string, SubmissionResult[]>();
  for (const r of results) for (const f of r.fingerprints) owners.set(f, [...(owners.get(f) ?? []), r]);
  const shared = new Map<SubmissionResult, Set<SubmissionResult>>();
  for (const list of owners.values()) {
    if (list.length < 2) continue;
    for (const r of list)
      for (const o of list) if (o !== r) shared.set(r, (shared.get(r) ?? new Set()).add(o));
  }
  for (const [r, others] of shared) {
    const names = [...others].map((o) => `${o.moodleName} (${o.participantId ?? o.key})`);
    r.flags.push({
      kind: 'copia',
      message: `O relatório traz a mesma evidência de cluster (ids de framework, tarefas ou implantações) que: ${names.join(', ')}.`,
      others: names,
    });
  }
  const byMatricula = new Map<string, SubmissionResult[]>();
  for (const r of results)
    if (r.manifest)
      byMatricula.set(r.manifest.matricula, [...(byMatricula.get(r.manifest.matricula) ?? []), r]);
  for (const [m, list] of byMatricula) {
    if (list.length < 2) continue;
    for (const r of list)
      r.flags.push({
        kind: 'identidade',
        message: `A matrícula ${m} aparece em ${list.length} entregas de estudantes diferentes.`,
      });
  }
  const rows = new Map<string, WorksheetRow>();
  for (const row of worksheet?.rows ?? []) if (row.participantId) rows.set(row.participantId, row);
  for (const r of results) {
    if (!r.manifest) continue;
    const row = r.participantId ? rows.get(r.participantId) : undefined;
    const moodleName = row?.fullName || (r.participantId ? r.moodleName : '');
    if (moodleName && !/^Participa/.test(moodleName) && !sameName(r.manifest.nome, moodleName)) {
      r.flags.push({
        kind: 'identidade',
        message: `O manifesto diz "${r.manifest.nome}", mas no Moodle a entrega é de "${moodleName}".`,
      });
    }
    const idCell = row
      ? Object.entries(row.cells).find(([h]) =>
          /matr[ií]cula|^ID number$|n[uú]mero de identifica/i.test(h),
        )?.[1]
      : undefined;
    if (idCell && idCell.trim() && idCell.trim() !== r.manifest.matricula) {
      r.flags.push({
        kind: 'identidade',
        message: `A matrícula do manifesto (${r.manifest.matricula}) não é a do Moodle (${idCell.trim()}).`,
      });
    }
  }
}

export async function runGrading(o: GradeRunOptions): Promise<GradeRunSummary> {
  const weights = o.weights ?? DEFAULT_WEIGHTS;
  const siteBase = o.siteBase ?? siteBaseUrl(process.env);
  const kitHash = checkCodeHash(o.root);
  const hashes = [kitHash, ...(o.extraHashes ?? [])];
  let input;
  try {
    input = readClassInput(o.input);
  } catch (error) {
    if (error instanceof ZipRefused) throw new LabError(error.message);
    throw error;
  }
  let worksheet: Worksheet | undefined;
  let worksheetText: string | undefined;
  if (o.worksheet) {
    worksheetText = readFileSync(o.worksheet, 'utf8');
    try {
      worksheet = parseWorksheet(worksheetText);
    } catch (error) {
      throw new LabError(
        `A planilha ${path.basename(o.worksheet)} não pôde ser lida: ${(error as Error).message}`,
      );
    }
  }
  const rowsById = new Map<string, WorksheetRow>();
  for (const row of worksheet?.rows ?? []) if (row.participantId) rowsById.set(row.participantId, row);

  mkdirSync(o.out, { recursive: true });
  const cacheDir = path.join(o.out, '.cache');
  mkdirSync(cacheDir, { recursive: true });

  const results: SubmissionResult[] = [];
  const statusOf = new Map<SubmissionResult, string[]>();
  let graded = 0;
  let fromCache = 0;
  const total = input.students.length;
  for (const [i, student] of input.students.entries()) {
    o.progress?.(i, total, student.name);
    const row = student.participantId ? rowsById.get(student.participantId) : undefined;
    const status: string[] = [];
    if (row && submissionState(row.status) === 'draft' && !o.gradeDrafts) {
      status.push(
        'Rascunho não enviado para avaliação — não corrigido. Clique em "Enviar tarefa" no Moodle.',
      );
      const r: SubmissionResult = {
        key: student.key,
        participantId: student.participantId,
        moodleName: student.name,
        ignoredFiles: [],
        checks: [],
        flags: [],
        fingerprints: [],
        notes: [],
      };
      results.push(r);
      statusOf.set(r, status);
      continue;
    }
    const file = path.join(cacheDir, `${cacheKey(student, kitHash)}.json`);
    let result: SubmissionResult | undefined;
    if (!o.redo && existsSync(file)) {
      try {
        result = JSON.parse(readFileSync(file, 'utf8')) as SubmissionResult;
        fromCache++;
      } catch {
        result = undefined;
      }
    }
    if (!result) {
      result = await gradeStudent(student, hashes, siteBase);
      writeAtomic(file, JSON.stringify(result));
      graded++;
    }
    if (row && isLate(row.status)) status.push(`Entrega com atraso (${row.status}).`);
    if (row && submissionState(row.status) === 'draft')
      status.push('Rascunho (não enviado), corrigido a pedido do professor.');
    results.push(result);
    statusOf.set(result, status);
  }
  o.progress?.(total, total, '');

  classFlags(results, worksheet);
  if (worksheet) {
    for (const r of results) {
      if (r.participantId && !rowsById.has(r.participantId)) {
        r.flags.push({
          kind: 'identidade',
          message:
            'A entrega está no arquivo baixado, mas não na planilha: a nota não vai para a planilha (baixe-a de novo).',
        });
      }
    }
  }
  const late = (r: SubmissionResult) => {
    const row = r.participantId ? rowsById.get(r.participantId) : undefined;
    return !!row && isLate(row.status);
  };
  const views: StudentView[] = results.map((r) => {
    const status = statusOf.get(r) ?? [];
    const isDraftSkipped = r.checks.length === 0 && !r.rejected && !r.file;
    return {
      result: r,
      grade: isDraftSkipped ? null : gradeOf(r, weights, LABS).grade,
      status,
      late: late(r),
    };
  });
  // Worksheet rows with no folder in the download: no submission.
  const seen = new Set(results.map((r) => r.participantId).filter(Boolean));
  for (const row of worksheet?.rows ?? []) {
    if (!row.participantId || seen.has(row.participantId)) continue;
    const r: SubmissionResult = {
      key: row.participantId,
      participantId: row.participantId,
      moodleName: row.fullName,
      ignoredFiles: [],
      checks: [],
      flags: [],
      fingerprints: [],
      notes: [],
    };
    views.push({
      result: r,
      grade: o.zeroMissing ? 0 : null,
      status: ['Nenhuma entrega encontrada no arquivo baixado do Moodle.'],
      late: false,
    });
  }

  const labTitles = Object.fromEntries(LABS.map((l) => [l.id, l.title]));
  const files: GradeRunSummary['files'] = {
    feedbackZip: path.join(o.out, 'feedback.zip'),
    summary: path.join(o.out, 'resumo.html'),
    longCsv: path.join(o.out, 'notas-por-verificacao.csv'),
  };
  const feedbackEntries: ZipEntry[] = views
    .filter((v) => v.result.participantId || v.result.file || v.result.rejected)
    .map((v) => ({
      name: `${feedbackFolder(v.result)}/correcao.html`,
      data: feedbackPage(v, weights, labTitles),
    }));
  writeAtomic(files.feedbackZip, createZip(feedbackEntries));
  const now = (o.now ?? (() => new Date()))();
  writeAtomic(
    files.summary,
    summaryPage(
      views,
      weights,
      LABS.flatMap((l) => l.checks.map((c) => c.id)),
      {
        when: now.toISOString(),
        input: path.basename(o.input),
        ignored: input.ignored,
      },
    ),
  );
  writeAtomic(
    files.longCsv,
    longCsv(
      views
        .filter((v) => v.grade !== null || v.result.rejected)
        .map((v) => ({ result: v.result, grade: v.grade ?? 0 })),
      weights,
    ),
  );
  if (worksheet && worksheetText !== undefined && o.worksheet) {
    const updates = new Map<number, WorksheetUpdate>();
    const byId = new Map(views.map((v) => [v.result.participantId, v]));
    for (const row of worksheet.rows) {
      const v = row.participantId ? byId.get(row.participantId) : undefined;
      if (!v) continue;
      updates.set(row.index, { grade: v.grade, feedback: worksheetComment(v, weights) });
    }
    files.worksheet = path.join(o.out, path.basename(o.worksheet));
    writeAtomic(files.worksheet, writeWorksheet(worksheet, updates));
  }
  return {
    students: views.length,
    graded,
    fromCache,
    rejected: views.filter((v) => v.result.rejected).length,
    flagged: views.filter((v) => v.result.flags.length > 0).length,
    files,
    views,
  };
}

export type { Flag };
