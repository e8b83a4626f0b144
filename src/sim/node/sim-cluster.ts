// The simulated cluster in one Node process: the clock, ZooKeeper, the Mesos master and its two
// agents, the frameworks, and one listener per service on 127.0.0.1. Stopping a service closes its
// port (connection refused, like a stopped container) and stops it in the core; starting reopens it.
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import {
  AGENTS,
  SERVICE_NAMES,
  SERVICE_PORTS,
  type Ports,
  type ServiceName,
} from '../../cluster/topology.ts';
import { RealClock, type Clock, type TimerHandle } from '../core/clock.ts';
import type { TaskExecutor } from '../core/executor.ts';
import { MesosCluster } from '../core/mesos/index.ts';
import type { FetchHandler, FrameworkService, Prober, Store } from '../core/service.ts';
import { ZkDatabase, type ZkSnapshot } from '../core/zookeeper/index.ts';
import { guard } from '../http/guard.ts';
import { DebouncedJsonFile, FileStore, readJsonFile } from './file-store.ts';
import { defaultFrameworks, type NamedFramework } from './frameworks.ts';
import { createNodeProber } from './probe.ts';
import { assertPortsFree, LOOPBACK, portError } from './ports.ts';
import { ProcessExecutor } from './process-executor.ts';
import { ZooKeeperServer } from './zookeeper-server.ts';
import { MemoryStore } from '../core/memory-store.ts';

export type LogSink = (service: ServiceName | 'simulador', line: string) => void;

export interface SimClusterOptions {
  /** The port of each service; 0 means any free port (tests), reported in `ports` after start. */
  ports: Ports;
  host?: string;
  /** Where the ZooKeeper tree and the frameworks' stores persist; without it they live in memory. */
  dataDir?: string;
  /** Where task sandboxes go (for the default process executor). */
  workDir?: string;
  /** Where the default process executor lists running task process groups (crash clean-up). */
  taskPidFile?: string;
  executor?: TaskExecutor;
  clock?: Clock;
  /** Speed of the default RealClock (LAB_SIM_SPEED). */
  speed?: number;
  frameworks?: readonly NamedFramework[];
  log?: LogSink;
  /** Health-check prober for Marathon; null for none (every check passes), default the Node one. */
  probe?: Prober | null;
  /** How often the ZooKeeper tree is checked for changes to persist. */
  persistIntervalMs?: number;
}

export interface ServiceRuntime {
  service: ServiceName;
  running: boolean;
  port: number;
}

export interface ClusterReadiness {
  zookeeper: boolean;
  masterElected: boolean;
  activeAgents: number;
  expectedAgents: number;
  frameworks: string[];
  expectedFrameworks: string[];
  ready: boolean;
}

interface HttpSlot {
  kind: 'http';
  service: ServiceName;
  port: number;
  running: boolean;
  server?: Server;
  /** The service's own handler, and the same behind the Host/Origin guard (what the port serves). */
  raw?: FetchHandler;
  handler?: FetchHandler;
}

interface ZkSlot {
  kind: 'zk';
  service: 'zookeeper';
  port: number;
  running: boolean;
  server?: ZooKeeperServer;
}

type Slot = HttpSlot | ZkSlot;

export class SimCluster {
  readonly clock: Clock;
  readonly executor: TaskExecutor;
  readonly db: ZkDatabase;
  private mesos!: MesosCluster;
  private readonly frameworks = new Map<ServiceName, FrameworkService>();
  private readonly stores: FileStore[] = [];
  private readonly slots = new Map<ServiceName, Slot>();
  private readonly host: string;
  private readonly log: LogSink;
  private zkFile?: DebouncedJsonFile;
  private persistTimer?: TimerHandle;
  private savedZxid = -1;
  private closed = false;

