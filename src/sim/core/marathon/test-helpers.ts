// Test doubles for Marathon's tests: a small but faithful master (offers from the course's two
// agents, task life cycle, kills, filters, revive, reconciliation, agent loss), an in-memory
// Store and ZooKeeper tree, and a harness that serves requests through the service's fetch.
import { AGENTS } from '../../../cluster/topology.ts';
import { VirtualClock, type TimerHandle } from '../clock.ts';
import type {
  Filters,
  FrameworkInfo,
  Offer,
  Resources,
  Scheduler,
  SchedulerDriver,
  TaskInfo,
  TaskState,
  TaskStatus,
} from '../mesos/api.ts';
import { isTerminal } from '../mesos/api.ts';
import type { MasterConnection, Prober, ServiceContext, ZkAccess } from '../service.ts';
import { createMarathonWith } from './index.ts';
import type { Marathon } from './marathon.ts';
import { MemoryStore } from '../memory-store.ts';

export { MemoryStore };

export class MemoryZk implements ZkAccess {
  readonly nodes = new Map<string, { data: Uint8Array; owner?: string }>();
  private seq = new Map<string, number>();
  create(
    path: string,
    data: Uint8Array,
    options: { ephemeralOwner?: string; sequential?: boolean } = {},
  ): string {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const p = '/' + parts.slice(0, i).join('/');
      if (!this.nodes.has(p)) this.nodes.set(p, { data: new Uint8Array() });
    }
    let actual = path;
    if (options.sequential) {
      const parent = '/' + parts.slice(0, -1).join('/');
      const n = this.seq.get(parent) ?? 0;
      this.seq.set(parent, n + 1);
      actual = path + String(n).padStart(10, '0');
    }
    if (this.nodes.has(actual)) throw new Error(`NodeExists ${actual}`);
    this.nodes.set(actual, { data, owner: options.ephemeralOwner });
    return actual;
  }
  setData(path: string, data: Uint8Array): void {
    const n = this.nodes.get(path);
    if (!n) throw new Error(`NoNode ${path}`);
    n.data = data;
  }
  getData(path: string): Uint8Array | undefined {
    return this.nodes.get(path)?.data;
  }
  children(path: string): string[] {
    const prefix = path === '/' ? '/' : path + '/';
    return [...this.nodes.keys()]
      .filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/'))
      .map((k) => k.slice(prefix.length));
  }
  delete(path: string): void {
    this.nodes.delete(path);
  }
  exists(path: string): boolean {
    return this.nodes.has(path);
  }
  expireOwner(owner: string): void {
    for (const [k, v] of this.nodes) if (v.owner === owner) this.nodes.delete(k);
  }
}

function parseResources(spec: string): Resources {
  const r: Resources = { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] };
  for (const part of spec.split(';')) {
    const [k, v] = part.split(':');
    if (k === 'ports') {
      const m = /\[(\d+)-(\d+)\]/.exec(v)!;
      r.ports = [{ begin: Number(m[1]), end: Number(m[2]) }];
    } else (r as unknown as Record<string, number>)[k] = Number(v);
  }
  return r;
}

interface FakeTask {
  info: TaskInfo;
  frameworkId: string;
  state: TaskState;
}

interface FakeAgent {
  id: string;
  hostname: string;
  attributes: Record<string, string>;
  total: Resources;
  up: boolean;
  refusedUntil: number;
}

/**
 * A master with the course's two agents. Offers go out every second (allocation interval);
 * a launched task is STAGING, then RUNNING after `runDelayMs`. Stopping an agent sends
 * TASK_LOST (REASON_SLAVE_REMOVED) for its tasks after `agentLostMs`.
 */
export class FakeMaster implements MasterConnection {
  readonly agents: FakeAgent[];
  readonly tasks = new Map<string, FakeTask>();
  scheduler: Scheduler | undefined;
  frameworkId = 'fw-0001';
  connected = false;
  offersSent = 0;
  declined = 0;
  revives = 0;
  runDelayMs = 100;
  agentLostMs = 75_000;
  /** Commands for which launching fails at once (exit 1) — for backoff tests. */
  failingCommands = new Set<string>();
  private offerSeq = 0;
  private outstanding = new Map<string, Offer>();
  private timer: TimerHandle | undefined;

  constructor(readonly clock: VirtualClock) {
    this.agents = AGENTS.map((a, i) => ({
      id: `agent-${i + 1}-S0`,
      hostname: a.hostname,
      attributes: Object.fromEntries(a.attributes.split(';').map((kv) => kv.split(':') as [string, string])),
      total: parseResources(a.resources),
      up: true,
      refusedUntil: 0,
    }));
  }

