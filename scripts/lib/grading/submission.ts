// From a student's files to the one `entrega` archive that is graded: every .zip is opened safely,
// those with a manifest are candidates, the newest (manifest date, then upload time) is graded, and
// the others are named in the feedback. The archive's content is read into memory only.
import { LABS } from '../../../labs/index.ts';
import type { Report } from '../../../src/labs/report.ts';
import type { LabId } from '../../../src/labs/types.ts';
import type { InputFile, StudentInput } from './input.ts';
import { readZipSafely, SUBMISSION_LIMITS, ZipRefused } from './safe-zip.ts';

export interface Manifest {
  nome: string;
  matricula: string;
  kit: { name: string; version: string };
  geradoEm: string;
  backend?: string;
  checkCodeHash: string;
  arquivos?: string[];
  faltando?: string[];
}

export interface ParsedSubmission {
  file: string;
  bytes: Buffer;
  manifest: Manifest;
  report?: Report;
  /** Why the report could not be read (it then counts as absent). */
  reportProblem?: string;
  answers: Map<LabId, Map<string, string>>;
  ignoredFiles: string[];
  notes: string[];
}

export type Selection = { ok: ParsedSubmission } | { rejected: string; ignoredFiles: string[] };

function parseManifest(text: string): Manifest | undefined {
  try {
    const m = JSON.parse(text) as Partial<Manifest>;
    if (typeof m.nome !== 'string' || typeof m.matricula !== 'string' || typeof m.geradoEm !== 'string')
      return undefined;
    return {
      nome: m.nome,
      matricula: m.matricula,
      kit: { name: String(m.kit?.name ?? ''), version: String(m.kit?.version ?? '') },
      geradoEm: m.geradoEm,
      backend: typeof m.backend === 'string' ? m.backend : undefined,
      checkCodeHash: String(m.checkCodeHash ?? ''),
      arquivos: Array.isArray(m.arquivos) ? m.arquivos.map(String) : undefined,
      faltando: Array.isArray(m.faltando) ? m.faltando.map(String) : undefined,
    };
  } catch {
    return undefined;
  }
}

interface Candidate {
  file: InputFile;
  bytes: Buffer;
  entries: { name: string; data: Buffer }[];
  manifest: Manifest;
}

const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Picks and reads the archive to grade. A zero with a Portuguese reason when there is none. */
export function selectSubmission(student: StudentInput): Selection {
  const reasons: string[] = [];
  const candidates: Candidate[] = [];
  const ignoredFiles: string[] = [];
  for (const file of student.files) {
    if (!/\.zip$/i.test(file.name)) {
      ignoredFiles.push(`${file.name} (não é um arquivo .zip)`);
      continue;
    }
    if (file.size > MAX_FILE_BYTES) {
      const why = `${file.name} tem ${Math.round(file.size / 1024 / 1024)} MiB, mais que o limite de 20 MiB`;
      reasons.push(why);
      ignoredFiles.push(why);
      continue;
    }
    try {
      const bytes = file.read();
      const entries = readZipSafely(bytes, SUBMISSION_LIMITS);
      const m = entries.find((e) => e.name === 'manifesto.json');
      const manifest = m ? parseManifest(m.data.toString('utf8')) : undefined;
      if (!manifest) {
        const why = `${file.name} não é um arquivo gerado por npm run entrega (falta o manifesto.json)`;
        reasons.push(why);
        ignoredFiles.push(why);
        continue;
      }
      candidates.push({ file, bytes, entries, manifest });
    } catch (error) {
      const why =
        error instanceof ZipRefused
          ? `${file.name}: ${error.message}`
          : `${file.name}: o arquivo não pôde ser lido`;
      reasons.push(why);
      ignoredFiles.push(why);
    }
  }
  if (candidates.length === 0) {
    const base =
      student.files.length === 0
        ? 'A entrega não tem nenhum arquivo.'
        : 'Nenhum arquivo da entrega pôde ser corrigido.';
    return { rejected: [base, ...reasons].join(' '), ignoredFiles };
  }
  const time = (c: Candidate) => {
    const t = Date.parse(c.manifest.geradoEm);
    return Number.isNaN(t) ? c.file.mtime.getTime() : t;
  };
  candidates.sort((a, b) => time(b) - time(a) || b.file.mtime.getTime() - a.file.mtime.getTime());
  const chosen = candidates[0];
  for (const other of candidates.slice(1)) {
    ignoredFiles.push(`${other.file.name} (entrega mais antiga, gerada em ${other.manifest.geradoEm})`);
  }
  return { ok: parseContent(chosen, ignoredFiles) };
}

function parseContent(c: Candidate, ignoredFiles: string[]): ParsedSubmission {
  const answers = new Map<LabId, Map<string, string>>();
  const notes: string[] = [];
  let report: Report | undefined;
  let reportProblem: string | undefined;
  for (const e of c.entries) {
    if (e.name === 'relatorio.json') {
      try {
        report = JSON.parse(e.data.toString('utf8')) as Report;
        const wellFormed =
          !!report &&
          typeof report === 'object' &&
          Array.isArray(report.checks) &&
          report.checks.every((c) => !!c && typeof c === 'object' && typeof c.id === 'string') &&
          (report.evidence === undefined ||
            (typeof report.evidence === 'object' && report.evidence !== null));
        if (!wellFormed) {
          report = undefined;
          reportProblem = 'relatorio.json não tem o formato do kit.';
        }
      } catch {
        reportProblem = 'relatorio.json não é um JSON válido.';
      }
      continue;
    }
    const m = /^labs\/([^/]+)\/respostas\/(.+)$/.exec(e.name);
    if (!m) continue;
    const lab = LABS.find((l) => l.slug === m[1]);
    if (!lab) continue;
    let files = answers.get(lab.id);
    if (!files) answers.set(lab.id, (files = new Map()));
    files.set(m[2], e.data.toString('utf8'));
  }
  if (!report && !reportProblem)
    reportProblem = 'A entrega não tem o relatorio.json (rode npm run check antes da entrega).';
  if (reportProblem) notes.push(reportProblem);
  return {
    file: c.file.name,
    bytes: c.bytes,
    manifest: c.manifest,
    report,
    reportProblem,
    answers,
    ignoredFiles,
    notes,
  };
}
