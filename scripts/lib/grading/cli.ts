// `npm run grade -- <entrada> [--worksheet <planilha.csv>] --out <pasta>`: arguments, progress bar
// and the closing report, in Portuguese. The work is in run.ts.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseWeights, type Weights } from '../../../src/grading/scoring.ts';
import { LabError } from '../cluster/backend.ts';
import { repoRoot } from '../env.ts';
import { consoleOutput, MARK, printError, type Output } from '../ui.ts';
import { runGrading } from './run.ts';

export interface GradeArgs {
  input: string;
  out: string;
  worksheet?: string;
  weights?: Weights;
  redo: boolean;
  gradeDrafts: boolean;
  zeroMissing: boolean;
  extraHashes: string[];
}

const USAGE =
  'Use: npm run grade -- <arquivo-do-moodle.zip ou pasta> [--worksheet <planilha.csv>] --out <pasta> ' +
  '[--pesos <pesos.json>] [--refazer] [--corrigir-rascunhos] [--zerar-ausentes] [--aceitar-hash <sha256:…>]';

export function parseGradeArgs(argv: readonly string[]): GradeArgs {
  const args: Partial<GradeArgs> & { extraHashes: string[] } = {
    redo: false,
    gradeDrafts: false,
    zeroMissing: false,
    extraHashes: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    const value = () => {
      const v = m?.[2] ?? argv[++i];
      if (v === undefined) throw new LabError(`Falta o valor de ${a}. ${USAGE}`);
      return v;
    };
    if (!m) {
      if (args.input) throw new LabError(`Só uma entrada por vez: recebi "${args.input}" e "${a}". ${USAGE}`);
      args.input = a;
    } else if (m[1] === 'out' || m[1] === 'saida') args.out = value();
    else if (m[1] === 'worksheet' || m[1] === 'planilha') args.worksheet = value();
    else if (m[1] === 'pesos' || m[1] === 'weights') {
      const file = value();
      try {
        args.weights = parseWeights(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new LabError(`O arquivo de pesos ${file} não pôde ser lido: ${(error as Error).message}`);
      }
    } else if (m[1] === 'refazer') args.redo = true;
    else if (m[1] === 'corrigir-rascunhos') args.gradeDrafts = true;
    else if (m[1] === 'zerar-ausentes') args.zeroMissing = true;
    else if (m[1] === 'aceitar-hash') args.extraHashes.push(value());
    else throw new LabError(`A opção ${a} não existe. ${USAGE}`);
  }
  if (!args.input) throw new LabError(`Falta a entrada. ${USAGE}`);
  if (!args.out) throw new LabError(`Falta a pasta de saída (--out). ${USAGE}`);
  if (!existsSync(args.input)) throw new LabError(`A entrada ${args.input} não existe.`);
  if (args.worksheet && !existsSync(args.worksheet))
    throw new LabError(`A planilha ${args.worksheet} não existe.`);
  return args as GradeArgs;
}

/** A one-line progress bar on a terminal, a line every 10 students elsewhere. */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY;
  let lastLine = -1;
  return (done: number, total: number, label: string) => {
    if (total === 0) return;
    if (tty) {
      const width = 30;
      const filled = Math.round((width * done) / total);
      const text = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}`.slice(
        0,
        100,
      );
      stream.write(`\r${text.padEnd(100)}`);
      if (done === total) stream.write('\n');
    } else if (done === total || Math.floor(done / 10) !== lastLine) {
      lastLine = Math.floor(done / 10);
      stream.write(`corrigindo: ${done} de ${total}\n`);
    }
  };
}

export async function runGradeCommand(
  argv: readonly string[],
  output: Output = consoleOutput,
): Promise<number> {
  try {
    const args = parseGradeArgs(argv);
    const started = Date.now();
    const s = await runGrading({
      root: repoRoot(),
      input: args.input,
      out: args.out,
      worksheet: args.worksheet,
      weights: args.weights,
      redo: args.redo,
      gradeDrafts: args.gradeDrafts,
      zeroMissing: args.zeroMissing,
      extraHashes: args.extraHashes,
      progress: progressPrinter(),
    });
    const rel = (f: string) => {
      const r = path.relative(process.cwd(), f);
      return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : path.resolve(f);
    };
    output.out(
      `${MARK.ok} ${s.students} estudantes: ${s.graded} corrigidos agora, ${s.fromCache} já corrigidos antes, ` +
        `${s.rejected} com nota zero por arquivo inválido, ${s.flagged} sinalizados (${((Date.now() - started) / 1000).toFixed(1).replace('.', ',')} s).`,
    );
    if (s.files.worksheet)
      output.out(
        `  Planilha para "Carregar planilha de notas": ${rel(s.files.worksheet)} (no Moodle em português, marque "permitir atualizar registros modificados").`,
      );
    output.out(`  Feedback para "Enviar vários arquivos de feedback em um zip": ${rel(s.files.feedbackZip)}`);
    output.out(`  Resumo da turma: ${rel(s.files.summary)}`);
    output.out(`  Uma linha por verificação: ${rel(s.files.longCsv)}`);
    return 0;
  } catch (error) {
    return printError(error, output);
  }
}
