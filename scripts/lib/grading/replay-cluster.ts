// A fresh simulated cluster inside this process, for grading replays: the simulator's core with the
// model executor (nothing a student wrote ever runs) on a VirtualClock (a schedule of minutes replays
// in milliseconds), and no listening sockets — the kit's clients reach the services through an
// in-process fetch. Stopping a service makes its address refuse connections, as on the real stack.
import { AGENTS, resolvePorts, type Ports, type ServiceName } from '../../../src/cluster/topology.ts';
import {
  clusterAddresses,
  createClusterClients,
  type ClusterClients,
  type FetchLike,
  type ZkReader,
} from '../../../src/cluster/clients/index.ts';
import { createChronos } from '../../../src/sim/core/chronos/index.ts';
import { VirtualClock } from '../../../src/sim/core/clock.ts';
import type { TaskLaunch } from '../../../src/sim/core/executor.ts';
import { createMarathon } from '../../../src/sim/core/marathon/index.ts';
import { MesosCluster, type AgentService } from '../../../src/sim/core/mesos/index.ts';
import { exitPlan, ModelExecutor } from '../../../src/sim/core/model-executor.ts';
import { MemoryStore } from '../../../src/sim/core/memory-store.ts';
import type { FetchHandler, FrameworkService } from '../../../src/sim/core/service.ts';
import { ZkDatabase } from '../../../src/sim/core/zookeeper/database.ts';

/** Simulated run time of a Chronos task whose command follows no model-executor convention. */
export const CHRONOS_TASK_MS = 2_000;

/** A small deterministic random source (mulberry32), so a replay is the same every time. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * How a task ends in a replay: Chronos tasks (ids `ct:`) finish with exit 0 after a short simulated
 * time unless the command's convention (`exit N`, `sleep S`, `false`…) says otherwise; Marathon tasks
 * keep running, whatever their command says, as a service does.
 */
export function replayExitPlan(task: TaskLaunch): { exitCode: number; afterMs: number } {
  if (task.taskId.startsWith('ct:')) {
    const plan = exitPlan(task.command);
    if (plan) return plan;
    // Also read as the convention: a command whose last statement is `exit N` (`echo falhei; exit 1`).
    const last = /(?:^|;|\n)\s*exit\s+(\d+)\s*;?\s*$/.exec(task.command);
    return { exitCode: last ? Number(last[1]) : 0, afterMs: CHRONOS_TASK_MS };
  }
  return { exitCode: 0, afterMs: Number.MAX_SAFE_INTEGER / 4 };
}

export interface ReplayClusterOptions {
  /** Simulated start time (default 2026-01-01T12:00Z). */
  start?: number;
  seed?: number;
  /** Overrides the exit plan of a launch (test fixtures emulate what a student's cluster did). */
  onLaunch?: (task: TaskLaunch, executor: ModelExecutor) => { exitCode: number; afterMs: number } | undefined;
  /** Answers requests to addresses that are not services (tasks' ports); default: refused. */
  taskFetch?: FetchLike;
  /** Real milliseconds this cluster may be used for; past it every simulated sleep throws. */
  budgetMs?: number;
}

export class ReplayTimeout extends Error {
  constructor() {
    super('replay took longer than its time budget');
    this.name = 'ReplayTimeout';
  }
}

const FRAMEWORKS: ['marathon' | 'chronos', typeof createMarathon][] = [
  ['marathon', createMarathon],
  ['chronos', createChronos],
];

export class ReplayCluster {
  readonly clock: VirtualClock;
  readonly executor: ModelExecutor;
  readonly db: ZkDatabase;
  readonly mesos: MesosCluster;
  readonly ports: Ports = resolvePorts({});
  readonly clients: ClusterClients;
  private readonly frameworks = new Map<ServiceName, FrameworkService>();
  private readonly handlers = new Map<number, { service: ServiceName; fetch: FetchHandler }>();
  private readonly down = new Set<ServiceName>();
  private closed = false;
  private readonly taskFetch?: FetchLike;
  private readonly deadline: number;
  /** Whether the time budget ran out (the results are then not trustworthy). */
  timedOut = false;

  private constructor(options: ReplayClusterOptions) {
    this.clock = new VirtualClock(options.start ?? Date.UTC(2026, 0, 1, 12));
    this.executor = new ModelExecutor(this.clock, {
      onLaunch: (task) => options.onLaunch?.(task, this.executor) ?? replayExitPlan(task),
    });
    this.taskFetch = options.taskFetch;
    this.deadline = Date.now() + (options.budgetMs ?? Number.POSITIVE_INFINITY);
    this.db = new ZkDatabase(this.clock);
    this.mesos = new MesosCluster({
      clock: this.clock,
      executor: this.executor,
      zk: this.db.access(),
      agents: AGENTS,
      ports: this.ports,
      random: seededRandom(options.seed ?? 1),
    });
    const zk = this.db.access();
    const decoder = new TextDecoder();
    const reader: ZkReader = {
      children: async (path) => (zk.exists(path) ? zk.children(path) : undefined),
      getData: async (path) => {
        const data = zk.getData(path);
        return data === undefined ? undefined : decoder.decode(data);
      },
    };
    const addresses = clusterAddresses({}, '127.0.0.1', this.ports);
    this.clients = createClusterClients(addresses, { fetch: this.fetch, zk: reader, timeoutMs: 30_000 });
  }

