// How `npm run doctor` prints its report: a readable table by default, JSON for tools.
import { LEVEL_LABEL, problem, REAL_HOST_CHECKS } from '../../../src/cluster/troubleshooting.ts';
import { findings, type DoctorReport, type Outcome } from './checks.ts';

const MARK: Record<Outcome, string> = { ok: '✔', blocks: '✘', warns: '⚠', informs: 'ℹ', skipped: '–' };

const WIDTH = 100;

/**
 * Word-wraps a paragraph for the terminal. A `code span` is never broken (a student copies it whole), and
 * words longer than a line stay whole.
 */
export function wrap(text: string, first: string, rest: string, width = WIDTH): string[] {
  const out: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.match(/\S*`[^`]*`\S*|\S+/g) ?? []) {
    if (!empty && line.length + 1 + word.length > width) {
      out.push(line);
      line = rest + word;
    } else line += (empty ? '' : ' ') + word;
    empty = false;
  }
  out.push(line);
  return out;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function renderTable(report: DoctorReport): string {
  const lines: string[] = [];
  lines.push('Diagnóstico do cluster real (Docker)');
  if (!report.facts.dockerAnswers) {
    lines.push(
      report.facts.dockerFound
        ? 'O Docker está instalado, mas não respondeu: o kit vai usar o cluster simulado.'
        : 'O Docker não está instalado: o kit vai usar o cluster simulado.',
    );
  }
  lines.push('');
  const width = Math.max(...report.results.map((r) => r.label.length));
  // One line per check; several busy ports give several P7 lines.
  for (const r of report.results) {
    lines.push(`  ${MARK[r.outcome]}  ${pad(r.check, 4)}${pad(r.label, width + 2)}${r.summary}`);
  }
  const todo = findings(report).filter((r) => r.outcome !== 'informs' || r.check !== 'P12');
  if (todo.length) {
    lines.push('');
    lines.push('O que fazer:');
    for (const r of todo) {
      const p = r.problem!;
      lines.push('');
      lines.push(
        `  ${MARK[r.outcome]} ${p.title} (${LEVEL_LABEL[r.outcome as keyof typeof LEVEL_LABEL]}; ${r.check})`,
      );
      lines.push(...wrap(p.message, '    ', '    '));
      lines.push(...wrap(p.action, '    → ', '      '));
    }
  }
  lines.push('');
  lines.push(...wrap(verdict(report), '', ''));
  return lines.join('\n');
}

export function verdict(report: DoctorReport): string {
  if (!report.facts.dockerAnswers) {
    return report.facts.dockerFound
      ? 'Resultado: o Docker está instalado, mas não respondeu. `npm run cluster -- up` vai usar o cluster simulado, que serve as mesmas APIs nas mesmas portas.'
      : 'Resultado: o Docker não está instalado. `npm run cluster -- up` vai usar o cluster simulado, que serve as mesmas APIs nas mesmas portas.';
  }
  if (report.blocking > 0) {
    return `Resultado: ${report.blocking} problema(s) impedem o cluster real de subir; resolva-os acima e rode \`npm run doctor\` de novo. O cluster simulado continua disponível (\`LAB_BACKEND=sim npm run cluster -- up\`).`;
  }
  if (report.warnings > 0) {
    return `Resultado: o cluster real pode subir, com ${report.warnings} aviso(s) acima. Suba com \`npm run cluster -- up\`.`;
  }
  return 'Resultado: tudo certo para o cluster real. Suba com `npm run cluster -- up`.';
}

export function renderJson(report: DoctorReport): string {
  return JSON.stringify(
    {
      backend: report.backend,
      dockerAnswers: report.facts.dockerAnswers,
      blocking: report.blocking,
      warnings: report.warnings,
      facts: report.facts,
      checks: report.results.map((r) => ({
        check: r.check,
        label: r.label,
        level: r.outcome,
        summary: r.summary,
        ...(r.problem ? { problem: r.problem } : {}),
      })),
      verdict: verdict(report),
    },
    null,
    2,
  );
}

/** Exit code of `npm run doctor`: 0 without Docker (the simulator takes over), 1 when Docker is blocked. */
export function exitCode(report: DoctorReport): number {
  return report.facts.dockerAnswers && report.blocking > 0 ? 1 : 0;
}

/** `npm run doctor -- --instrutor`: what to confirm on a real Docker host before the course, and how. */
export function renderInstructorList(): string {
  const lines = ['Antes da disciplina: o que confirmar num computador com Docker de verdade', ''];
  REAL_HOST_CHECKS.forEach((c, i) => {
    lines.push(`${i + 1}. ${c.what}`);
    lines.push(`   Como verificar: ${c.how}`);
    lines.push(`   Confirmação pelo kit: ${c.confirmedBy}`);
    lines.push(`   Mensagens afetadas: ${c.problems.map((id) => problem(id).title).join('; ')}`);
    lines.push('');
  });
  return lines.join('\n').trimEnd();
}