  registerFramework(info: FrameworkInfo, scheduler: Scheduler): SchedulerDriver {
    this.scheduler = scheduler;
    this.connected = true;
    const reregistered = info.id !== undefined && info.id === this.frameworkId;
    this.clock.setTimeout(() => scheduler.registered(this.frameworkId, reregistered), 0);
    this.timer?.cancel();
    this.timer = this.clock.setInterval(() => this.allocate(), 1000);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the driver object closes over its master
    const master = this;
    return {
      frameworkId: this.frameworkId,
      launchTasks(offerIds: string[], tasks: TaskInfo[]) {
        for (const id of offerIds) master.outstanding.delete(id);
        for (const t of tasks) master.launch(t);
      },
      declineOffer(offerId: string, filters?: Filters) {
        const offer = master.outstanding.get(offerId);
        master.outstanding.delete(offerId);
        master.declined++;
        const agent = master.agents.find((a) => a.id === offer?.agentId);
        if (agent) agent.refusedUntil = master.clock.now() + (filters?.refuseSeconds ?? 5) * 1000;
      },
      killTask(taskId: string) {
        const t = master.tasks.get(taskId);
        if (!t || isTerminal(t.state)) return;
        master.clock.setTimeout(() => master.update(taskId, 'TASK_KILLED'), 10);
      },
      reconcileTasks(taskIds: string[]) {
        const ids = taskIds.length > 0 ? taskIds : [...master.tasks.keys()];
        master.clock.setTimeout(() => {
          for (const id of ids) {
            const t = master.tasks.get(id);
            if (t && !isTerminal(t.state))
              master.send(t, t.state, 'Reconciliation: Latest task state', 'REASON_RECONCILIATION');
            else if (!t)
              master.sendRaw({
                taskId: id,
                frameworkId: master.frameworkId,
                agentId: '',
                state: 'TASK_LOST',
                timestamp: master.clock.now() / 1000,
                message: 'Reconciliation: Task is unknown',
                reason: 'REASON_RECONCILIATION',
                source: 'SOURCE_MASTER',
              });
          }
        }, 0);
      },
      reviveOffers() {
        master.revives++;
        for (const a of master.agents) a.refusedUntil = 0;
      },
      suppressOffers() {},
      stop() {
        master.connected = false;
        master.scheduler = undefined;
        master.timer?.cancel();
        master.outstanding.clear();
      },
    };
  }

  private used(agentId: string): Resources {
    const r: Resources = { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] };
    for (const t of this.tasks.values()) {
      if (t.info.agentId !== agentId || isTerminal(t.state)) continue;
      r.cpus += t.info.resources.cpus;
      r.mem += t.info.resources.mem;
      r.disk += t.info.resources.disk;
      r.ports.push(...t.info.resources.ports);
    }
    for (const o of this.outstanding.values()) if (o.agentId === agentId) r.cpus = Infinity;
    return r;
  }

  allocate(): void {
    if (!this.scheduler || !this.connected) return;
    const offers: Offer[] = [];
    for (const a of this.agents) {
      if (!a.up || a.refusedUntil > this.clock.now()) continue;
      const used = this.used(a.id);
      if (used.cpus === Infinity) continue;
      const free = a.total.ports[0];
      const taken = new Set(
        used.ports.flatMap((p) => Array.from({ length: p.end - p.begin + 1 }, (_, i) => p.begin + i)),
      );
      const ports: { begin: number; end: number }[] = [];
      for (let p = free.begin; p <= free.end; p++) {
        if (taken.has(p)) continue;
        const last = ports[ports.length - 1];
        if (last && last.end === p - 1) last.end = p;
        else ports.push({ begin: p, end: p });
      }
      const offer: Offer = {
        id: `offer-${++this.offerSeq}`,
        frameworkId: this.frameworkId,
        agentId: a.id,
        hostname: a.hostname,
        attributes: a.attributes,
        resources: {
          cpus: Math.round((a.total.cpus - used.cpus) * 1000) / 1000,
          mem: a.total.mem - used.mem,
          disk: a.total.disk - used.disk,
          gpus: 0,
          ports,
        },
      };
      this.outstanding.set(offer.id, offer);
      offers.push(offer);
    }
    if (offers.length === 0) return;
    this.offersSent += offers.length;
    this.scheduler.resourceOffers(offers);
  }

  private launch(info: TaskInfo): void {
    const t: FakeTask = { info, frameworkId: this.frameworkId, state: 'TASK_STAGING' };
    this.tasks.set(info.taskId, t);
    this.clock.setTimeout(() => {
      if (t.state !== 'TASK_STAGING') return;
      this.update(info.taskId, 'TASK_RUNNING');
      if (this.failingCommands.has(info.command))
        this.clock.setTimeout(
          () => this.update(info.taskId, 'TASK_FAILED', 'Command exited with status 1'),
          10,
        );
    }, this.runDelayMs);
  }

  update(taskId: string, state: TaskState, message?: string, reason?: string): void {
    const t = this.tasks.get(taskId);
    if (!t || isTerminal(t.state)) return;
    t.state = state;
    this.send(t, state, message, reason);
  }

  private send(t: FakeTask, state: TaskState, message?: string, reason?: string): void {
    this.sendRaw({
      taskId: t.info.taskId,
      frameworkId: t.frameworkId,
      agentId: t.info.agentId,
      state,
      timestamp: this.clock.now() / 1000,
      message,
      reason,
      source: 'SOURCE_SLAVE',
    });
  }

  private sendRaw(status: TaskStatus): void {
    if (this.scheduler && this.connected) this.scheduler.statusUpdate(status);
  }

  /** `docker compose stop mesos-agent-N`: no offers from it, then TASK_LOST for its tasks. */
  stopAgent(hostname: string): void {
    const a = this.agents.find((x) => x.hostname === hostname)!;
    a.up = false;
    this.clock.setTimeout(() => {
      this.scheduler?.agentLost(a.id);
      for (const t of this.tasks.values())
        if (t.info.agentId === a.id && !isTerminal(t.state))
          this.update(t.info.taskId, 'TASK_LOST', 'Slave mesos-agent removed', 'REASON_SLAVE_REMOVED');
    }, this.agentLostMs);
  }

  running(): FakeTask[] {
    return [...this.tasks.values()].filter((t) => t.state === 'TASK_RUNNING');
  }
}

