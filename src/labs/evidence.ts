// What the live checklist of `npm run lab:NN` saw while the student worked: Marathon events about the
// lab's apps, services going down and coming back, and the tasks running at each change. Checks graded
// by evidence read it; the report carries it so grading can verify it.
import type { MarathonEvent } from '../cluster/clients/marathon.ts';

export interface Observation {
  /** Wall-clock ms when the checklist saw it. */
  at: number;
  kind: 'servico-caiu' | 'servico-voltou' | 'tarefas';
  service?: string;
  /** For 'tarefas': who reported them and the tasks of one app. */
  source?: 'mesos-master' | 'marathon';
  app?: string;
  tasks?: { id: string; state: string; agent: string }[];
}

export interface EvidenceLog {
  startedAt?: number;
  events: MarathonEvent[];
  observations: Observation[];
}

export function emptyEvidence(): EvidenceLog {
  return { events: [], observations: [] };
}

/** Marathon's task id prefix for an app: `/a/b` → `a_b`. */
export function safeAppId(appId: string): string {
  return appId.replace(/^\/+/, '').replace(/\//g, '_');
}

/** Keeps only what concerns the watched apps, so the log (and the report) stays small. */
export function pruneEvent(event: MarathonEvent, apps: string[]): MarathonEvent | undefined {
  const text = JSON.stringify(event);
  const relevant =
    event.eventType.startsWith('scheduler_') ||
    apps.some((a) => text.includes(`"${a}"`) || text.includes(`"${safeAppId(a)}.`));
  if (!relevant) return undefined;
  const plan = event.plan as { original?: unknown; target?: unknown } | undefined;
  if (!plan || typeof plan !== 'object') return event;
  const keep = (group: unknown): unknown => {
    const apps0: unknown[] = [];
    const walk = (g: unknown) => {
      if (!g || typeof g !== 'object') return;
      const gg = g as { apps?: { id?: string }[]; groups?: unknown[] };
      for (const a of gg.apps ?? []) if (a && apps.includes(String(a.id))) apps0.push(a);
      for (const sub of gg.groups ?? []) walk(sub);
    };
    walk(group);
    return { apps: apps0 };
  };
  return { ...event, plan: { ...plan, original: keep(plan.original), target: keep(plan.target) } };
}

export interface AppVersionView {
  id: string;
  instances?: number;
  constraints?: string[][];
  healthChecks?: unknown[];
  cmd?: string | null;
}

/** The app as it was before and after a deployment event (from the pruned plan). */
export function planApps(
  event: MarathonEvent,
  appId: string,
): { original?: AppVersionView; target?: AppVersionView } {
  const plan = event.plan as
    { original?: { apps?: AppVersionView[] }; target?: { apps?: AppVersionView[] } } | undefined;
  return {
    original: plan?.original?.apps?.find((a) => a.id === appId),
    target: plan?.target?.apps?.find((a) => a.id === appId),
  };
}

/** Deployment steps' action names for one app in a deployment event. */
export function planActions(event: MarathonEvent, appId: string): string[] {
  const plan = event.plan as { steps?: { actions?: { action: string; app: string }[] }[] } | undefined;
  const out: string[] = [];
  for (const step of plan?.steps ?? [])
    for (const a of step.actions ?? []) if (a.app === appId) out.push(a.action);
  return out;
}