  private constructor(private readonly options: SimClusterOptions) {
    this.host = options.host ?? LOOPBACK;
    this.log = options.log ?? (() => {});
    this.clock = options.clock ?? new RealClock(options.speed ?? 1);
    if (options.executor) this.executor = options.executor;
    else if (options.workDir)
      this.executor = new ProcessExecutor({ workDir: options.workDir, pidFile: options.taskPidFile });
    else throw new Error('SimCluster needs an executor or a workDir');
    // ZooKeeper clients are real programs whose heartbeats run on the wall clock: with an
    // accelerated simulator clock their sessions would expire between two pings. So ZooKeeper
    // keeps real time whenever the rest of the cluster runs on an accelerated RealClock.
    const speed = options.speed ?? 1;
    this.db = new ZkDatabase(!options.clock && speed !== 1 ? new RealClock(1) : this.clock);
    if (options.dataDir) {
      const file = path.join(options.dataDir, 'zookeeper.json');
      const snapshot = readJsonFile<ZkSnapshot>(file);
      if (snapshot) {
        try {
          this.db.restore(snapshot);
        } catch (e) {
          this.log('zookeeper', `snapshot ignored: ${(e as Error).message}`);
        }
      }
      this.savedZxid = this.db.zxid;
      this.zkFile = new DebouncedJsonFile(file, 50);
    }
    for (const { service } of SERVICE_PORTS) {
      const port = options.ports[service];
      this.slots.set(
        service,
        service === 'zookeeper'
          ? { kind: 'zk', service, port, running: false }
          : { kind: 'http', service, port, running: false },
      );
    }
  }

  /** Checks every port, binds every listener, then starts the core and the frameworks.
   *  A port that cannot be bound is a LabError and leaves nothing listening. */
  static async start(options: SimClusterOptions): Promise<SimCluster> {
    await assertPortsFree(options.ports, options.host ?? LOOPBACK);
    const cluster = new SimCluster(options);
    try {
      for (const slot of cluster.slots.values()) await cluster.open(slot);
      cluster.boot();
    } catch (e) {
      await cluster.shutdown();
      throw e;
    }
    return cluster;
  }

  /** The bound port of every service. */
  get ports(): Ports {
    const ports = {} as Ports;
    for (const slot of this.slots.values()) ports[slot.service] = slot.port;
    return ports;
  }

  services(): ServiceRuntime[] {
    return SERVICE_NAMES.map((service) => {
      const slot = this.slots.get(service)!;
      return { service, running: slot.running, port: slot.port };
    });
  }

  readiness(): ClusterReadiness {
    const core = this.mesos?.readiness() ?? { masterElected: false, activeAgents: [], frameworks: [] };
    const frameworks = [...core.frameworks];
    const expectedFrameworks = [...this.frameworks.keys()];
    const zookeeper = this.slots.get('zookeeper')!.running;
    return {
      zookeeper,
      masterElected: core.masterElected,
      activeAgents: core.activeAgents.length,
      expectedAgents: AGENTS.length,
      frameworks,
      expectedFrameworks,
      ready:
        zookeeper &&
        core.masterElected &&
        core.activeAgents.length >= AGENTS.length &&
        expectedFrameworks.every((f) => frameworks.includes(f)),
    };
  }

  /** The fetch handler behind a service's port (guarded), for in-process use. */
  handler(service: ServiceName): FetchHandler | undefined {
    const slot = this.slots.get(service);
    return slot?.kind === 'http' ? slot.handler : undefined;
  }

  /** The service's handler without the guard: for the simulator's own queries (status details). */
  rawHandler(service: ServiceName): FetchHandler | undefined {
    const slot = this.slots.get(service);
    return slot?.kind === 'http' ? slot.raw : undefined;
  }

  async stop(service: ServiceName): Promise<void> {
    const slot = this.slotOf(service);
    if (!slot.running) return;
    await this.close(slot);
    if (service === 'mesos-master') this.mesos.stopMaster();
    else if (service === 'mesos-agent-1' || service === 'mesos-agent-2') this.mesos.stopAgent(service);
    else if (service === 'marathon' || service === 'chronos') this.frameworks.get(service)?.stop();
    this.log(service, `parado (porta ${slot.port} fechada)`);
  }

  async start(service: ServiceName): Promise<void> {
    const slot = this.slotOf(service);
    if (slot.running) return;
    await this.open(slot);
    if (service === 'mesos-master') this.mesos.startMaster();
    else if (service === 'mesos-agent-1' || service === 'mesos-agent-2') this.mesos.startAgent(service);
    else if (service === 'marathon' || service === 'chronos') this.frameworks.get(service)?.start();
  }

