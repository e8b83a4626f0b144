// Where the labs' things live on disk: each lab's respostas/, the student's data and the checklist's
// evidence in the state folder (.lab/), and the report and archive in entrega/.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { EvidenceLog } from '../../../src/labs/evidence.ts';
import type { FailureCounts } from '../../../src/labs/runner.ts';
import type { Report } from '../../../src/labs/report.ts';
import type { AnswerFiles, LabDefinition, LabId } from '../../../src/labs/types.ts';
import { readJsonFile, writeFileAtomic } from '../../../src/sim/node/file-store.ts';

export function labFolder(root: string, lab: LabDefinition): string {
  return path.join(root, 'labs', lab.slug);
}

export function answersFolder(root: string, lab: LabDefinition): string {
  return path.join(labFolder(root, lab), 'respostas');
}

/** Files of a folder, recursively, as relative paths with forward slashes. */
export function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full, `${prefix}${name}/`));
    else out.push(`${prefix}${name}`);
  }
  return out;
}

export function folderAnswers(dir: string): AnswerFiles {
  return {
    read(name) {
      const file = path.join(dir, name);
      if (!file.startsWith(dir + path.sep) || !existsSync(file)) return undefined;
      return readFileSync(file, 'utf8');
    },
    list: () => listFiles(dir),
  };
}

export interface Student {
  nome?: string;
  matricula?: string;
}

export function studentFile(stateDir: string): string {
  return path.join(stateDir, 'aluno.json');
}

export function readStudent(stateDir: string): Student {
  return readJsonFile<Student>(studentFile(stateDir)) ?? {};
}

export function writeStudent(stateDir: string, student: Student): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileAtomic(studentFile(stateDir), JSON.stringify(student, null, 2) + '\n');
}

export function readFailures(stateDir: string): FailureCounts {
  return readJsonFile<FailureCounts>(path.join(stateDir, 'tentativas.json')) ?? {};
}

export function writeFailures(stateDir: string, failures: FailureCounts): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileAtomic(path.join(stateDir, 'tentativas.json'), JSON.stringify(failures, null, 2) + '\n');
}

export function evidenceFile(stateDir: string, lab: LabId): string {
  return path.join(stateDir, 'evidencias', `${lab}.json`);
}

export function readEvidence(stateDir: string, lab: LabId): EvidenceLog | undefined {
  return readJsonFile<EvidenceLog>(evidenceFile(stateDir, lab));
}

export function writeEvidence(stateDir: string, lab: LabId, log: EvidenceLog): void {
  mkdirSync(path.join(stateDir, 'evidencias'), { recursive: true });
  writeFileAtomic(evidenceFile(stateDir, lab), JSON.stringify(log) + '\n');
}

export function entregaDir(root: string): string {
  return path.join(root, 'entrega');
}

export function reportFile(root: string): string {
  return path.join(entregaDir(root), 'relatorio.json');
}

export function readReport(root: string): Report | undefined {
  return readJsonFile<Report>(reportFile(root));
}

export function writeReport(root: string, report: Report): void {
  mkdirSync(entregaDir(root), { recursive: true });
  writeFileAtomic(reportFile(root), JSON.stringify(report, null, 2) + '\n');
}

export function kitVersion(root: string): { name: string; version: string } {
  const pkg = readJsonFile<{ name?: string; version?: string }>(path.join(root, 'package.json')) ?? {};
  return { name: pkg.name ?? 'laboratorio-mesos', version: pkg.version ?? '0.0.0' };
}
