// The simulated Mesos 1.1 master: agent registry, frameworks, the hierarchical DRF
// allocator (offers every allocation interval), task launch validation, status updates,
// agent health (ping timeouts) and the ZooKeeper contender znode.
import type { Clock, TimerHandle } from '../clock.ts';
import type { ZkAccess } from '../service.ts';
import type {
  Filters,
  FrameworkInfo,
  Offer,
  Resources,
  Scheduler,
  TaskInfo,
  TaskState,
  TaskStatus,
} from './api.ts';
import { isTerminal } from './api.ts';
import type { Agent } from './agent.ts';
import {
  AGENT_PING_TIMEOUT_MS,
  ALLOCATION_INTERVAL_MS,
  DEFAULT_REFUSE_SECONDS,
  DELAYS,
  MAX_AGENT_PING_TIMEOUTS,
  MAX_COMPLETED_FRAMEWORKS,
  MAX_COMPLETED_TASKS_PER_FRAMEWORK,
  MESOS_VERSION,
  cloneTask,
  type RegisteredFrameworkInfo,
  type TaskRecord,
} from './model.ts';
import {
  addResources,
  containsResources,
  dominantShare,
  emptyResources,
  isAllocatable,
  isEmptyResources,
  subtractResources,
  sumResources,
} from './resources.ts';

export interface MasterAgent {
  agent: Agent;
  id: string;
  registeredTime: number;
  reregisteredTime?: number;
  active: boolean;
  connected: boolean;
  removalTimer?: TimerHandle;
  /** Tasks the master knows on this agent, by framework (includes orphans). */
  tasks: Map<string, TaskRecord>;
}

export interface OfferRecord {
  offer: Offer;
  frameworkId: string;
  agentId: string;
  resources: Resources;
}

export interface FilterRecord {
  agentId: string;
  resources: Resources;
  until: number;
}

/** The framework side the master talks to (the scheduler driver). */
export interface FrameworkLink {
  readonly scheduler: Scheduler;
  /** A random libprocess pid, like a driver's `scheduler-<uuid>@<ip>:<port>`. */
  readonly pid: string;
  onRegistered(frameworkId: string, reregistered: boolean): void;
}

export interface MasterFramework {
  id: string;
  info: RegisteredFrameworkInfo;
  link: FrameworkLink | undefined;
  active: boolean;
  connected: boolean;
  registeredTime: number;
  reregisteredTime: number;
  unregisteredTime: number;
  tasks: Map<string, TaskRecord>;
  completedTasks: TaskRecord[];
  offers: Set<string>;
  filters: FilterRecord[];
  suppressed: boolean;
  failoverTimer?: TimerHandle;
  /** Updates waiting for the scheduler to reconnect (not yet acknowledged). */
  pending: TaskStatus[];
  /** Number of allocations received, the DRF sorter's tie-breaker. */
  allocations: number;
}

export const TASK_STATE_COUNTS: readonly TaskState[] = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_KILLED',
  'TASK_FAILED',
  'TASK_LOST',
  'TASK_ERROR',
];

export interface MasterOptions {
  clock: Clock;
  zk: ZkAccess;
  port: number;
  hostname: string;
  cluster: string;
  random: () => number;
  /** All agents of the cluster (running or not), to look up by id on re-registration. */
  agents: readonly Agent[];
  log(line: string): void;
}

export class Master {
  readonly id = globalThis.crypto.randomUUID();
  readonly pid: string;
  readonly startTime: number;
  electedTime: number | undefined;
  elected = false;
  running = true;
  /** Bumped on every change that /master/state can show (lets HTTP views cache their body). */
  revision = 0;
  zkNode: string | undefined;
  readonly agents = new Map<string, MasterAgent>();
  /** Agents marked unreachable (id → time), as the registry keeps them in 1.1. */
  readonly unreachable = new Map<string, number>();
  readonly frameworks = new Map<string, MasterFramework>();
  readonly completedFrameworks: MasterFramework[] = [];
  readonly offers = new Map<string, OfferRecord>();
  private nextAgent = 0;
  private nextFramework = 0;
  private nextOffer = 0;
  private timers = new Set<TimerHandle>();
  private allocationTimer: TimerHandle | undefined;
  readonly metrics = {
    slaveRegistrations: 0,
    slaveReregistrations: 0,
    slaveRemovals: 0,
    slaveRemovalsUnhealthy: 0,
    slaveUnreachableScheduled: 0,
    slaveUnreachableCompleted: 0,
    tasksFinished: 0,
    tasksFailed: 0,
    tasksKilled: 0,
    tasksLost: 0,
    tasksError: 0,
    validStatusUpdates: 0,
    invalidStatusUpdates: 0,
    messagesRegisterFramework: 0,
    messagesReregisterFramework: 0,
    messagesUnregisterFramework: 0,
    messagesLaunchTasks: 0,
    messagesDeclineOffers: 0,
    messagesReviveOffers: 0,
    messagesSuppressOffers: 0,
    messagesKillTask: 0,
    messagesReconcileTasks: 0,
    messagesRegisterSlave: 0,
    messagesReregisterSlave: 0,
    messagesStatusUpdate: 0,
    allocationRuns: 0,
    reasonCounters: new Map<string, number>(),
  };

