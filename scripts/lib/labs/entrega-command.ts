// `npm run entrega`: asks once for name and matrícula (kept in .lab/ at once), then packs every lab's
// respostas/, the last report and a manifest into one zip in entrega/ — the file that goes to Moodle.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { LABS } from '../../../labs/index.ts';
import { matriculaProblem } from '../../../src/labs/params.ts';
import { LabError } from '../cluster/backend.ts';
import { loadEnv, repoRoot } from '../env.ts';
import { readKitState, stateDir as resolveStateDir } from '../state.ts';
import { consoleOutput, MARK, printError, type Output } from '../ui.ts';
import {
  answersFolder,
  entregaDir,
  kitVersion,
  listFiles,
  readReport,
  readStudent,
  reportFile,
  writeStudent,
  type Student,
} from './files.ts';
import { checkCodeHash } from './hash.ts';
import { createZip, type ZipEntry } from './zip.ts';

export interface EntregaArgs {
  nome?: string;
  matricula?: string;
}

export function parseEntregaArgs(argv: readonly string[]): EntregaArgs {
  const out: EntregaArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--(nome|matricula|matrícula)(?:=(.*))?$/.exec(a);
    if (!m) throw new LabError(`A opção ${a} não existe. Use --nome "Seu Nome" e --matricula 21100123.`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new LabError(`Falta o valor de --${m[1]}.`);
    if (m[1] === 'nome') out.nome = value.trim();
    else out.matricula = value.trim();
  }
  return out;
}

export interface Manifest {
  nome: string;
  matricula: string;
  kit: { name: string; version: string };
  geradoEm: string;
  backend: string;
  checkCodeHash: string;
  arquivos: string[];
  faltando: string[];
}

/** Asks on the terminal for what is missing; without a terminal, the flags must bring it. */
export async function completeStudent(
  stored: Student,
  args: EntregaArgs,
  interactive: boolean,
  ask?: (question: string) => Promise<string>,
  /** Called as soon as something new is known, so it is kept even if the student stops here. */
  save: (student: Student) => void = () => {},
): Promise<Student> {
  const student: Student = { ...stored };
  if (args.nome) student.nome = args.nome;
  if (args.matricula) student.matricula = args.matricula;
  if ((!student.nome || !student.matricula) && !interactive) {
    throw new LabError(
      'Faltam o seu nome e a sua matrícula. Sem um terminal interativo, informe-os assim: ' +
        'npm run entrega -- --nome "Seu Nome" --matricula 21100123',
    );
  }
  if (args.nome || args.matricula) save(student);
  while (!student.nome) {
    student.nome = (await ask!('Seu nome completo: ')).trim();
    if (student.nome) save(student);
  }
  while (!student.matricula || matriculaProblem(student.matricula)) {
    if (student.matricula) {
      const problem = matriculaProblem(student.matricula)!;
      if (!interactive) throw new LabError(problem);
      console.log(problem);
    }
    student.matricula = (await ask!('Sua matrícula (só os algarismos): ')).trim();
    if (!matriculaProblem(student.matricula)) save(student);
  }
  return student;
}

export interface PackResult {
  archive: string;
  manifest: Manifest;
}

export function pack(
  root: string,
  stateDir: string,
  student: Required<Student>,
  now = new Date(),
): PackResult {
  const entries: ZipEntry[] = [];
  const faltando: string[] = [];
  const report = readReport(root);
  if (!report) {
    faltando.push('Ainda não há relatório: rode npm run check antes da entrega.');
  } else {
    entries.push({ name: 'relatorio.json', data: readFileSync(reportFile(root)) });
    if (report.matricula !== student.matricula) {
      faltando.push(
        `O relatório foi feito para a matrícula ${report.matricula}, não para ${student.matricula}: rode npm run check de novo.`,
      );
    }
  }
  for (const lab of LABS) {
    const dir = answersFolder(root, lab);
    const files = listFiles(dir);
    for (const f of files) {
      entries.push({ name: `labs/${lab.slug}/respostas/${f}`, data: readFileSync(path.join(dir, f)) });
    }
    const labChecks = report?.checks.filter((c) => c.lab === lab.id) ?? [];
    if (files.length === 0) faltando.push(`O laboratório ${lab.id} não tem arquivos em respostas/.`);
    else if (report && labChecks.length === 0)
      faltando.push(`O laboratório ${lab.id} ainda não foi verificado (npm run check -- ${lab.id}).`);
    else if (report && labChecks.every((c) => c.verdict !== 'passou')) {
      faltando.push(`O laboratório ${lab.id} não tem nenhuma verificação aprovada.`);
    }
  }
  const manifest: Manifest = {
    nome: student.nome,
    matricula: student.matricula,
    kit: kitVersion(root),
    geradoEm: now.toISOString(),
    backend: report?.backend ?? readKitState(stateDir).backend ?? 'desconhecido',
    checkCodeHash: checkCodeHash(root),
    arquivos: entries.map((e) => e.name),
    faltando,
  };
  entries.unshift({ name: 'manifesto.json', data: JSON.stringify(manifest, null, 2) + '\n' });
  mkdirSync(entregaDir(root), { recursive: true });
  const archive = path.join(entregaDir(root), `entrega-${student.matricula}.zip`);
  writeFileSync(archive, createZip(entries.map((e) => ({ ...e, mtime: now }))));
  return { archive, manifest };
}

export async function runEntregaCommand(
  argv: readonly string[],
  output: Output = consoleOutput,
  interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY),
): Promise<number> {
  try {
    const args = parseEntregaArgs(argv);
    const root = repoRoot();
    loadEnv(root);
    const stateDir = resolveStateDir(root);
    if (args.matricula && matriculaProblem(args.matricula))
      throw new LabError(matriculaProblem(args.matricula)!);
    const rl = interactive ? createInterface({ input: process.stdin, output: process.stdout }) : undefined;
    let student: Student;
    try {
      student = await completeStudent(
        readStudent(stateDir),
        args,
        interactive,
        (q) => rl!.question(q),
        (s) => writeStudent(stateDir, s),
      );
    } finally {
      rl?.close();
    }
    writeStudent(stateDir, student);
    const { archive, manifest } = pack(root, stateDir, student as Required<Student>);
    output.out(
      `${MARK.ok} Entrega de ${manifest.nome} (${manifest.matricula}) gravada em ${path.relative(root, archive)}.`,
    );
    output.out(
      `  ${manifest.arquivos.length} arquivos: o relatório, o manifesto e as respostas de cada laboratório.`,
    );
    if (manifest.faltando.length) {
      output.out(`${MARK.warn} Atenção, falta coisa:`);
      for (const f of manifest.faltando) output.out(`  - ${f}`);
    }
    output.out('Envie esse arquivo no Moodle, na tarefa da disciplina.');
    return 0;
  } catch (error) {
    return printError(error, output);
  }
}
