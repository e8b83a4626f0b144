// The simulated Mesos cluster: one master and the agents of the topology, wired to a clock,
// a task executor and the ZooKeeper tree. Frameworks connect through `connection()`; the
// HTTP APIs are `masterFetch` (port 5050) and `agentFetch(service)` (5151 / 5152).
//
// Behaviour modelled on Mesos 1.1.0 (shared/specs section B and C.1, and the Mesos sources),
// with these choices where the spec is silent:
// - Election: the master writes the ephemeral sequential `/mesos/json.info_NNNNNNNNNN` (MasterInfo
//   as JSON, keys sorted) and leads when its node is the lowest. A stopped master's node stays
//   until its ZooKeeper session expires (zk_session_timeout, 10 s), so a master restarted
//   sooner is elected only then, as with `docker compose stop/start`.
// - Agent loss: the master sees the agent's socket close and deactivates it at once (offers
//   rescinded; tasks of non-checkpointing frameworks TASK_LOST / REASON_SLAVE_DISCONNECTED). After
//   agent_ping_timeout × max_agent_ping_timeouts (15 s × 5 = 75 s; the real figure falls between
//   60 and 75 s, depending on the ping phase) it is marked unreachable: removed from the agents,
//   its tasks TASK_LOST / REASON_SLAVE_REMOVED / SOURCE_MASTER, agentLost() to every framework.
// - Agent back: its tasks died with its container. Before the timeout it re-registers with its
//   id and reports them TASK_FAILED / REASON_EXECUTOR_TERMINATED. After it, Mesos 1.1 no longer
//   shuts a partitioned agent down: it re-registers with the same id, and the tasks of
//   partition-unaware frameworks (all of ours) are dropped, since they were already reported lost.
// - Master restart: new master id; agents re-register with their ids (in_memory registry,
//   registry_strict=false), frameworks with theirs (`registered(id, true)`). A framework that
//   fails over itself (new driver with FrameworkInfo.id) gets `registered(id, false)`.
// - Tasks go TASK_STAGING → TASK_RUNNING → terminal: the 1.1 command executor sends no
//   TASK_STARTING; TASK_KILLING only to frameworks with the TASK_KILLING_STATE capability.
// - Allocation: every second (and when agents, frameworks or freed resources appear), agents in
//   random order, each agent's whole unfiltered leftover to the framework with the lowest
//   dominant share; decline/launch leftovers filtered for refuse_seconds (default 5 s).
import type { AgentSpec, Ports } from '../../../cluster/topology.ts';
import { CLUSTER_NAME, MASTER_HOSTNAME } from '../../../cluster/topology.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import type { TaskExecutor } from '../executor.ts';
import type { FetchHandler, MasterConnection, ZkAccess } from '../service.ts';
import type { Filters, FrameworkInfo, Scheduler, SchedulerDriver, TaskInfo } from './api.ts';
import { Agent } from './agent.ts';
import { createAgentApp } from './agent-http.ts';
import { Master, type FrameworkLink } from './master.ts';
import { createMasterApp } from './master-http.ts';
import { DELAYS, ZK_SESSION_TIMEOUT_MS } from './model.ts';

export type AgentService = 'mesos-agent-1' | 'mesos-agent-2';

export interface MesosClusterOptions {
  clock: Clock;
  executor: TaskExecutor;
  zk: ZkAccess;
  agents: readonly AgentSpec[];
  ports: Ports;
  /** Agents' --work_dir as shown in sandbox paths (default `/var/lib/mesos-agent`, as in the compose file). */
  workDir?: string;
  /** Random source for ids-free choices (agent order in allocation, jitter); tests pass a seeded one. */
  random?: () => number;
  /** Log lines of the master and agents (what `cluster logs` shows). */
  log?: (service: 'mesos-master' | AgentService, line: string) => void;
}

class Driver implements SchedulerDriver, FrameworkLink {
  id: string;
  stopped = false;
  registered = false;
  readonly pid: string;

  constructor(
    private readonly cluster: MesosCluster,
    public info: FrameworkInfo,
    readonly scheduler: Scheduler,
  ) {
    this.id = info.id ?? '';
    const port = 30000 + Math.floor(cluster.random() * 30000);
    this.pid = `scheduler-${globalThis.crypto.randomUUID()}@127.0.0.1:${port}`;
  }

  get frameworkId(): string {
    return this.id;
  }

  onRegistered(frameworkId: string, reregistered: boolean): void {
    this.id = frameworkId;
    this.registered = true;
    this.info = { ...this.info, id: frameworkId };
    this.scheduler.registered(frameworkId, reregistered);
  }