  constructor(private readonly o: MasterOptions) {
    this.pid = `master@127.0.0.1:${o.port}`;
    this.startTime = o.clock.now() / 1000;
    this.contend();
  }

  uptimeSecs(): number {
    return this.now() - this.startTime;
  }

  private get clock(): Clock {
    return this.o.clock;
  }

  private now(): number {
    return this.clock.now() / 1000;
  }

  private later(ms: number, fn: () => void): TimerHandle {
    const handle = this.clock.setTimeout(() => {
      this.timers.delete(handle);
      if (this.running) fn();
    }, ms);
    this.timers.add(handle);
    return handle;
  }

  // ---------------------------------------------------------------- election

  /** MasterInfo as stringified by JSON::protobuf (std::map, so keys come out sorted). */
  masterInfoJson(): string {
    return JSON.stringify({
      address: { hostname: this.o.hostname, ip: '127.0.0.1', port: this.o.port },
      hostname: this.o.hostname,
      id: this.id,
      // 127.0.0.1 in network byte order read as a little-endian uint32.
      ip: 16777343,
      pid: this.pid,
      port: this.o.port,
      version: MESOS_VERSION,
    });
  }

  private contend(): void {
    this.createZnode();
    this.later(DELAYS.masterElection, () => this.checkElected());
  }

  /** The contender's ephemeral sequential znode (src/master/contender/zookeeper.cpp). Retried on
   *  each election check while ZooKeeper refuses it. */
  private createZnode(): void {
    if (this.zkNode) return;
    try {
      this.zkNode = this.o.zk.create('/mesos/json.info_', new TextEncoder().encode(this.masterInfoJson()), {
        ephemeralOwner: `mesos-master:${this.id}`,
        sequential: true,
      });
    } catch (err) {
      this.o.log(`Failed to contend for leadership: ${String(err)}`);
    }
  }

  /** The lowest `json.info_` sequence is the leader (src/zookeeper/group.cpp). */
  private checkElected(): void {
    this.revision++;
    if (this.elected) return;
    this.createZnode();
    let lowest: string | undefined;
    try {
      const children = this.o.zk.children('/mesos').filter((c) => c.startsWith('json.info_'));
      children.sort();
      lowest = children[0];
    } catch {
      lowest = undefined;
    }
    if (this.zkNode && lowest !== undefined && `/mesos/${lowest}` === this.zkNode) {
      this.elected = true;
      this.electedTime = this.now();
      this.o.log(`Elected as the leading master! (${this.pid})`);
      this.allocationTimer = this.clock.setInterval(() => this.allocate(), ALLOCATION_INTERVAL_MS);
    } else {
      this.later(500, () => this.checkElected());
    }
  }

  /** The master process dies (docker compose stop): timers stop, links are dropped. */
  stop(): void {
    this.revision++;
    this.running = false;
    this.elected = false;
    this.allocationTimer?.cancel();
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    for (const a of this.agents.values()) a.removalTimer?.cancel();
    for (const f of this.frameworks.values()) f.failoverTimer?.cancel();
  }

  // ---------------------------------------------------------------- agents

