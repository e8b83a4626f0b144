// Moodle's offline grading worksheet (shared/specs/moodle-formats.md §2): parsed keeping every byte,
// so that writing it back changes only the Grade and Feedback comments cells of the rows we grade.
// Isomorphic: strings in, strings out.

export interface CsvField {
  /** The field as it is in the file, quotes included. */
  raw: string;
  value: string;
}

export interface CsvRecord {
  fields: CsvField[];
  /** The line ending that closed this record ('' for the last one without it). */
  eol: string;
}

const BOM = '\uFEFF';

/** RFC 4180 with any line ending, keeping each field's raw text and each record's line ending. */
export function parseCsv(text: string, delimiter = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: CsvField[] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) return records;
  for (;;) {
    const start = i;
    let value = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) break;
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      // Anything after the closing quote up to the delimiter stays in the raw text (lenient).
      while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
    } else {
      while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
    }
    fields.push({ raw: text.slice(start, i), value });
    if (i < n && text[i] === delimiter) {
      i++;
      continue;
    }
    let eol = '';
    if (text[i] === '\r' && text[i + 1] === '\n') eol = '\r\n';
    else if (text[i] === '\r' || text[i] === '\n') eol = text[i];
    i += eol.length;
    records.push({ fields, eol });
    fields = [];
    if (i >= n) break;
  }
  return records;
}

