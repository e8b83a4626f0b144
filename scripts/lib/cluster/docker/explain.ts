// Turns Docker's English (pull errors, service logs) into the Portuguese explanations of
// src/cluster/troubleshooting.ts. A student sees what happened, why and what to do; the original line follows
// as "detalhes" for whoever helps.
import { fillText, PROBLEMS, type Problem } from '../../../../src/cluster/troubleshooting.ts';

export interface Explanation {
  problem: Problem;
  /** Filled-in Portuguese texts. */
  title: string;
  message: string;
  action: string;
  /** The line that matched (the evidence), trimmed. */
  evidence: string;
  /** The compose service whose log it came from, when known. */
  service?: string;
}

function explain(
  problem: Problem,
  evidence: string,
  vars: Record<string, string>,
  service?: string,
): Explanation {
  return {
    problem,
    title: problem.title,
    message: fillText(problem.message, vars),
    action: fillText(problem.action, vars),
    evidence: evidence.trim().slice(0, 400),
    service,
  };
}

/** Why a `docker pull` failed, or null when the text matches nothing known. */
export function explainPullFailure(
  output: string,
  image: string,
  platform = 'linux/amd64',
): Explanation | null {
  // Pull problems first (their order matters: the most specific comes first in PROBLEMS), then the
  // others that can show up during a pull (no space left, emulation).
  const candidates = [
    ...PROBLEMS.filter((p) => p.source === 'pull'),
    ...PROBLEMS.filter((p) => p.source !== 'pull' && p.id === 'disco-pouco'),
  ];
  for (const p of candidates) {
    for (const line of output.split(/\r?\n/)) {
      if (p.patterns?.some((re) => re.test(line))) {
        return explain(p, line, { image, platform, free: '?' });
      }
    }
  }
  return null;
}

/**
 * Known failures in `docker compose logs` output ("service-1  | text" lines). One explanation per problem
 * and service, in the order of the log.
 */
export function explainLogs(logs: string): Explanation[] {
  const found: Explanation[] = [];
  const seen = new Set<string>();
  const candidates = PROBLEMS.filter((p) => p.source === 'logs');
  for (const raw of logs.split(/\r?\n/)) {
    const m = /^\s*([a-z0-9-]+?)(?:-\d+)?\s+\|\s?(.*)$/.exec(raw);
    const service = m ? m[1].replace(/^mesos-(?=zookeeper|mesos|marathon|chronos)/, '') : undefined;
    const line = m ? m[2] : raw;
    for (const p of candidates) {
      if (p.services && service && !p.services.includes(service)) continue;
      if (!p.patterns?.some((re) => re.test(line))) continue;
      const key = `${p.id}/${service ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(explain(p, line, { service: service ?? 'serviço' }, service));
    }
  }
  return found;
}

/** Portuguese text for a list of explanations (the evidence goes to the "detalhes" part, see `evidenceOf`). */
export function formatExplanations(list: readonly Explanation[]): string {
  return list
    .map((e) => {
      const who = e.service ? ` (${e.service})` : '';
      return `${e.title}${who}: ${e.message}\n  → ${e.action}`;
    })
    .join('\n\n');
}

/** The original lines behind the explanations, for the "detalhes" line of a LabError. */
export function evidenceOf(list: readonly Explanation[]): string {
  return list.map((e) => (e.service ? `${e.service}: ${e.evidence}` : e.evidence)).join('\n');
}
