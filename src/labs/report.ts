// The report of `npm run check` (entrega/relatorio.json) and its table on the terminal, in the
// style of STYLE.md. Isomorphic: grading reads the same types.
import { docUrl, PUBLISHED_SITE_URL } from './site.ts';
import type { CheckOutcome } from './runner.ts';
import type { EvidenceLog } from './evidence.ts';
import type { LabId, Verdict } from './types.ts';

export const REPORT_FORMAT = 1;

export interface ReportCheck {
  id: string;
  lab: string;
  title: string;
  verdict: Verdict;
  points: number;
  maxPoints: number;
  grading: 'replay' | 'evidence';
  message: string;
  evidence?: Record<string, unknown>;
  /** When this check last ran (ISO). */
  checkedAt: string;
}

export interface Report {
  format: typeof REPORT_FORMAT;
  kit: { name: string; version: string };
  generatedAt: string;
  matricula: string;
  backend: string;
  /** sha256 over the check code of this kit version (see scripts/lib/labs/hash.ts). */
  checkCodeHash: string;
  checks: ReportCheck[];
  /** Per lab: what the live checklist recorded (Marathon events, services down/up, task snapshots). */
  evidence: Partial<Record<LabId, EvidenceLog>>;
  score: { points: number; maxPoints: number };
}

export function toReportChecks(outcomes: CheckOutcome[], checkedAt: string): ReportCheck[] {
  return outcomes.map((o) => ({
    id: o.id,
    lab: o.lab,
    title: o.title,
    verdict: o.verdict,
    points: o.points,
    maxPoints: o.maxPoints,
    grading: o.grading,
    message: o.message,
    ...(o.evidence ? { evidence: o.evidence } : {}),
    checkedAt,
  }));
}

/** Replaces the checks of the labs just run, keeping the others from the previous report. */
export function mergeReport(previous: Report | undefined, next: Report, labsRun: string[]): Report {
  if (!previous || previous.matricula !== next.matricula) return next;
  const kept = previous.checks.filter((c) => !labsRun.includes(c.lab));
  const checks = [...kept, ...next.checks].sort((a, b) => a.id.localeCompare(b.id));
  const evidence = { ...previous.evidence, ...next.evidence };
  return {
    ...next,
    checks,
    evidence,
    score: {
      points: checks.reduce((s, c) => s + c.points, 0),
      maxPoints: checks.reduce((s, c) => s + c.maxPoints, 0),
    },
  };
}

/** How the instructor's grading verifies a check, in the student's words. */
export const GRADING_LABEL: Record<'replay' | 'evidence', string> = {
  replay: 'as suas respostas são aplicadas de novo num cluster simulado limpo',
  evidence: 'pelas evidências que o seu cluster registrou (ids, horários, eventos)',
};

const MARK: Record<Verdict, string> = { passou: '✔', falhou: '✘', ambiente: '⚠' };

function pad(text: string, width: number): string {
  const len = [...text].length;
  return len >= width ? text : text + ' '.repeat(width - len);
}

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join('')}…`;
}

const DEFAULT_PORTS: [number, string][] = [
  [5050, 'mesos-master'],
  [5151, 'mesos-agent-1'],
  [5152, 'mesos-agent-2'],
  [8080, 'marathon'],
  [4400, 'chronos'],
  [2181, 'zookeeper'],
];

/** Rewrites the course's default ports in a text to the ones this cluster uses (`.env`). */
export function localizePorts(text: string, ports: Record<string, number>): string {
  let out = text;
  for (const [port, service] of DEFAULT_PORTS) {
    const actual = ports[service];
    if (actual === undefined || actual === port) continue;
    out = out.replace(new RegExp(`(127\\.0\\.0\\.1:|localhost:|porta )${port}\\b`, 'g'), `$1${actual}`);
  }
  return out;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && [...line].length + 1 + [...word].length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export interface FormatOptions {
  siteBase: string;
  backendLabel: string;
  width?: number;
  /** Plain ASCII marks for terminals that cannot show ✔ ✘ ⚠. */
  ascii?: boolean;
}

/** The table of one lab, as a list of lines. */
export function formatLab(
  labId: string,
  title: string,
  outcomes: CheckOutcome[],
  options: FormatOptions,
): string[] {
  const idWidth = Math.max(...outcomes.map((o) => o.id.length), 10) + 2;
  const ptsWidth = Math.max(...outcomes.map((o) => `${o.points}/${o.maxPoints}`.length));
  const longest = Math.max(...outcomes.map((o) => [...o.title].length), 30);
  const width = options.width ?? Math.min(4 + idWidth + longest + 2 + ptsWidth, 120);
  const mark = (v: Verdict) => (options.ascii ? { passou: '+', falhou: 'x', ambiente: '!' }[v] : MARK[v]);
  const lines: string[] = [];
  const head = `Laboratório ${labId} — ${title}`;
  const right = `cluster: ${options.backendLabel}`;
  lines.push(pad(head, Math.max(width - [...right].length, [...head].length + 2)) + right);
  for (const o of outcomes) {
    const pts = `${o.points}/${o.maxPoints}`;
    const titleWidth = Math.max(width - 4 - idWidth - ptsWidth - 2, 20);
    const row = (text: string) =>
      `  ${mark(o.verdict)} ${pad(o.id, idWidth)}${pad(cut(text, titleWidth), titleWidth)}  ${pts.padStart(ptsWidth)}`;
    if (o.verdict === 'ambiente') {
      const text = `ambiente: ${o.message}`;
      if ([...text].length <= titleWidth) {
        lines.push(row(text));
      } else {
        lines.push(row('ambiente'));
        wrap(o.message, width - 6).forEach((l) => lines.push(`      ${l}`));
      }
      continue;
    }
    lines.push(row(o.title));
    if (o.verdict === 'falhou') {
      for (const l of wrap(o.message, width - 6)) lines.push(`      ${l}`);
      if (o.hint) wrap(`Dica: ${o.hint}`, width - 6).forEach((l) => lines.push(`      ${l}`));
      const url = docUrl(o.doc, options.siteBase);
      const published = url.startsWith(PUBLISHED_SITE_URL)
        ? ' (site publicado; sem internet: npm start)'
        : '';
      lines.push(`      Leia: ${url}${published}`);
      lines.push(`      Correção: ${GRADING_LABEL[o.grading]}`);
    }
  }
  const points = outcomes.reduce((s, o) => s + o.points, 0);
  const max = outcomes.reduce((s, o) => s + o.maxPoints, 0);
  const total = `pontos: ${points} de ${max}`;
  lines.push(' '.repeat(Math.max(width - total.length, 0)) + total);
  return lines;
}

/** The line that says what "ambiente" means, printed once when any check got it. */
export const AMBIENTE_NOTE =
  '⚠ ambiente quer dizer que o cluster não estava pronto: não é erro seu. Veja `npm run cluster -- status` e rode de novo.';