/** Quotes a field the way PHP's fputcsv does (Moodle's writer): only when it needs it. */
export function encodeField(value: string, delimiter = ','): string {
  if (value === '') return '';
  if (/[\s"\\]/.test(value) || value.includes(delimiter)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

export type WorksheetLanguage = 'en' | 'pt_br';

const HEADERS = {
  identifier: ['Identifier', 'Identificador'],
  fullName: ['Full name', 'Nome completo'],
  status: ['Status'],
  grade: ['Grade', 'Nota'],
  maxGrade: ['Maximum Grade', 'Nota máxima'],
  feedback: ['Feedback comments', 'Comentários de feedback'],
  email: ['Email address', 'Endereço de email', 'Endereço de e-mail', 'E-mail'],
} as const;

export interface WorksheetRow {
  index: number;
  /** Participant id: the digits at the end of the Identifier cell. */
  participantId?: string;
  identifier: string;
  fullName: string;
  email: string;
  status: string;
  maxGrade?: number;
  /** Every cell by header text (for extra columns such as an ID number). */
  cells: Record<string, string>;
}

export interface Worksheet {
  bom: boolean;
  language: WorksheetLanguage;
  header: string[];
  columns: {
    identifier: number;
    grade: number;
    feedback: number;
    status: number;
    maxGrade: number;
    fullName: number;
    email: number;
  };
  decimalSeparator: '.' | ',';
  rows: WorksheetRow[];
  records: CsvRecord[];
}

export class WorksheetError extends Error {}

function findColumn(header: string[], names: readonly string[]): number {
  const norm = header.map((h) => h.normalize('NFC').trim());
  for (const name of names) {
    const i = norm.indexOf(name.normalize('NFC'));
    if (i >= 0) return i;
  }
  return -1;
}

/** Reads a worksheet as Moodle wrote it (UTF-8, BOM or not, English or Portuguese headers). */
export function parseWorksheet(text: string): Worksheet {
  const bom = text.startsWith(BOM);
  const body = bom ? text.slice(1) : text;
  const records = parseCsv(body);
  if (records.length === 0) throw new WorksheetError('A planilha está vazia.');
  const header = records[0].fields.map((f) => f.value);
  const columns = {
    identifier: findColumn(header, HEADERS.identifier),
    grade: findColumn(header, HEADERS.grade),
    feedback: findColumn(header, HEADERS.feedback),
    status: findColumn(header, HEADERS.status),
    maxGrade: findColumn(header, HEADERS.maxGrade),
    fullName: findColumn(header, HEADERS.fullName),
    email: findColumn(header, HEADERS.email),
  };
  if (columns.identifier < 0 || columns.grade < 0) {
    throw new WorksheetError(
      'A planilha não tem as colunas "Identifier"/"Identificador" e "Grade"/"Nota": ela é a planilha de notas da tarefa no Moodle?',
    );
  }
  const language: WorksheetLanguage = header[columns.identifier] === 'Identificador' ? 'pt_br' : 'en';
  const rows: WorksheetRow[] = [];
  let comma = 0;
  let dot = 0;
  for (let r = 1; r < records.length; r++) {
    const f = records[r].fields;
    if (f.length === 1 && f[0].value === '') continue; // a trailing empty line
    const cell = (c: number) => (c >= 0 && c < f.length ? f[c].value : '');
    const identifier = cell(columns.identifier);
    const max = cell(columns.maxGrade).trim();
    if (/^\d+,\d+$/.test(max)) comma++;
    else if (/^\d+\.\d+$/.test(max)) dot++;
    const maxGrade = max === '' ? undefined : Number(max.replace(',', '.'));
    rows.push({
      index: r,
      participantId: /(\d+)\s*$/.exec(identifier)?.[1],
      identifier,
      fullName: cell(columns.fullName),
      email: cell(columns.email),
      status: cell(columns.status),
      maxGrade: maxGrade !== undefined && Number.isFinite(maxGrade) ? maxGrade : undefined,
      cells: Object.fromEntries(header.map((h, c) => [h, cell(c)])),
    });
  }
  const decimalSeparator = comma > dot || (comma === dot && language === 'pt_br') ? ',' : '.';
  return { bom, language, header, columns, decimalSeparator, rows, records };
}

/** A grade as Moodle's worksheet writes it: two decimals, the worksheet's separator. */
export function formatGrade(grade: number, separator: '.' | ','): string {
  const fixed = (Math.round(grade * 100) / 100).toFixed(2);
  return separator === ',' ? fixed.replace('.', ',') : fixed;
}

/** Submission state from the Status cell (display text, English or Portuguese; spec §2.4). */
export function submissionState(status: string): 'submitted' | 'draft' | 'none' | 'reopened' | 'unknown' {
  const s = status.trim().toLowerCase();
  if (s.startsWith('submitted for grading') || s.startsWith('enviado para avalia')) return 'submitted';
  if (s.startsWith('draft') || s.startsWith('rascunho')) return 'draft';
  if (s.startsWith('no submission') || s.startsWith('nenhum envio')) return 'none';
  if (s.startsWith('reopened') || s.startsWith('reaberto')) return 'reopened';
  return 'unknown';
}

/** Whether the Status cell says the submission was late ("… late" / "… atrasado"/"em atraso"). */
export function isLate(status: string): boolean {
  return /\blate\b|atras/i.test(status);
}

export interface WorksheetUpdate {
  /** The grade, or null to leave the cell as it came. */
  grade: number | null;
  /** HTML for the Feedback comments cell, or null to leave it. */
  feedback: string | null;
}

/**
 * The worksheet with Grade and Feedback comments filled in: every other byte as it came (BOM,
 * header, other cells, quoting, line endings). Grades are capped at the row's maximum and never
 * negative; rows without an update are left untouched.
 */
export function writeWorksheet(ws: Worksheet, updates: Map<number, WorksheetUpdate>): string {
  const out: string[] = [ws.bom ? BOM : ''];
  for (let r = 0; r < ws.records.length; r++) {
    const record = ws.records[r];
    const update = updates.get(r);
    const fields = record.fields.map((f) => f.raw);
    if (update && fields.length === ws.header.length) {
      const row = ws.rows.find((x) => x.index === r);
      if (update.grade !== null) {
        const max = row?.maxGrade ?? Number.POSITIVE_INFINITY;
        const g = Math.max(0, Math.min(update.grade, max));
        fields[ws.columns.grade] = encodeField(formatGrade(g, ws.decimalSeparator));
      }
      if (update.feedback !== null && ws.columns.feedback >= 0) {
        fields[ws.columns.feedback] = encodeField(safeFeedback(update.feedback));
      }
    }
    out.push(fields.join(','), record.eol);
  }
  return out.join('');
}

/** Moodle reads the file with fgetcsv, whose escape is the backslash: keep `\` away from quotes. */
function safeFeedback(html: string): string {
  return html.replace(/\r?\n/g, ' ').replace(/\\/g, '&#92;');
}
