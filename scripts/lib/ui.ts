// How the kit's commands talk to people: Portuguese lines, ✔ ✘ ⚠ marks, aligned tables,
// and errors without stack traces (a LabError's text, then its "detalhes:" line).
import { LabError } from './cluster/backend.ts';

export const MARK = { ok: '✔', fail: '✘', warn: '⚠' } as const;

/** Display width: accented letters in NFC count one; combining marks count zero. */
export function width(s: string): number {
  return [...s.normalize('NFC')].filter((ch) => !/\p{M}/u.test(ch)).length;
}

function pad(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - width(s)));
}

/** A plain-text table: a header row, then rows, columns aligned with two spaces between. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  indent = '  ',
): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const render = (cells: readonly string[]) =>
    (indent + cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]))).join('  ')).trimEnd();
  return [render(headers), ...rows.map(render)].join('\n');
}

/** Decimal seconds the Brazilian way: 1,2 s */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1).replace('.', ',')} s`;
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

let pipesGuarded = false;

/** `npm run cluster -- status | head` closes the pipe early: stop quietly instead of crashing. */
function guardPipes(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
}

export const consoleOutput: Output = {
  out: (line) => {
    guardPipes();
    process.stdout.write(line + '\n');
  },
  err: (line) => {
    guardPipes();
    process.stderr.write(line + '\n');
  },
};

/** Prints an error for a person and returns the exit code to use. */
export function printError(error: unknown, output: Output = consoleOutput): number {
  if (error instanceof LabError) {
    output.err(`${MARK.fail} ${error.message}`);
    if (error.details) output.err(`  detalhes: ${oneLine(error.details)}`);
    return error.exitCode || 1;
  }
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  output.err(`${MARK.fail} Algo deu errado de um jeito que o kit não esperava.`);
  output.err('  Tente de novo; se o erro continuar, mostre esta mensagem a quem ajuda a turma.');
  output.err(`  detalhes: ${oneLine(text)}`);
  return 1;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' | ').trim();
}