  /** RegisterSlaveMessage / ReregisterSlaveMessage. */
  registerAgent(agent: Agent): void {
    this.revision++;
    if (!this.running || !this.elected) return;
    const now = this.now();
    if (agent.id) {
      // Known, unreachable, or unknown to this master (in-memory registry after a failover):
      // Mesos 1.1 admits the agent again with its checkpointed id.
      this.reregisterAgent(agent, now);
      return;
    }
    this.metrics.messagesRegisterSlave++;
    this.metrics.slaveRegistrations++;
    const id = `${this.id}-S${this.nextAgent++}`;
    agent.id = id;
    agent.registeredWith = this.id;
    this.agents.set(id, { agent, id, registeredTime: now, active: true, connected: true, tasks: new Map() });
    this.o.log(`Registered agent ${id} at ${agent.pid} (${agent.hostname})`);
    agent.flush();
    this.allocate([id]);
  }

  private reregisterAgent(agent: Agent, now: number): void {
    this.revision++;
    const id = agent.id as string;
    this.metrics.messagesReregisterSlave++;
    this.metrics.slaveReregistrations++;
    const wasUnreachable = this.unreachable.has(id);
    this.unreachable.delete(id);
    let entry = this.agents.get(id);
    if (entry) {
      entry.removalTimer?.cancel();
      entry.removalTimer = undefined;
      entry.active = true;
      entry.connected = true;
      entry.reregisteredTime = now;
    } else {
      entry = {
        agent,
        id,
        registeredTime: now,
        reregisteredTime: now,
        active: true,
        connected: true,
        tasks: new Map(),
      };
      this.agents.set(id, entry);
    }
    agent.registeredWith = this.id;
    // The agent reports its frameworks and tasks. Partition-unaware frameworks (Marathon
    // 1.3.6, Chronos 3.0.1) already saw TASK_LOST for an unreachable agent's tasks, so Mesos
    // 1.1 tells the agent to shut those frameworks down instead of adopting the tasks.
    for (const [fwId, fw] of agent.frameworks) {
      if (wasUnreachable) {
        agent.forgetTasks(fwId, 'TASK_LOST');
        continue;
      }
      if (this.completedFrameworks.some((c) => c.id === fwId)) {
        agent.shutdownFramework(fwId);
        continue;
      }
      for (const run of fw.executors.values()) {
        if (isTerminal(run.task.state)) continue;
        if (entry.tasks.has(run.task.taskId)) continue;
        const record = cloneTask(run.task);
        entry.tasks.set(record.taskId, record);
        const master = this.frameworks.get(fwId);
        if (master) master.tasks.set(record.taskId, record);
      }
    }
    this.o.log(`Re-registered agent ${id} at ${agent.pid} (${agent.hostname})`);
    agent.flush();
    this.allocate([id]);
  }

  /** The agent's socket closed (its process exited). Mesos 1.1 deactivates a checkpointing
   *  agent and starts counting ping timeouts; after 5 × 15 s it is marked unreachable. */
  agentExited(agent: Agent): void {
    this.revision++;
    if (!agent.id) return;
    const entry = this.agents.get(agent.id);
    if (!entry || !entry.connected) return;
    entry.connected = false;
    entry.active = false;
    this.rescindAgentOffers(entry.id);
    this.o.log(`Agent ${entry.id} (${agent.hostname}) disconnected`);
    // Frameworks that do not checkpoint lose their tasks on this agent right away
    // (Master::exited → removeFramework(Slave*, Framework*)); Marathon and Chronos checkpoint.
    const now = this.now();
    for (const record of [...entry.tasks.values()]) {
      const fw = this.frameworks.get(record.frameworkId);
      if (!fw || fw.info.checkpoint || isTerminal(record.state)) continue;
      record.state = 'TASK_LOST';
      record.statuses.push({ state: 'TASK_LOST', timestamp: now });
      entry.tasks.delete(record.taskId);
      this.countTerminal('TASK_LOST', 'SOURCE_MASTER', 'REASON_SLAVE_DISCONNECTED');
      this.completeTask(fw, record);
      this.deliver(fw, {
        taskId: record.taskId,
        frameworkId: fw.id,
        agentId: entry.id,
        state: 'TASK_LOST',
        timestamp: now,
        source: 'SOURCE_MASTER',
        reason: 'REASON_SLAVE_DISCONNECTED',
        message: `Slave ${agent.hostname} disconnected`,
      });
    }
    this.metrics.slaveUnreachableScheduled++;
    entry.removalTimer = this.later(AGENT_PING_TIMEOUT_MS * MAX_AGENT_PING_TIMEOUTS, () =>
      this.markUnreachable(entry),
    );
  }