  /** Stops everything: frameworks, core, tasks, listeners; persists what must survive. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.persistTimer?.cancel();
    for (const fw of this.frameworks.values()) {
      try {
        if (fw.running) fw.stop();
      } catch (e) {
        this.log(fw.name, `erro ao parar: ${(e as Error).message}`);
      }
    }
    try {
      this.mesos?.shutdown();
    } catch (e) {
      this.log('mesos-master', `erro ao parar: ${(e as Error).message}`);
    }
    await this.executor.shutdown();
    await Promise.all([...this.slots.values()].map((slot) => this.close(slot)));
    this.persist();
    this.zkFile?.flush();
    for (const store of this.stores) store.flush();
  }

  private boot(): void {
    this.mesos = new MesosCluster({
      clock: this.clock,
      executor: this.executor,
      zk: this.db.access(),
      agents: AGENTS,
      ports: this.ports,
      log: (service, line) => this.log(service, line),
    });
    this.mesos.start();
    this.setHandler('mesos-master', this.mesos.masterFetch);
    for (const agent of AGENTS) this.setHandler(agent.service, this.mesos.agentFetch(agent.service));

    for (const { name, create } of this.options.frameworks ?? defaultFrameworks()) {
      let store: Store;
      if (this.options.dataDir) {
        const fileStore = new FileStore(path.join(this.options.dataDir, `${name}.json`));
        this.stores.push(fileStore);
        store = fileStore;
      } else {
        store = new MemoryStore();
      }
      const service = create({
        clock: this.clock,
        master: this.mesos.connection(),
        zk: this.db.access(),
        store,
        log: (line: string) => this.log(name, line),
        probe: this.options.probe === null ? undefined : (this.options.probe ?? createNodeProber()),
      });
      this.frameworks.set(name, service);
      this.setHandler(name, service.fetch);
      service.start();
    }
    for (const slot of this.slots.values()) {
      if (slot.kind === 'http' && !slot.handler) this.setHandler(slot.service, notHere);
    }
    if (this.zkFile) {
      this.persistTimer = realInterval(() => this.persist(), this.options.persistIntervalMs ?? 500);
    }
  }

  private persist(): void {
    if (!this.zkFile || this.db.zxid === this.savedZxid) return;
    this.savedZxid = this.db.zxid;
    this.zkFile.schedule(() => this.db.serialize());
  }

  private setHandler(service: ServiceName, fetch: FetchHandler): void {
    const slot = this.slotOf(service);
    if (slot.kind !== 'http') return;
    slot.raw = fetch;
    const app = new Hono();
    app.use('*', guard());
    app.all('*', (c) => fetch(c.req.raw));
    slot.handler = (request) => app.fetch(request);
  }

  private slotOf(service: ServiceName): Slot {
    const slot = this.slots.get(service);
    if (!slot) throw new Error(`unknown service ${service}`);
    return slot;
  }

  private async open(slot: Slot): Promise<void> {
    try {
      if (slot.kind === 'zk') {
        const server = new ZooKeeperServer(this.db);
        slot.port = await server.listen(slot.port, this.host);
        slot.server = server;
      } else {
        const listener = getRequestListener((request: Request) =>
          slot.handler
            ? slot.handler(request)
            : new Response('O serviço ainda está subindo.\n', { status: 503 }),
        );
        const server = createServer(listener);
        server.keepAliveTimeout = 5000;
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ port: slot.port, host: this.host, exclusive: true }, () => {
            server.off('error', reject);
            resolve();
          });
        });
        slot.port = (server.address() as { port: number }).port;
        slot.server = server;
      }
    } catch (e) {
      throw portError(slot.service, slot.port, e as NodeJS.ErrnoException);
    }
    slot.running = true;
    this.log(slot.service, `ouvindo em ${this.host}:${slot.port}`);
  }

  private async close(slot: Slot): Promise<void> {
    slot.running = false;
    const server = slot.server;
    slot.server = undefined;
    if (!server) return;
    if (slot.kind === 'zk') {
      await (server as ZooKeeperServer).close();
      return;
    }
    const http = server as Server;
    await new Promise<void>((resolve) => {
      http.close(() => resolve());
      // A stopped container drops open connections too, keep-alive ones included.
      http.closeAllConnections();
    });
  }
}

/** A service whose simulation is not in this version yet: say so instead of pretending. */
const notHere: FetchHandler = () =>
  new Response('Este serviço ainda não faz parte do simulador nesta versão do kit.\n', {
    status: 503,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });

function realInterval(fn: () => void, ms: number): TimerHandle {
  const id = setInterval(fn, ms);
  id.unref();
  return { cancel: () => clearInterval(id) };
}
