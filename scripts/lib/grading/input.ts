// What the instructor hands to `npm run grade`: Moodle's "Download all submissions" zip (folders on
// or off, the pre-4.1 trailing underscore, UTF-8 names) or a folder — of Moodle's extracted tree, or
// of student folders or archives. Students are keyed by Moodle's participant id when there is one
// (shared/specs/moodle-formats.md §1.2, §4.1), never by name. Nothing is extracted to disk, and
// links in an input folder are never followed.
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { listZip, MOODLE_LIMITS, readEntry, ZipRefused } from './safe-zip.ts';

export interface InputFile {
  /** Path inside the student's submission (Moodle's file area), with forward slashes. */
  name: string;
  size: number;
  mtime: Date;
  read(): Buffer;
}

export interface StudentInput {
  /** Participant id for Moodle inputs, else the folder or file name. */
  key: string;
  participantId?: string;
  /** Name as Moodle wrote it in the folder name (apostrophes removed), or the folder name. */
  name: string;
  files: InputFile[];
  /** A submission plugin other than file (online text): noted, not graded. */
  otherPlugins: string[];
}

export interface ClassInput {
  students: StudentInput[];
  /** Entries that name no student, kept for the summary. */
  ignored: string[];
}

// §4.1: name, participant id, plugin type, plugin name; then a folder (4.1+, or pre-4.1 with `_/`) or
// a flattened file name.
const MOODLE_PATH = /^([^_/]*)_(\d+)_(assignsubmission|assignfeedback)_([a-z0-9]+)(?:_?\/(.+)|_(.+))$/u;
const MOODLE_FOLDER = /^([^_/]*)_(\d+)_(assignsubmission|assignfeedback)_([a-z0-9]+)_?$/u;

export function parseMoodlePath(
  entry: string,
): { name: string; id: string; plugin: string; file: string } | undefined {
  const m = MOODLE_PATH.exec(entry.normalize('NFC'));
  if (!m || m[3] !== 'assignsubmission') return undefined;
  return { name: m[1], id: m[2], plugin: m[4], file: m[5] ?? m[6] };
}

class Collector {
  private readonly byKey = new Map<string, StudentInput>();
  readonly ignored: string[] = [];

  student(key: string, name: string, participantId?: string): StudentInput {
    let s = this.byKey.get(key);
    if (!s) {
      s = { key, participantId, name, files: [], otherPlugins: [] };
      this.byKey.set(key, s);
    }
    return s;
  }

  add(entry: string, file: Omit<InputFile, 'name'>): void {
    const m = parseMoodlePath(entry);
    if (!m) {
      this.ignored.push(entry);
      return;
    }
    const s = this.student(m.id, m.name, m.id);
    if (m.plugin !== 'file') {
      if (!s.otherPlugins.includes(m.plugin)) s.otherPlugins.push(m.plugin);
      return;
    }
    s.files.push({ name: m.file, ...file });
  }

  result(): ClassInput {
    return { students: [...this.byKey.values()], ignored: this.ignored };
  }
}

/** Moodle's bulk-download zip, or one student's `entrega` archive given alone. */
export function readInputZip(file: string): ClassInput {
  const zip = readFileSync(file);
  const entries = listZip(zip, MOODLE_LIMITS);
  const c = new Collector();
  if (entries.some((e) => e.name === 'manifesto.json')) {
    // A single `npm run entrega` archive: one student, named by the file.
    const base = path.basename(file).replace(/\.zip$/i, '');
    const s = c.student(base, base);
    const stat = statSync(file);
    s.files.push({ name: path.basename(file), size: zip.length, mtime: stat.mtime, read: () => zip });
    return c.result();
  }
  for (const e of entries) {
    if (e.isDirectory) continue;
    c.add(e.name, { size: e.size, mtime: e.mtime, read: () => readEntry(zip, e) });
  }
  return c.result();
}

function walk(dir: string, prefix: string, out: { rel: string; full: string }[], skipped: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const st = lstatSync(full);
    const rel = prefix + name.normalize('NFC');
    if (st.isSymbolicLink()) skipped.push(`${rel} (link simbólico, não seguido)`);
    else if (st.isDirectory()) walk(full, `${rel}/`, out, skipped);
    else if (st.isFile()) out.push({ rel, full });
  }
}

function diskFile(rel: string, full: string): Omit<InputFile, 'name'> & { rel: string } {
  const st = statSync(full);
  return { rel, size: st.size, mtime: st.mtime, read: () => readFileSync(full) };
}

/** A folder: Moodle's tree extracted, or one folder or archive per student. */
export function readInputFolder(dir: string): ClassInput {
  const c = new Collector();
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const st = lstatSync(full);
    const n = name.normalize('NFC');
    if (st.isSymbolicLink()) {
      c.ignored.push(`${n} (link simbólico, não seguido)`);
      continue;
    }
    if (st.isDirectory()) {
      const files: { rel: string; full: string }[] = [];
      walk(full, '', files, c.ignored);
      if (MOODLE_FOLDER.test(n)) {
        for (const f of files) c.add(`${n}/${f.rel}`, diskFile(f.rel, f.full));
      } else {
        const s = c.student(n, n);
        for (const f of files) {
          const d = diskFile(f.rel, f.full);
          s.files.push({ name: f.rel, size: d.size, mtime: d.mtime, read: d.read });
        }
      }
    } else if (st.isFile()) {
      if (parseMoodlePath(n)) c.add(n, diskFile(n, full));
      else if (/\.zip$/i.test(n)) {
        const s = c.student(n.replace(/\.zip$/i, ''), n.replace(/\.zip$/i, ''));
        const d = diskFile(n, full);
        s.files.push({ name: n, size: d.size, mtime: d.mtime, read: d.read });
      } else c.ignored.push(n);
    }
  }
  return c.result();
}

export function readClassInput(input: string): ClassInput {
  const st = statSync(input);
  if (st.isDirectory()) return readInputFolder(input);
  try {
    return readInputZip(input);
  } catch (error) {
    if (error instanceof ZipRefused) {
      throw new ZipRefused(
        error.problem,
        `O arquivo ${path.basename(input)} não pôde ser lido: ${error.message}`,
      );
    }
    throw error;
  }
}