  private markUnreachable(entry: MasterAgent): void {
    this.revision++;
    if (entry.connected) return;
    this.o.log(`Marking agent ${entry.id} (${entry.agent.hostname}) unreachable: health check timed out`);
    this.metrics.slaveRemovals++;
    this.metrics.slaveRemovalsUnhealthy++;
    this.metrics.slaveUnreachableCompleted++;
    this.agents.delete(entry.id);
    this.unreachable.set(entry.id, this.now());
    this.rescindAgentOffers(entry.id);
    const now = this.now();
    for (const record of entry.tasks.values()) {
      if (isTerminal(record.state)) continue;
      const fw = this.frameworks.get(record.frameworkId);
      record.state = 'TASK_LOST';
      record.statuses.push({ state: 'TASK_LOST', timestamp: now });
      this.countTerminal('TASK_LOST', 'SOURCE_MASTER', 'REASON_SLAVE_REMOVED');
      const status: TaskStatus = {
        taskId: record.taskId,
        frameworkId: record.frameworkId,
        agentId: entry.id,
        state: 'TASK_LOST',
        timestamp: now,
        source: 'SOURCE_MASTER',
        reason: 'REASON_SLAVE_REMOVED',
        message: `Slave ${entry.agent.hostname} is unreachable`,
      };
      if (fw) {
        this.completeTask(fw, record);
        this.deliver(fw, status);
      }
    }
    entry.tasks.clear();
    for (const fw of this.frameworks.values()) {
      if (fw.connected && fw.link) {
        const link = fw.link;
        this.later(DELAYS.message, () => link.scheduler.agentLost(entry.id));
      }
    }
  }

  private rescindAgentOffers(agentId: string): void {
    for (const [offerId, rec] of [...this.offers]) {
      if (rec.agentId !== agentId) continue;
      this.removeOffer(offerId);
      const fw = this.frameworks.get(rec.frameworkId);
      if (fw?.connected && fw.link) {
        const link = fw.link;
        this.later(DELAYS.message, () => link.scheduler.offerRescinded(offerId));
      }
    }
  }

  // ---------------------------------------------------------------- frameworks

  registerFramework(info: FrameworkInfo, link: FrameworkLink, masterFailover: boolean): void {
    this.revision++;
    if (!this.running || !this.elected) return;
    const now = this.now();
    if (info.id) {
      if (this.completedFrameworks.some((c) => c.id === info.id)) {
        link.scheduler.error?.('Framework has been removed');
        return;
      }
      this.metrics.messagesReregisterFramework++;
      let fw = this.frameworks.get(info.id);
      if (fw) {
        fw.failoverTimer?.cancel();
        fw.failoverTimer = undefined;
        // A second scheduler with the same id takes over; the old one is told (MESOS-4712).
        const old = fw.link;
        if (old && old !== link) {
          for (const offerId of [...fw.offers]) this.removeOffer(offerId);
          this.later(DELAYS.message, () => old.scheduler.error?.('Framework failed over'));
        }
        fw.info = { ...info, id: info.id };
        fw.link = link;
        fw.active = true;
        fw.connected = true;
        fw.reregisteredTime = now;
        fw.unregisteredTime = 0;
      } else {
        fw = this.newFramework(info.id, info, link, now);
        // Re-registered after a master failover: Mesos stamps reregisteredTime a moment after the
        // framework object is created, so /state shows reregistered_time.
        if (masterFailover) fw.reregisteredTime = now + 1e-6;
        // Adopt the orphans the agents reported for this framework.
        for (const a of this.agents.values()) {
          for (const t of a.tasks.values())
            if (t.frameworkId === info.id && !isTerminal(t.state)) fw.tasks.set(t.taskId, t);
        }
      }
      this.o.log(`Framework ${fw.id} (${info.name}) re-registered`);
      link.onRegistered(fw.id, masterFailover);
      this.flushPending(fw);
      this.allocate();
      return;
    }
    this.metrics.messagesRegisterFramework++;
    const id = `${this.id}-${String(this.nextFramework++).padStart(4, '0')}`;
    const fw = this.newFramework(id, info, link, now);
    this.o.log(`Registered framework ${id} (${info.name})`);
    link.onRegistered(id, false);
    this.allocate();
    void fw;
  }