  /** Boots ZooKeeper, the master, both agents, Marathon and Chronos, and waits (simulated) until ready. */
  static async start(options: ReplayClusterOptions = {}): Promise<ReplayCluster> {
    const c = new ReplayCluster(options);
    c.mesos.start();
    c.handlers.set(c.ports['mesos-master'], { service: 'mesos-master', fetch: c.mesos.masterFetch });
    for (const agent of AGENTS) {
      c.handlers.set(c.ports[agent.service], {
        service: agent.service,
        fetch: c.mesos.agentFetch(agent.service as AgentService),
      });
    }
    for (const [name, create] of FRAMEWORKS) {
      // No prober: health checks pass without anything being probed or run (COMMAND checks included).
      const service = create({
        clock: c.clock,
        master: c.mesos.connection(),
        zk: c.db.access(),
        store: new MemoryStore(),
        log: () => {},
      });
      c.frameworks.set(name, service);
      c.handlers.set(c.ports[name], { service: name, fetch: service.fetch });
      service.start();
    }
    await c.sleepUntil(() => c.ready(), 60_000);
    if (!c.ready()) throw new Error('replay cluster not ready after 60 s of simulated time');
    return c;
  }

  ready(): boolean {
    const r = this.mesos.readiness();
    return (
      r.masterElected &&
      r.activeAgents.length >= AGENTS.length &&
      ['marathon', 'chronos'].every((f) => r.frameworks.includes(f))
    );
  }

  /** fetch for the kit's clients: routes by port to the service's handler; a stopped one refuses. */
  readonly fetch: FetchLike = async (input, init) => {
    const url = new URL(input);
    const target = this.handlers.get(Number(url.port));
    if (!target && this.taskFetch && !this.closed) return this.taskFetch(input, init);
    if (!target || this.down.has(target.service) || this.closed) {
      throw new TypeError(`fetch failed: connect ECONNREFUSED ${url.host}`);
    }
    const response = await target.fetch(new Request(input, init));
    const signal = init?.signal;
    if (!signal || !response.body) return response;
    // In-process streams (Marathon's /v2/events) must end when the caller aborts, as a socket would.
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        signal.addEventListener('abort', () => {
          void reader.cancel().catch(() => {});
          try {
            controller.error(signal.reason ?? new DOMException('aborted', 'AbortError'));
          } catch {
            // already closed
          }
        });
      },
      async pull(controller) {
        try {
          const { value, done } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          controller.error(error);
        }
      },
      cancel: () => reader.cancel().catch(() => {}),
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };

  /** Simulated sleep: moves the clock in small steps, letting pending promises run between them. */
  readonly sleep = async (ms: number): Promise<void> => {
    let left = Math.max(0, ms);
    do {
      if (Date.now() > this.deadline) {
        this.timedOut = true;
        throw new ReplayTimeout();
      }
      const step = Math.min(left, 250);
      this.clock.advance(step);
      left -= step;
      await yieldToEventLoop();
    } while (left > 0);
  };

  async sleepUntil(predicate: () => boolean, maxMs: number, stepMs = 250): Promise<boolean> {
    let waited = 0;
    while (!predicate()) {
      if (waited >= maxMs) return false;
      await this.sleep(stepMs);
      waited += stepMs;
    }
    return true;
  }

  async stop(service: ServiceName): Promise<void> {
    if (this.down.has(service)) return;
    this.down.add(service);
    if (service === 'mesos-master') this.mesos.stopMaster();
    else if (service === 'mesos-agent-1' || service === 'mesos-agent-2') this.mesos.stopAgent(service);
    else if (service === 'marathon' || service === 'chronos') this.frameworks.get(service)?.stop();
  }

  async start(service: ServiceName): Promise<void> {
    if (!this.down.has(service)) return;
    this.down.delete(service);
    if (service === 'mesos-master') this.mesos.startMaster();
    else if (service === 'mesos-agent-1' || service === 'mesos-agent-2') this.mesos.startAgent(service);
    else if (service === 'marathon' || service === 'chronos') this.frameworks.get(service)?.start();
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const fw of this.frameworks.values()) {
      try {
        if (fw.running) fw.stop();
      } catch {
        // stopping is best effort
      }
    }
    this.mesos.shutdown();
    await this.executor.shutdown();
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
