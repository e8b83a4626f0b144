// The live checklist's ears: follows Marathon's /v2/events and polls the services and the watched
// apps' tasks, keeping what it sees as an EvidenceLog. Isomorphic (fetch and timers only).
import type { ClusterClients } from '../cluster/clients/index.ts';
import type { MarathonEvent } from '../cluster/clients/marathon.ts';
import type { ServiceClient } from '../cluster/clients/http.ts';
import { emptyEvidence, pruneEvent, safeAppId, type EvidenceLog, type Observation } from './evidence.ts';

export interface RecorderOptions {
  sleep(ms: number): Promise<void>;
  now?(): number;
  /** How often services and tasks are polled (real ms). */
  pollMs?: number;
  /** Called after each new event or observation (the Node side saves the log). */
  onChange?(log: EvidenceLog, latest: MarathonEvent | Observation): void;
  /** Keeps at most this many events (oldest dropped first). */
  maxEvents?: number;
}

export class EvidenceRecorder {
  readonly log: EvidenceLog;
  private stopped = false;
  private abort = new AbortController();
  private loops: Promise<void>[] = [];
  private up = new Map<string, boolean>();
  private lastTasks = new Map<string, string>();

  constructor(
    private readonly cluster: ClusterClients,
    private readonly watch: { apps: string[]; jobs: string[] },
    private readonly options: RecorderOptions,
    initial?: EvidenceLog,
  ) {
    this.log = initial ?? emptyEvidence();
    this.log.startedAt ??= this.now();
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  start(): void {
    this.loops.push(this.followEvents(), this.pollServices());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await Promise.allSettled(this.loops);
  }

  /** One poll round right now (the loops also call it); useful before reading the log. */
  async pollOnce(): Promise<void> {
    const services: [string, ServiceClient, string][] = [
      ['mesos-master', this.cluster.master, '/master/health'],
      ['mesos-agent-1', this.cluster.agents[0], '/health'],
      ['mesos-agent-2', this.cluster.agents[1], '/health'],
      ['marathon', this.cluster.marathon, '/ping'],
      ['chronos', this.cluster.chronos, '/ping'],
    ];
    const results = await Promise.all(
      services.map(async ([name, client, path]) => {
        try {
          const r = await client.request(path, { accept: '*/*', timeoutMs: 1500 });
          await r.body?.cancel();
          return [name, r.status < 500] as const;
        } catch {
          return [name, false] as const;
        }
      }),
    );
    // When the master goes away, or Marathon comes back, what Marathon itself lists is the evidence.
    let fromMarathon = false;
    for (const [name, ok] of results) {
      const before = this.up.get(name);
      this.up.set(name, ok);
      if (before !== undefined && before !== ok) {
        this.push({ at: this.now(), kind: ok ? 'servico-voltou' : 'servico-caiu', service: name });
        if ((name === 'mesos-master' && !ok) || (name === 'marathon' && ok)) fromMarathon = true;
      }
    }
    for (const app of this.watch.apps) await this.snapshotTasks(app, fromMarathon);
    if (this.watch.jobs.length && this.up.get('mesos-master')) await this.snapshotJobTasks();
  }

  /** Chronos tasks of the watched jobs (ids carry the attempt), kept because a master restart forgets them. */
  private async snapshotJobTasks(): Promise<void> {
    let state;
    try {
      state = await this.cluster.master.state();
    } catch {
      return;
    }
    const all = [...state.frameworks, ...(state.completed_frameworks ?? [])]
      .filter((f) => f.name === 'chronos')
      .flatMap((f) => [...(f.tasks ?? []), ...(f.completed_tasks ?? [])]);
    for (const job of this.watch.jobs) {
      const tasks = all
        .filter((t) => t.id.startsWith('ct:') && t.id.split(':')[3] === job)
        .map((t) => ({ id: t.id, state: t.state, agent: t.slave_id }))
        .sort((a, b) => a.id.localeCompare(b.id));
      if (tasks.length === 0) continue;
      const key = `job:${job}`;
      const known = new Map<string, { id: string; state: string; agent: string }>();
      for (const o of this.log.observations) {
        if (o.kind === 'tarefas' && o.app === key) for (const t of o.tasks ?? []) known.set(t.id, t);
      }
      const fresh = tasks.filter((t) => known.get(t.id)?.state !== t.state);
      if (fresh.length === 0) continue;
      this.push({ at: this.now(), kind: 'tarefas', source: 'mesos-master', app: key, tasks: fresh });
    }
  }

  private async snapshotTasks(app: string, forceMarathon = false): Promise<void> {
    const prefix = `${safeAppId(app)}.`;
    let source: Observation['source'];
    let tasks: { id: string; state: string; agent: string }[] | undefined;
    try {
      if (this.up.get('mesos-master') && !forceMarathon) {
        const state = await this.cluster.master.state();
        source = 'mesos-master';
        tasks = state.frameworks
          .flatMap((f) => f.tasks ?? [])
          .filter((t) => t.id.startsWith(prefix))
          .map((t) => ({ id: t.id, state: t.state, agent: t.slave_id }));
      } else if (this.up.get('marathon')) {
        source = 'marathon';
        tasks = ((await this.cluster.marathon.appTasks(app)) ?? []).map((t) => ({
          id: t.id,
          state: t.state,
          agent: t.slaveId ?? '',
        }));
      }
    } catch {
      return;
    }
    if (!tasks || !source) return;
    tasks.sort((a, b) => a.id.localeCompare(b.id));
    const signature = JSON.stringify(tasks);
    if (this.lastTasks.get(app) === signature && !forceMarathon) return;
    this.lastTasks.set(app, signature);
    this.push({ at: this.now(), kind: 'tarefas', source, app, tasks });
  }

  private push(item: Observation): void {
    this.log.observations.push(item);
    this.options.onChange?.(this.log, item);
  }

  private async pollServices(): Promise<void> {
    while (!this.stopped) {
      await this.pollOnce();
      await this.options.sleep(this.options.pollMs ?? 1000);
    }
  }

  private async followEvents(): Promise<void> {
    const max = this.options.maxEvents ?? 2000;
    while (!this.stopped) {
      try {
        await this.cluster.marathon.streamEvents((event) => {
          const kept = pruneEvent(event, this.watch.apps);
          if (!kept) return;
          this.log.events.push(kept);
          if (this.log.events.length > max) this.log.events.splice(0, this.log.events.length - max);
          this.options.onChange?.(this.log, kept);
        }, this.abort.signal);
      } catch {
        // Marathon is down or restarting: the poll loop records it; try again shortly.
      }
      if (!this.stopped) await this.options.sleep(this.options.pollMs ?? 1000);
    }
  }
}