  private newFramework(id: string, info: FrameworkInfo, link: FrameworkLink, now: number): MasterFramework {
    const fw: MasterFramework = {
      id,
      info: { ...info, id },
      link,
      active: true,
      connected: true,
      registeredTime: now,
      reregisteredTime: now,
      unregisteredTime: 0,
      tasks: new Map(),
      completedTasks: [],
      offers: new Set(),
      filters: [],
      suppressed: false,
      pending: [],
      allocations: 0,
    };
    this.frameworks.set(id, fw);
    return fw;
  }

  /** The scheduler went away without tearing down (failover): tasks keep running until
   *  failover_timeout passes; then the framework is removed and its tasks killed. */
  deactivateFramework(fwId: string): void {
    this.revision++;
    const fw = this.frameworks.get(fwId);
    if (!fw || !fw.connected) return;
    fw.connected = false;
    fw.active = false;
    fw.link = undefined;
    fw.unregisteredTime = this.now();
    for (const offerId of [...fw.offers]) this.removeOffer(offerId);
    const timeoutMs = Math.max(0, fw.info.failoverTimeoutSeconds) * 1000;
    fw.failoverTimer = this.later(timeoutMs, () => this.removeFramework(fw));
  }

  /** Teardown / unregister / failover timeout. */
  removeFramework(fw: MasterFramework): void {
    this.revision++;
    if (!this.frameworks.has(fw.id)) return;
    this.metrics.messagesUnregisterFramework++;
    fw.failoverTimer?.cancel();
    for (const offerId of [...fw.offers]) this.removeOffer(offerId);
    fw.active = false;
    fw.connected = false;
    fw.link = undefined;
    if (!fw.unregisteredTime) fw.unregisteredTime = this.now();
    const now = this.now();
    for (const t of [...fw.tasks.values()]) {
      if (!isTerminal(t.state)) {
        t.state = 'TASK_KILLED';
        t.statuses.push({ state: 'TASK_KILLED', timestamp: now });
        this.countTerminal('TASK_KILLED', 'SOURCE_MASTER', 'REASON_FRAMEWORK_REMOVED');
      }
      this.completeTask(fw, t);
    }
    for (const a of this.agents.values()) {
      a.agent.frameworkRemoved.add(fw.id);
      a.agent.forgetTasks(fw.id, 'TASK_KILLED');
      a.agent.gcFrameworks();
      for (const [taskId, t] of a.tasks) if (t.frameworkId === fw.id) a.tasks.delete(taskId);
    }
    this.frameworks.delete(fw.id);
    this.completedFrameworks.push(fw);
    if (this.completedFrameworks.length > MAX_COMPLETED_FRAMEWORKS) this.completedFrameworks.shift();
    this.o.log(`Removed framework ${fw.id} (${fw.info.name})`);
  }

  // ---------------------------------------------------------------- allocator

  private available(entry: MasterAgent): Resources {
    let used = sumResources(
      [...entry.tasks.values()].filter((t) => !isTerminal(t.state)).map((t) => t.resources),
    );
    for (const rec of this.offers.values())
      if (rec.agentId === entry.id) used = addResources(used, rec.resources);
    return subtractResources(entry.agent.total, used);
  }

  clusterTotal(): Resources {
    return sumResources([...this.agents.values()].map((a) => a.agent.total));
  }

  private allocated(fw: MasterFramework): Resources {
    const used = sumResources(
      [...fw.tasks.values()].filter((t) => !isTerminal(t.state)).map((t) => t.resources),
    );
    return addResources(used, sumResources([...fw.offers].map((id) => this.offers.get(id)!.resources)));
  }