  private master(): Master | undefined {
    const m = this.cluster.currentMaster();
    return m && this.registered && !this.stopped ? m : undefined;
  }

  launchTasks(offerIds: string[], tasks: TaskInfo[], filters?: Filters): void {
    const m = this.master();
    if (!m) {
      // The driver answers by itself while disconnected (src/sched/sched.cpp).
      const now = this.cluster.clock.now() / 1000;
      for (const t of tasks) {
        this.cluster.defer(() =>
          this.scheduler.statusUpdate({
            taskId: t.taskId,
            frameworkId: this.id,
            agentId: t.agentId,
            state: 'TASK_LOST',
            timestamp: now,
            source: 'SOURCE_MASTER',
            reason: 'REASON_MASTER_DISCONNECTED',
            message: 'Master disconnected',
          }),
        );
      }
      return;
    }
    if (tasks.length === 0) {
      for (const id of offerIds) m.decline(this.id, id, filters);
      return;
    }
    m.launch(this.id, offerIds, tasks, filters);
  }

  declineOffer(offerId: string, filters?: Filters): void {
    this.master()?.decline(this.id, offerId, filters);
  }

  killTask(taskId: string): void {
    this.master()?.kill(this.id, taskId);
  }

  reconcileTasks(taskIds: string[]): void {
    this.master()?.reconcile(this.id, taskIds);
  }

  reviveOffers(): void {
    this.master()?.revive(this.id);
  }

  suppressOffers(): void {
    this.master()?.suppress(this.id);
  }

  stop(failover: boolean): void {
    if (this.stopped) return;
    const m = this.master();
    this.stopped = true;
    this.cluster.dropDriver(this);
    if (!m) return;
    if (failover) m.deactivateFramework(this.id);
    else {
      const fw = m.frameworks.get(this.id);
      if (fw) m.removeFramework(fw);
    }
  }
}

export class MesosCluster {
  readonly clock: Clock;
  readonly random: () => number;
  private readonly executor: TaskExecutor;
  private readonly zk: ZkAccess;
  private readonly ports: Ports;
  private readonly agents = new Map<AgentService, Agent>();
  private master: Master | undefined;
  private drivers = new Set<Driver>();
  private timers = new Set<TimerHandle>();
  private started = false;
  readonly masterFetch: FetchHandler;
  private readonly agentHandlers = new Map<AgentService, FetchHandler>();
  private readonly log: (service: 'mesos-master' | AgentService, line: string) => void;

  constructor(options: MesosClusterOptions) {
    this.clock = options.clock;
    this.executor = options.executor;
    this.zk = options.zk;
    this.ports = options.ports;
    this.random = options.random ?? Math.random;
    this.log = options.log ?? (() => {});
    const workDir = options.workDir ?? '/var/lib/mesos-agent';
    for (const spec of options.agents) {
      const agent = new Agent(spec, options.ports[spec.service], workDir, this.clock, this.executor);
      agent.uplink = {
        statusUpdate: (a, status, record) => {
          const m = this.master;
          if (m && m.running && a.registeredWith === m.id)
            this.defer(() => m.statusUpdate(a, status, record));
          else a.pendingUpdates.push({ status, record });
        },
      };
      this.agents.set(spec.service, agent);
      this.agentHandlers.set(spec.service, createAgentApp(this, agent).fetch);
    }
    this.masterFetch = createMasterApp(this).fetch;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Master elected and agents registered after simulated delays of a few hundred ms. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.startMaster();
    for (const service of this.agents.keys()) this.startAgent(service);
  }

  connection(): MasterConnection {
    return {
      registerFramework: (info: FrameworkInfo, scheduler: Scheduler): SchedulerDriver => {
        const driver = new Driver(this, { ...info }, scheduler);
        this.drivers.add(driver);
        this.tryRegisterFramework(driver, false);
        return driver;
      },
    };
  }

  agentFetch(service: AgentService): FetchHandler {
    const handler = this.agentHandlers.get(service);
    if (!handler) throw new Error(`unknown agent service ${service}`);
    return handler;
  }

  /** Like `docker compose stop mesos-master`: frameworks are told disconnected(), agents lose it. */
  stopMaster(): void {
    const m = this.master;
    if (!m) return;
    this.master = undefined;
    m.stop();
    this.log('mesos-master', 'Received SIGTERM; exiting');
    // The killed master's ZooKeeper session (and so its znode) expires after zk_session_timeout.
    const owner = `mesos-master:${m.id}`;
    this.after(ZK_SESSION_TIMEOUT_MS, () => {
      try {
        this.zk.expireOwner(owner);
      } catch {
        // ZooKeeper may be gone too.
      }
    });
    for (const agent of this.agents.values()) agent.registeredWith = undefined;
    for (const d of this.drivers) {
      if (d.registered) {
        d.registered = false;
        this.defer(() => d.scheduler.disconnected());
      }
    }
  }