export class FakeProber implements Prober {
  /** Per port: the HTTP status to answer, or undefined for connection refused. */
  readonly http_ = new Map<number, number | undefined>();
  defaultStatus: number | undefined = 200;
  tcpUp = true;
  commandCode = 0;
  calls = 0;
  http(url: string): Promise<number | undefined> {
    this.calls++;
    const port = Number(new URL(url).port);
    return Promise.resolve(this.http_.has(port) ? this.http_.get(port) : this.defaultStatus);
  }
  tcp(): Promise<boolean> {
    this.calls++;
    return Promise.resolve(this.tcpUp);
  }
  command(): Promise<number | undefined> {
    this.calls++;
    return Promise.resolve(this.commandCode);
  }
}

export interface Harness {
  clock: VirtualClock;
  master: FakeMaster;
  store: MemoryStore;
  zk: MemoryZk;
  prober: FakeProber;
  service: ReturnType<ReturnType<typeof createMarathonWith>> & { core: Marathon };
  core: Marathon;
  logs: string[];
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  json<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; res: Response }>;
  /** Advances the virtual clock in steps, letting probe promises settle between steps. */
  advance(ms: number, stepMs?: number): Promise<void>;
  until(predicate: () => boolean, maxMs: number, stepMs?: number): Promise<boolean>;
}

export function makeHarness(
  options: {
    store?: MemoryStore;
    zk?: MemoryZk;
    clock?: VirtualClock;
    master?: FakeMaster;
    prober?: FakeProber | null;
  } = {},
): Harness {
  const clock = options.clock ?? new VirtualClock();
  const master = options.master ?? new FakeMaster(clock);
  const store = options.store ?? new MemoryStore();
  const zk = options.zk ?? new MemoryZk();
  const prober = options.prober ?? new FakeProber();
  const logs: string[] = [];
  const ctx: ServiceContext = {
    clock,
    master,
    zk,
    store,
    log: (l) => logs.push(l),
    probe: options.prober === null ? undefined : prober,
  };
  const service = createMarathonWith({})(ctx) as Harness['service'];
  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { Host: 'localhost:8080', ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    }
    return Promise.resolve(service.fetch(new Request(`http://localhost:8080${path}`, init)));
  };
  const flush = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  const h: Harness = {
    clock,
    master,
    store,
    zk,
    prober,
    service,
    core: service.core,
    logs,
    request,
    async json<T>(method: string, path: string, body?: unknown) {
      const res = await request(method, path, body);
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, res };
    },
    async advance(ms: number, stepMs = 100) {
      for (let t = 0; t < ms; t += stepMs) {
        clock.advance(Math.min(stepMs, ms - t));
        await flush();
      }
    },
    async until(predicate: () => boolean, maxMs: number, stepMs = 100) {
      for (let t = 0; t <= maxMs; t += stepMs) {
        if (predicate()) return true;
        clock.advance(stepMs);
        await flush();
      }
      return predicate();
    },
  };
  return h;
}
