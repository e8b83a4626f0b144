// The dependency graph exports of Chronos 3.0.1 (spec A.7): `/graph/csv` (Exporter) and
// `/graph/dot` (JobGraph.makeDotFile through JGraphT's DOTExporter with integer ids).
import type { Job } from './model.ts';

/** Parent → child edges among the given (visible) jobs. */
export function edges(jobs: readonly Job[]): [string, string][] {
  const names = new Set(jobs.map((j) => j.name));
  const out: [string, string][] = [];
  for (const job of jobs) {
    for (const parent of job.parents ?? []) if (names.has(parent)) out.push([parent, job.name]);
  }
  return out;
}

/** `node,<name>,<lastState>,<currentState>` per job, then `link,<parent>,<child>` per edge. */
export function graphCsv(
  jobs: readonly Job[],
  lastState: (job: Job) => string,
  currentState: (job: Job) => string,
): string {
  let out = '';
  for (const job of jobs) out += `node,${job.name},${lastState(job)},${currentState(job)}\n`;
  for (const [parent, child] of edges(jobs)) out += `link,${parent},${child}\n`;
  return out;
}

/** `digraph G {`, one `  <id> [ label="<name>" ];` per job (ids from 1), `  <a> -> <b>;` per edge, `}`. */
export function graphDot(jobs: readonly Job[]): string {
  const ids = new Map<string, number>();
  let out = 'digraph G {\n';
  jobs.forEach((job, i) => {
    ids.set(job.name, i + 1);
    out += `  ${i + 1} [ label="${job.name}" ];\n`;
  });
  for (const [parent, child] of edges(jobs)) out += `  ${ids.get(parent)} -> ${ids.get(child)};\n`;
  return `${out}}\n`;
}