  /** One allocation run of the hierarchical DRF allocator: agents in random order, each
   *  agent's whole unfiltered leftover offered to the framework with the lowest dominant
   *  share (ties: fewer allocations, then id). */
  allocate(onlyAgents?: string[]): void {
    this.revision++;
    if (!this.running || !this.elected) return;
    this.metrics.allocationRuns++;
    const now = this.clock.now();
    const total = this.clusterTotal();
    const agentIds = [...this.agents.values()].filter((a) => a.active && a.connected).map((a) => a.id);
    const candidates = onlyAgents ? agentIds.filter((id) => onlyAgents.includes(id)) : agentIds;
    // Fisher-Yates shuffle, as the allocator shuffles agents each run.
    for (let i = candidates.length - 1; i > 0; i--) {
      const j = Math.floor(this.o.random() * (i + 1));
      [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
    }
    const newOffers = new Map<string, Offer[]>();
    for (const agentId of candidates) {
      const entry = this.agents.get(agentId)!;
      const frameworks = [...this.frameworks.values()]
        .filter((f) => f.active && f.connected && !f.suppressed && f.link)
        .map((f) => ({ f, share: dominantShare(this.allocated(f), total) }))
        .sort((a, b) => a.share - b.share || a.f.allocations - b.f.allocations || (a.f.id < b.f.id ? -1 : 1));
      for (const { f } of frameworks) {
        const available = this.available(entry);
        if (!isAllocatable(available)) break;
        f.filters = f.filters.filter((flt) => flt.until > now);
        if (f.filters.some((flt) => flt.agentId === agentId && containsResources(flt.resources, available)))
          continue;
        const offer: Offer = {
          id: `${this.id}-O${this.nextOffer++}`,
          frameworkId: f.id,
          agentId,
          hostname: entry.agent.hostname,
          attributes: { ...entry.agent.attributes },
          resources: available,
        };
        this.offers.set(offer.id, { offer, frameworkId: f.id, agentId, resources: available });
        f.offers.add(offer.id);
        f.allocations++;
        const list = newOffers.get(f.id) ?? [];
        list.push(offer);
        newOffers.set(f.id, list);
        break;
      }
    }
    for (const [fwId, offers] of newOffers) {
      const fw = this.frameworks.get(fwId);
      const link = fw?.link;
      if (!link) continue;
      this.later(DELAYS.message, () => {
        const live = offers.filter((o) => this.offers.has(o.id));
        if (live.length > 0 && fw?.link === link) link.scheduler.resourceOffers(live);
      });
    }
  }

  private removeOffer(offerId: string): OfferRecord | undefined {
    this.revision++;
    const rec = this.offers.get(offerId);
    if (!rec) return undefined;
    this.offers.delete(offerId);
    this.frameworks.get(rec.frameworkId)?.offers.delete(offerId);
    return rec;
  }

  private addFilter(fw: MasterFramework, agentId: string, resources: Resources, filters?: Filters): void {
    const seconds = filters?.refuseSeconds ?? DEFAULT_REFUSE_SECONDS;
    if (seconds <= 0 || isEmptyResources(resources)) return;
    fw.filters.push({ agentId, resources, until: this.clock.now() + seconds * 1000 });
  }

  decline(fwId: string, offerId: string, filters?: Filters): void {
    this.revision++;
    const fw = this.frameworks.get(fwId);
    if (!fw) return;
    this.metrics.messagesDeclineOffers++;
    const rec = this.offers.get(offerId);
    if (!rec || rec.frameworkId !== fwId) return;
    this.removeOffer(offerId);
    this.addFilter(fw, rec.agentId, rec.resources, filters);
  }

  revive(fwId: string): void {
    const fw = this.frameworks.get(fwId);
    if (!fw) return;
    this.metrics.messagesReviveOffers++;
    fw.filters = [];
    fw.suppressed = false;
    this.allocate();
  }

  suppress(fwId: string): void {
    const fw = this.frameworks.get(fwId);
    if (!fw) return;
    this.metrics.messagesSuppressOffers++;
    fw.suppressed = true;
  }

  // ---------------------------------------------------------------- tasks

  launch(fwId: string, offerIds: string[], tasks: TaskInfo[], filters?: Filters): void {
    this.revision++;
    const fw = this.frameworks.get(fwId);
    if (!fw || !fw.link) return;
    this.metrics.messagesLaunchTasks++;
    // Offer validation (src/master/validation.cpp): known, this framework's, one agent.
    let error: string | undefined;
    const records: OfferRecord[] = [];
    for (const id of offerIds) {
      const rec = this.offers.get(id);
      if (!rec) {
        error = `Offer ${id} is no longer valid`;
        continue;
      }
      if (rec.frameworkId !== fwId) {
        error = `Offer ${id} has invalid framework ${rec.frameworkId} while framework ${fwId} is expected`;
        continue;
      }
      records.push(rec);
    }
    if (!error && records.length === 0) error = 'No offers specified';
    if (!error && new Set(records.map((r) => r.agentId)).size > 1)
      error = 'Aggregated offers must belong to one single agent';
    for (const r of records) this.removeOffer(r.offer.id);
    const now = this.now();
    if (error) {
      for (const r of records) this.addFilter(fw, r.agentId, r.resources, { refuseSeconds: 0 });
      for (const t of tasks) {
        this.countTerminal('TASK_LOST', 'SOURCE_MASTER', 'REASON_INVALID_OFFERS');
        this.deliver(fw, {
          taskId: t.taskId,
          frameworkId: fwId,
          agentId: t.agentId,
          state: 'TASK_LOST',
          timestamp: now,
          source: 'SOURCE_MASTER',
          reason: 'REASON_INVALID_OFFERS',
          message: `Task launched with invalid offers: ${error}`,
        });
      }
      this.allocate();
      return;
    }
    const agentId = records[0].agentId;
    const entry = this.agents.get(agentId);
    let remaining = sumResources(records.map((r) => r.resources));
    for (const t of tasks) {
      let taskError: string | undefined;
      if (fw.tasks.has(t.taskId) || [...fw.tasks.values()].some((x) => x.taskId === t.taskId))
        taskError = `Task has duplicate ID: ${t.taskId}`;
      else if (!t.taskId) taskError = 'Task ID must not be empty';
      else if (t.agentId !== agentId) taskError = `Task uses invalid agent: ${t.agentId}`;
      else if (isEmptyResources(t.resources)) taskError = 'Task uses no resources';
      else if (!containsResources(remaining, t.resources))
        taskError = 'Task uses more resources than available';
      else if (!entry || !entry.connected) taskError = `Agent ${agentId} is not available`;
      if (taskError) {
        this.countTerminal('TASK_ERROR', 'SOURCE_MASTER', 'REASON_TASK_INVALID');
        this.deliver(fw, {
          taskId: t.taskId,
          frameworkId: fwId,
          agentId,
          state: 'TASK_ERROR',
          timestamp: now,
          source: 'SOURCE_MASTER',
          reason: 'REASON_TASK_INVALID',
          message: taskError,
        });
        continue;
      }
      remaining = subtractResources(remaining, t.resources);
      const record: TaskRecord = {
        taskId: t.taskId,
        name: t.name,
        frameworkId: fwId,
        agentId,
        executorId: '',
        state: 'TASK_STAGING',
        resources: { ...t.resources, ports: t.resources.ports.map((p) => ({ ...p })) },
        statuses: [],
        ...(t.user !== undefined ? { user: t.user } : {}),
        ...(t.labels ? { labels: { ...t.labels } } : {}),
      };
      fw.tasks.set(t.taskId, record);
      entry!.tasks.set(t.taskId, record);
      const agent = entry!.agent;
      const info = { ...fw.info };
      this.later(DELAYS.message, () => agent.runTask(info, t, record));
    }
    // Unused resources go back with the launch's filters (default refuse 5 s).
    this.addFilter(fw, agentId, remaining, filters);
  }

  kill(fwId: string, taskId: string): void {
    const fw = this.frameworks.get(fwId);
    if (!fw) return;
    this.metrics.messagesKillTask++;
    const record = fw.tasks.get(taskId);
    if (!record) {
      // Unknown task: answered like an explicit reconciliation (src/master/master.cpp kill).
      this.reconcile(fwId, [taskId]);
      return;
    }
    const entry = this.agents.get(record.agentId);
    if (!entry || !entry.connected) return; // the kill is retried by the framework
    const agent = entry.agent;
    this.later(DELAYS.message, () => agent.killTask(taskId));
  }

  reconcile(fwId: string, taskIds: string[]): void {
    const fw = this.frameworks.get(fwId);
    if (!fw) return;
    this.metrics.messagesReconcileTasks++;
    const now = this.now();
    const statusOf = (t: TaskRecord): TaskStatus => ({
      taskId: t.taskId,
      frameworkId: fwId,
      agentId: t.agentId,
      state: t.state,
      timestamp: now,
      source: 'SOURCE_MASTER',
      reason: 'REASON_RECONCILIATION',
      message: 'Reconciliation: Latest task state',
    });
    const out: TaskStatus[] = [];
    if (taskIds.length === 0) {
      for (const t of fw.tasks.values()) if (!isTerminal(t.state)) out.push(statusOf(t));
    } else {
      for (const id of taskIds) {
        const t = fw.tasks.get(id);
        if (t) out.push(statusOf(t));
        else {
          out.push({
            taskId: id,
            frameworkId: fwId,
            agentId: '',
            state: 'TASK_LOST',
            timestamp: now,
            source: 'SOURCE_MASTER',
            reason: 'REASON_RECONCILIATION',
            message: 'Reconciliation: Task is unknown',
          });
        }
      }
    }
    for (const s of out) this.deliver(fw, s);
  }

  /** StatusUpdateMessage from an agent. */
  statusUpdate(agent: Agent, status: TaskStatus, agentRecord: TaskRecord): void {
    this.revision++;
    if (!this.running) return;
    this.metrics.messagesStatusUpdate++;
    const entry = agent.id ? this.agents.get(agent.id) : undefined;
    const fw = this.frameworks.get(status.frameworkId);
    let record = entry?.tasks.get(status.taskId) ?? fw?.tasks.get(status.taskId);
    if (!record && entry && !isTerminal(status.state)) {
      record = cloneTask(agentRecord);
      entry.tasks.set(record.taskId, record);
    }
    if (!record || isTerminal(record.state)) {
      this.metrics.invalidStatusUpdates++;
      return;
    }
    this.metrics.validStatusUpdates++;
    record.state = status.state;
    const last = agentRecord.statuses[agentRecord.statuses.length - 1];
    record.statuses.push(last ? { ...last } : { state: status.state, timestamp: status.timestamp });
    if (isTerminal(status.state)) {
      this.countTerminal(status.state, status.source, status.reason);
      entry?.tasks.delete(record.taskId);
      if (fw) this.completeTask(fw, record);
      if (entry) this.allocate([entry.id]);
    }
    if (fw) this.deliver(fw, status);
  }

  private countTerminal(state: TaskState, source?: string, reason?: string): void {
    if (state === 'TASK_FINISHED') this.metrics.tasksFinished++;
    if (state === 'TASK_FAILED') this.metrics.tasksFailed++;
    if (state === 'TASK_KILLED') this.metrics.tasksKilled++;
    if (state === 'TASK_LOST') this.metrics.tasksLost++;
    if (state === 'TASK_ERROR') this.metrics.tasksError++;
    if (source && reason) {
      const key = `master/task_${state.slice(5).toLowerCase()}/${source.toLowerCase()}/${reason.toLowerCase()}`;
      this.metrics.reasonCounters.set(key, (this.metrics.reasonCounters.get(key) ?? 0) + 1);
    }
  }

  private completeTask(fw: MasterFramework, record: TaskRecord): void {
    this.revision++;
    if (!fw.tasks.has(record.taskId)) return;
    fw.tasks.delete(record.taskId);
    fw.completedTasks.push(record);
    if (fw.completedTasks.length > MAX_COMPLETED_TASKS_PER_FRAMEWORK) fw.completedTasks.shift();
  }

  private deliver(fw: MasterFramework, status: TaskStatus): void {
    if (fw.connected && fw.link) {
      const link = fw.link;
      this.later(DELAYS.message, () => {
        if (fw.link === link) link.scheduler.statusUpdate(status);
        else fw.pending.push(status);
      });
    } else {
      fw.pending.push(status);
    }
  }

  private flushPending(fw: MasterFramework): void {
    const pending = fw.pending;
    fw.pending = [];
    for (const s of pending) this.deliver(fw, s);
  }

  // ---------------------------------------------------------------- views

  /** Tasks on registered agents whose framework has not (re-)registered with this master. */
  orphanTasks(): TaskRecord[] {
    const out: TaskRecord[] = [];
    for (const a of this.agents.values()) {
      for (const t of a.tasks.values())
        if (!this.frameworks.has(t.frameworkId) && !isTerminal(t.state)) out.push(t);
    }
    return out;
  }

  unregisteredFrameworks(): string[] {
    return [...new Set(this.orphanTasks().map((t) => t.frameworkId))];
  }

  agentUsed(entry: MasterAgent): Resources {
    return sumResources(
      [...entry.tasks.values()].filter((t) => !isTerminal(t.state)).map((t) => t.resources),
    );
  }

  agentOffered(entry: MasterAgent): Resources {
    return sumResources(
      [...this.offers.values()].filter((o) => o.agentId === entry.id).map((o) => o.resources),
    );
  }

  frameworkUsed(fw: MasterFramework): Resources {
    return sumResources([...fw.tasks.values()].filter((t) => !isTerminal(t.state)).map((t) => t.resources));
  }

  frameworkOffered(fw: MasterFramework): Resources {
    return sumResources([...fw.offers].map((id) => this.offers.get(id)?.resources ?? emptyResources()));
  }
}