  /** A new master process (new id); agents re-register with their ids, frameworks re-register. */
  startMaster(): void {
    if (this.master) return;
    const m = new Master({
      clock: this.clock,
      zk: this.zk,
      port: this.ports['mesos-master'],
      hostname: MASTER_HOSTNAME,
      cluster: CLUSTER_NAME,
      random: this.random,
      agents: [...this.agents.values()],
      log: (line) => this.log('mesos-master', line),
    });
    this.master = m;
    this.log(
      'mesos-master',
      `Master ${m.id} (${MASTER_HOSTNAME}) started on 127.0.0.1:${this.ports['mesos-master']}`,
    );
    this.waitElected(m);
  }

  private waitElected(m: Master): void {
    this.after(50, () => {
      if (this.master !== m) return;
      if (!m.elected) {
        this.waitElected(m);
        return;
      }
      for (const service of this.agents.keys()) this.scheduleAgentRegistration(service);
      for (const d of this.drivers) this.tryRegisterFramework(d, true);
    });
  }

  stopAgent(service: AgentService): void {
    const agent = this.agents.get(service);
    if (!agent || !agent.running) return;
    agent.stop();
    this.log(service, 'Received SIGTERM; exiting');
    this.master?.agentExited(agent);
  }

  startAgent(service: AgentService): void {
    const agent = this.agents.get(service);
    if (!agent || agent.running) return;
    agent.start();
    this.log(service, `Agent started on 127.0.0.1:${agent.port} (${agent.hostname})`);
    this.scheduleAgentRegistration(service);
  }

  private scheduleAgentRegistration(service: AgentService): void {
    const agent = this.agents.get(service)!;
    const delay = DELAYS.agentRegistration + Math.floor(this.random() * DELAYS.agentRegistrationJitter);
    this.after(delay, () => {
      const m = this.master;
      if (!agent.running || agent.registeredWith) return;
      if (!m || !m.elected) return; // registration resumes when a master is elected
      m.registerAgent(agent);
      if (agent.id) this.log(service, `Registered with master ${m.pid}; given agent ID ${agent.id}`);
    });
  }

  private tryRegisterFramework(driver: Driver, masterFailover: boolean): void {
    this.after(DELAYS.frameworkRegistration, () => {
      const m = this.master;
      if (driver.stopped || driver.registered || !m || !m.elected) return;
      const info = driver.id ? { ...driver.info, id: driver.id } : driver.info;
      m.registerFramework(info, driver, masterFailover && !!driver.id);
    });
  }

  /** Whether the master process runs (the orchestrator closes port 5050 when it does not). */
  masterRunning(): boolean {
    return this.master !== undefined;
  }

  agentRunning(service: AgentService): boolean {
    return this.agents.get(service)?.running ?? false;
  }

  readiness(): { masterElected: boolean; activeAgents: string[]; frameworks: string[] } {
    const m = this.master;
    if (!m || !m.elected) return { masterElected: false, activeAgents: [], frameworks: [] };
    return {
      masterElected: true,
      activeAgents: [...m.agents.values()].filter((a) => a.active).map((a) => a.agent.hostname),
      frameworks: [...m.frameworks.values()].filter((f) => f.active).map((f) => f.info.name),
    };
  }

  shutdown(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    const m = this.master;
    m?.stop();
    this.master = undefined;
    // The whole simulator stops: its ZooKeeper tree must not keep this master as a contender.
    if (m) {
      try {
        this.zk.expireOwner(`mesos-master:${m.id}`);
      } catch {
        // ZooKeeper may be gone already.
      }
    }
    for (const agent of this.agents.values()) agent.stop();
    this.drivers.clear();
  }

  // ---------------------------------------------------------------- internals for the HTTP apps and drivers

  currentMaster(): Master | undefined {
    return this.master;
  }

  agentList(): Agent[] {
    return [...this.agents.values()];
  }

  dropDriver(driver: Driver): void {
    this.drivers.delete(driver);
  }

  defer(fn: () => void): void {
    this.after(DELAYS.message, fn);
  }

  private after(ms: number, fn: () => void): void {
    const handle = this.clock.setTimeout(() => {
      this.timers.delete(handle);
      fn();
    }, ms);
    this.timers.add(handle);
  }
}

export { ModelExecutor } from '../model-executor.ts';
export type { Agent } from './agent.ts';
export type { Master } from './master.ts';
