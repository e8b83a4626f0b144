// The Marathon 1.3.6 scheduler: apps and their versions, deployments (plans, steps, locks),
// the launch queue with backoff, constraints, health checks, task tracking through the
// SchedulerDriver, persistence in the Store and leader znodes in ZooKeeper.
//
// Everything here is driven by callbacks (offers, status updates, API calls, clock timers);
// after each one `drive()` brings deployments and app sizes a step closer to their targets.
import { MASTER_HOSTNAME } from '../../../cluster/topology.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import type { Offer, Scheduler, SchedulerDriver, TaskInfo, TaskState, TaskStatus } from '../mesos/api.ts';
import { isTerminal } from '../mesos/api.ts';
import type { ServiceContext } from '../service.ts';
import { groupByKillOrder, meetsConstraints } from './constraints.ts';
import { EventBus } from './events.ts';
import { appIdOfTask, hostnameOf, newTaskId, parentId, safeId, segments, uuidV4 } from './ids.ts';
import { dbl, formatDouble, isoTime } from './json.ts';
import {
  appJson,
  cloneApp,
  configKey,
  healthCheckJson,
  servicePorts,
  type AppDefinition,
  type HealthCheck,
} from './model.ts';

export interface MarathonOptions {
  /** --hostname (the compose file sets MARATHON_HOSTNAME=marathon). */
  hostname?: string;
  /** --http_port inside the container (what X-Marathon-Leader and /v2/leader show). */
  httpPort?: number;
  zk?: string;
  master?: string;
  /** How agents are reached for HTTP/TCP health checks (every simulated agent is 127.0.0.1). */
  probeHost?: string;
}

export type ActionName =
  'StartApplication' | 'ScaleApplication' | 'RestartApplication' | 'StopApplication' | 'ResolveArtifacts';

export interface StepAction {
  action: ActionName;
  app: string;
  /** ScaleApplication: the target size and the tasks explicitly sentenced (scale=true kills). */
  scaleTo?: number;
  sentenced?: string[];
}

export interface Deployment {
  id: string;
  version: number;
  affectedApps: string[];
  steps: { actions: StepAction[] }[];
  /** 0 before the first step starts; then 1-based. */
  currentStep: number;
  /** The apps (by id) before and after the change: null when absent. */
  original: Record<string, AppDefinition | null>;
  target: Record<string, AppDefinition | null>;
}

interface ActionRuntime {
  killed: Set<string>;
  readySeen: Set<string>;
  nrToKillImmediately: number;
  maxCapacity: number;
  started: boolean;
}

export interface HealthState {
  alive: boolean;
  consecutiveFailures: number;
  firstSuccess: number | null;
  lastFailure: number | null;
  lastSuccess: number | null;
  lastFailureCause: string | null;
}

export interface TaskRecord {
  id: string;
  appId: string;
  agentId: string;
  host: string;
  attributes: Record<string, string>;
  /** The Mesos state; TASK_STAGING until the first status arrives. */
  state: TaskState;
  hasStatus: boolean;
  stagedAt: number;
  startedAt: number | null;
  ports: number[];
  servicePorts: number[];
  /** The app version the task was launched with. */
  version: number;
  unreachable: boolean;
  lastStatusAt: number;
  killRequested: boolean;
  env: Record<string, string>;
}

export interface TaskFailure {
  appId: string;
  host: string;
  message: string;
  state: string;
  taskId: string;
  timestamp: number;
  version: number;
  slaveId: string;
}

interface Delay {
  configChangeAt: number;
  delayMs: number;
  until: number;
}

export interface ApiResult {
  status: number;
  body?: unknown;
  location?: string;
}

export interface GroupRecord {
  id: string;
  version: number;
  dependencies: string[];
}

const UNREACHABLE_REASONS = ['REASON_SLAVE_REMOVED', 'REASON_SLAVE_DISCONNECTED', 'REASON_RECONCILIATION'];
const LOCAL_PORT_MIN = 10000;
const LOCAL_PORT_MAX = 20000;
/** --decline_offer_duration default (120 s) in 1.3 (assumed from MarathonConf). */
const DECLINE_SECONDS = 120;
/** --max_tasks_per_offer default in 1.3 (assumed). */
const MAX_TASKS_PER_OFFER = 5;
/** --zk_max_versions default. */
const MAX_VERSIONS = 25;
/** --task_lost_expunge_gc, --task_lost_expunge_interval, initial delay (TaskJobsConfig). */
const LOST_EXPUNGE_GC_MS = 75_000;
const LOST_EXPUNGE_INTERVAL_MS = 30_000;
const LOST_EXPUNGE_INITIAL_MS = 300_000;
/** --task_launch_timeout. */
const TASK_LAUNCH_TIMEOUT_MS = 300_000;
/** --scale_apps_initial_delay / --scale_apps_interval, --reconciliation_initial_delay / --reconciliation_interval. */
const SCALE_INITIAL_DELAY_MS = 15_000;
const SCALE_INTERVAL_MS = 300_000;
const RECONCILIATION_INITIAL_DELAY_MS = 15_000;
const RECONCILIATION_INTERVAL_MS = 600_000;
const ZK_OWNER = 'marathon';

const K = {
  app: 'marathon/app/',
  version: 'marathon/version/',
  task: 'marathon/task/',
  deployment: 'marathon/deployment/',
  failure: 'marathon/failure/',
  group: 'marathon/group/',
  frameworkId: 'marathon/framework-id',
  rootVersion: 'marathon/root-version',
};

/** What an app's JSON embeds besides the definition (the `embed` query parameters). */
export interface AppEmbed {
  counts?: boolean;
  deployments?: boolean;
  tasks?: boolean;
  lastTaskFailure?: boolean;
  readiness?: boolean;
  taskStats?: boolean;
}

export class Marathon implements Scheduler {
  readonly events: EventBus;
  readonly hostname: string;
  readonly httpPort: number;
  readonly zkUrl: string;
  readonly masterUrl: string;
  private readonly probeHost: string;

  apps = new Map<string, AppDefinition>();
  versions = new Map<string, Map<number, AppDefinition>>();
  tasks = new Map<string, TaskRecord>();
  deployments = new Map<string, Deployment>();
  failures = new Map<string, TaskFailure>();
  groups = new Map<string, GroupRecord>();
  health = new Map<string, (HealthState | undefined)[]>();
  rootVersion = 0;
  /** Closers of the open SSE streams: stopping Marathon drops its connections. */
  streams = new Set<() => void>();
  frameworkId: string | null = null;
  startedAt = 0;
  running = false;
  elected = false;

  private driver: SchedulerDriver | undefined;
  private delays = new Map<string, Delay>();
  private runtimes = new Map<string, ActionRuntime>();
  private timers: TimerHandle[] = [];
  private checkers = new Map<string, TimerHandle[]>();
  private delayTimers = new Map<string, TimerHandle>();
  private driving = false;
  private driveAgain = false;
  private hadLaunchWork = false;
  private readonly leaderData: Uint8Array;

  constructor(
    private readonly ctx: ServiceContext,
    options: MarathonOptions = {},
  ) {
    this.hostname = options.hostname ?? 'marathon';
    this.httpPort = options.httpPort ?? 8080;
    this.zkUrl = options.zk ?? 'zk://zookeeper:2181/marathon';
    this.masterUrl = options.master ?? 'zk://zookeeper:2181/mesos';
    this.probeHost = options.probeHost ?? '127.0.0.1';
    this.events = new EventBus(() => ctx.clock.now());
    this.leaderData = new TextEncoder().encode(`${this.hostname}:${this.httpPort}`);
  }

  get now(): number {
    return this.ctx.clock.now();
  }

  get clock(): Clock {
    return this.ctx.clock;
  }

  get leader(): string {
    return `${this.hostname}:${this.httpPort}`;
  }

  // ---------------------------------------------------------------- life cycle

  start(): void {
    if (this.running) return;
    this.running = true;
    this.startedAt = this.now;
    this.load();
    this.writeLeaderZnodes();
    this.elected = true;
    this.ctx.log(`Marathon 1.3.6 elected as leader (${this.leader})`);
    const id = this.frameworkId ?? undefined;
    this.driver = this.ctx.master.registerFramework(
      {
        name: 'marathon',
        user: 'root',
        hostname: this.hostname,
        webuiUrl: `http://${this.hostname}:${this.httpPort}`,
        failoverTimeoutSeconds: 604800,
        checkpoint: true,
        role: '*',
        capabilities: [],
        id,
      },
      this,
    );
    const clock = this.ctx.clock;
    /** A Timer.schedule(task, initialDelay, period) as MarathonSchedulerService uses. */
    const periodic = (run: () => void, initialMs: number, periodMs: number) =>
      clock.setTimeout(() => {
        this.timers.push(clock.setInterval(run, periodMs));
        run();
      }, initialMs);
    this.timers.push(
      periodic(() => this.expungeLostTasks(), LOST_EXPUNGE_INITIAL_MS, LOST_EXPUNGE_INTERVAL_MS),
      // schedulePeriodicOperations, run once per leadership (from election, not from the driver's
      // (re)registration): ScaleApps, and ReconcileTasks 15 s after election then every 600 s.
      periodic(() => this.drive(), SCALE_INITIAL_DELAY_MS, SCALE_INTERVAL_MS),
      periodic(() => this.reconcile(), RECONCILIATION_INITIAL_DELAY_MS, RECONCILIATION_INTERVAL_MS),
      clock.setInterval(() => this.launchTimeouts(), 30_000),
      // Marathon's 5 s sync of deployment steps (missing tasks are queued again).
      clock.setInterval(() => this.drive(), 5_000),
    );
    this.drive();
  }

  /** Like stopping the container: the driver goes (failover), tasks keep running, state stays in the store. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.elected = false;
    for (const t of this.timers) t.cancel();
    this.timers = [];
    for (const list of this.checkers.values()) for (const t of list) t.cancel();
    this.checkers.clear();
    for (const t of this.delayTimers.values()) t.cancel();
    this.delayTimers.clear();
    for (const close of this.streams) close();
    this.streams.clear();
    try {
      this.driver?.stop(true);
    } finally {
      this.driver = undefined;
      this.ctx.zk.expireOwner(ZK_OWNER);
    }
    this.ctx.log('Marathon stopped');
  }

  private writeLeaderZnodes(): void {
    const zk = this.ctx.zk;
    try {
      // Curator LeaderLatch (the default election backend) plus the legacy member node
      // (chronos-3.0.1-mesos-1.1.0.md C.2; exact legacy name not verified).
      zk.create(`/marathon/leader-curator/_c_${uuidV4()}-latch-`, this.leaderData, {
        ephemeralOwner: ZK_OWNER,
        sequential: true,
      });
      zk.create('/marathon/leader/member_-', this.leaderData, { ephemeralOwner: ZK_OWNER, sequential: true });
      if (!zk.exists('/marathon/state')) zk.create('/marathon/state', new Uint8Array());
    } catch (e) {
      this.ctx.log(`could not write leader znodes: ${String(e)}`);
    }
  }

  private zkState(name: string, value: unknown): void {
    const zk = this.ctx.zk;
    const path = `/marathon/state/${name}`;
    try {
      if (value === undefined) {
        if (zk.exists(path)) zk.delete(path);
        return;
      }
      const data = new TextEncoder().encode(JSON.stringify(value));
      if (zk.exists(path)) zk.setData(path, data);
      else zk.create(path, data);
    } catch {
      // ZooKeeper mirror is informative only; the Store is authoritative.
    }
  }

  // ---------------------------------------------------------------- persistence

  private load(): void {
    const store = this.ctx.store;
    this.apps.clear();
    this.versions.clear();
    this.tasks.clear();
    this.byApp.clear();
    this.deployments.clear();
    this.failures.clear();
    this.groups.clear();
    this.health.clear();
    this.runtimes.clear();
    this.delays.clear();
    for (const k of store.keys(K.app)) {
      const app = store.get<AppDefinition>(k);
      if (app) this.apps.set(app.id, app);
    }
    for (const k of store.keys(K.version)) {
      const app = store.get<AppDefinition>(k);
      if (!app) continue;
      const m = this.versions.get(app.id) ?? new Map<number, AppDefinition>();
      m.set(app.version, app);
      this.versions.set(app.id, m);
    }
    for (const k of store.keys(K.task)) {
      const t = store.get<TaskRecord>(k);
      if (t) this.addTask({ ...t, killRequested: false });
    }
    for (const k of store.keys(K.deployment)) {
      const d = store.get<Deployment>(k);
      // A resumed deployment restarts its current step, as Marathon does after a failover.
      if (d) this.deployments.set(d.id, { ...d, currentStep: Math.max(0, d.currentStep - 1) });
    }
    for (const k of store.keys(K.failure)) {
      const f = store.get<TaskFailure>(k);
      if (f) this.failures.set(f.appId, f);
    }
    for (const k of store.keys(K.group)) {
      const g = store.get<GroupRecord>(k);
      if (g) this.groups.set(g.id, g);
    }
    this.rootVersion = store.get<number>(K.rootVersion) ?? this.now;
    this.frameworkId = store.get<string>(K.frameworkId) ?? null;
  }

  private saveApp(app: AppDefinition): void {
    this.ctx.store.set(K.app + app.id, app);
    this.ctx.store.set(`${K.version}${app.id}/${String(app.version).padStart(15, '0')}`, app);
    const m = this.versions.get(app.id) ?? new Map<number, AppDefinition>();
    m.set(app.version, app);
    this.versions.set(app.id, m);
    if (m.size > MAX_VERSIONS) {
      const sorted = [...m.keys()].sort((a, b) => a - b);
      for (const v of sorted.slice(0, m.size - MAX_VERSIONS)) {
        m.delete(v);
        this.ctx.store.delete(`${K.version}${app.id}/${String(v).padStart(15, '0')}`);
      }
    }
    this.zkState(`app:${safeId(app.id)}`, appJson(app));
  }

  private expungeApp(appId: string): void {
    this.ctx.store.delete(K.app + appId);
    for (const k of this.ctx.store.keys(`${K.version}${appId}/`)) this.ctx.store.delete(k);
    this.versions.delete(appId);
    this.zkState(`app:${safeId(appId)}`, undefined);
  }

  private saveTask(t: TaskRecord): void {
    this.ctx.store.set(K.task + t.id, t);
  }

  private saveDeployment(d: Deployment): void {
    this.ctx.store.set(K.deployment + d.id, d);
  }

  private setRootVersion(v: number): void {
    this.rootVersion = v;
    this.ctx.store.set(K.rootVersion, v);
  }

  // ---------------------------------------------------------------- Scheduler callbacks

  registered(frameworkId: string, reregistered: boolean): void {
    this.frameworkId = frameworkId;
    this.ctx.store.set(K.frameworkId, frameworkId);
    this.zkState('framework:id', frameworkId);
    // SchedulerRegisteredEvent carries the master as host:port (MasterInfo).
    const master = `${MASTER_HOSTNAME}:5050`;
    if (reregistered) this.events.publish('scheduler_reregistered_event', () => ({ master }));
    else this.events.publish('scheduler_registered_event', () => ({ frameworkId, master }));
    this.ctx.log(`registered with the master as framework ${frameworkId}`);
    // No reconciliation here. In 1.3.6 MarathonScheduler.registered/reregistered only store the
    // framework id, note the master and publish the event; ReconcileTasks comes only from the timer
    // of MarathonSchedulerService.schedulePeriodicOperations (reconciliation_initial_delay 15 s after
    // election, then every reconciliation_interval). Reconciling at once would be wrong after a
    // master restart: the course's master runs --registry=in_memory, so the new master knows no
    // agent until they re-register (within about a second, after the frameworks). Mesos 1.1 answers
    // an explicit reconciliation for a task on an agent it does not know with TASK_LOST /
    // REASON_RECONCILIATION; Marathon would make the task Unreachable and launch a replacement,
    // while the original keeps running and only comes back at the next reconciliation round.
    this.drive();
  }

  disconnected(): void {
    // Simplification: 1.3.6 also abdicates leadership here (SchedulerCallbacksServiceAdapter) and,
    // re-elected about 0.5 s later, runs a new driver and restarts its periodic timers. The
    // simulator keeps its driver and timers; the master restart looks the same from the API.
    this.events.publish('scheduler_disconnected_event', () => ({}));
  }

  agentLost(_agentId: string): void {
    // Marathon waits for the TASK_LOST updates the master sends for the agent's tasks.
  }

  offerRescinded(_offerId: string): void {
    // Offers are never held: they are used or declined at once.
  }

  /** ReconcileTasks (SchedulerActions.reconcileTasks): the known tasks explicitly, then an implicit round. */
  reconcile(): void {
    if (!this.driver) return;
    const known = [...this.tasks.keys()];
    if (known.length > 0) this.driver.reconcileTasks(known);
    this.driver.reconcileTasks([]);
  }

  statusUpdate(status: TaskStatus): void {
    if (!this.running) return;
    const task = this.tasks.get(status.taskId);
    if (!task) {
      // A task Marathon does not know about (e.g. its app was deleted while Marathon was down): kill it.
      if (!isTerminal(status.state) && this.driver) this.driver.killTask(status.taskId);
      return;
    }
    const now = this.now;
    task.state = status.state;
    task.hasStatus = true;
    task.lastStatusAt = now;
    if (status.state === 'TASK_RUNNING') {
      task.unreachable = false;
      if (task.startedAt === null) task.startedAt = Math.round(status.timestamp * 1000) || now;
    }
    const lostUnreachable =
      status.state === 'TASK_LOST' &&
      status.reason !== undefined &&
      UNREACHABLE_REASONS.includes(status.reason);
    this.publishStatus(task, status.state, status.agentId, status.message ?? '');
    if (isTerminal(status.state)) {
      if (['TASK_FAILED', 'TASK_ERROR', 'TASK_LOST'].includes(status.state)) {
        const failure: TaskFailure = {
          appId: task.appId,
          host: task.host,
          message: status.message ?? '',
          state: status.state,
          taskId: task.id,
          timestamp: Math.round(status.timestamp * 1000) || now,
          version: task.version,
          slaveId: task.agentId,
        };
        this.failures.set(task.appId, failure);
        this.ctx.store.set(K.failure + task.appId, failure);
      }
      if (status.state !== 'TASK_KILLED') this.addDelay(task.appId);
      if (lostUnreachable) {
        task.unreachable = true;
        this.health.delete(task.id);
        this.saveTask(task);
      } else {
        this.removeTask(task.id);
      }
    } else {
      this.saveTask(task);
    }
    this.drive();
  }

  private removeTask(taskId: string): void {
    const t = this.tasks.get(taskId);
    this.tasks.delete(taskId);
    if (t) this.byApp.get(t.appId)?.delete(taskId);
    this.health.delete(taskId);
    this.ctx.store.delete(K.task + taskId);
  }

  private publishStatus(task: TaskRecord, state: TaskState, slaveId: string, message: string): void {
    this.events.publish('status_update_event', () => ({
      slaveId,
      taskId: task.id,
      taskStatus: state,
      message,
      appId: task.appId,
      host: task.host,
      ports: task.ports,
      version: isoTime(task.version),
    }));
  }

  resourceOffers(offers: Offer[]): void {
    if (!this.running || !this.driver) {
      return;
    }
    const needs = this.launchNeeds();
    const now = this.now;
    for (const offer of offers) {
      const launched: TaskInfo[] = [];
      let remaining = { cpus: offer.resources.cpus, mem: offer.resources.mem, disk: offer.resources.disk };
      let freePorts = offer.resources.ports.flatMap((r) => range(r.begin, r.end));
      for (const [appId, need] of needs) {
        if (launched.length >= MAX_TASKS_PER_OFFER) break;
        const app = this.apps.get(appId);
        if (!app || need <= 0) continue;
        const delay = this.delays.get(appId);
        if (delay && delay.until > now && delay.configChangeAt === this.configChangeAt(app)) continue;
        let left = need;
        while (left > 0 && launched.length < MAX_TASKS_PER_OFFER) {
          if (
            remaining.cpus + 1e-9 < app.cpus ||
            remaining.mem + 1e-9 < app.mem ||
            remaining.disk + 1e-9 < app.disk
          )
            break;
          if (app.acceptedResourceRoles && !app.acceptedResourceRoles.includes('*')) break;
          const ports = this.pickPorts(app, freePorts);
          if (!ports) break;
          const placed = this.placedTasks(appId);
          if (!meetsConstraints(offer, placed, app.constraints)) break;
          const info = this.buildTask(app, offer, ports);
          this.addTask({
            id: info.taskId,
            appId,
            agentId: offer.agentId,
            host: offer.hostname,
            attributes: offer.attributes,
            state: 'TASK_STAGING',
            hasStatus: false,
            stagedAt: now,
            startedAt: null,
            ports,
            servicePorts: servicePorts(app),
            version: app.version,
            unreachable: false,
            lastStatusAt: now,
            killRequested: false,
            env: info.env,
          });
          this.saveTask(this.tasks.get(info.taskId)!);
          launched.push(info);
          remaining = {
            cpus: remaining.cpus - app.cpus,
            mem: remaining.mem - app.mem,
            disk: remaining.disk - app.disk,
          };
          freePorts = freePorts.filter((p) => !ports.includes(p));
          left--;
        }
        needs.set(appId, left);
      }
      if (launched.length === 0) {
        this.driver.declineOffer(offer.id, { refuseSeconds: DECLINE_SECONDS });
        continue;
      }
      for (const info of launched) {
        const t = this.tasks.get(info.taskId)!;
        // The launch itself is reported before Mesos says anything (PostToEventStreamStepImpl).
        this.publishStatus(t, 'TASK_STAGING', 'n/a', '');
      }
      // TaskLauncherImpl (1.1–1.3) accepts with refuse_seconds 0: the rest of the offer comes
      // back in the next allocation cycle.
      this.driver.launchTasks([offer.id], launched, { refuseSeconds: 0 });
    }
    this.drive();
  }

  private pickPorts(app: AppDefinition, free: number[]): number[] | undefined {
    const wanted = servicePorts(app);
    if (wanted.length === 0) return [];
    if (app.requirePorts) return wanted.every((p) => free.includes(p)) ? wanted : undefined;
    if (free.length < wanted.length) return undefined;
    // Marathon takes host ports at random from the offered ranges.
    const pool = [...free];
    const out: number[] = [];
    for (let i = 0; i < wanted.length; i++) {
      const j = Math.floor(Math.random() * pool.length);
      out.push(pool[j]);
      pool.splice(j, 1);
    }
    return out;
  }

  private buildTask(app: AppDefinition, offer: Offer, ports: number[]): TaskInfo {
    const taskId = newTaskId(app.id, this.now);
    return {
      taskId,
      name: hostnameOf(app.id),
      agentId: offer.agentId,
      resources: {
        cpus: app.cpus,
        mem: app.mem,
        disk: app.disk,
        gpus: app.gpus,
        ports: ports.map((p) => ({ begin: p, end: p })),
      },
      command: app.cmd ?? (app.args ?? []).join(' '),
      env: this.taskEnv(app, taskId, offer.hostname, ports),
      labels: Object.keys(app.labels).length > 0 ? app.labels : undefined,
      // CommandInfo.user only when the app sets one (otherwise the framework's user applies).
      user: app.user ?? undefined,
    };
  }

  /**
   * The environment of TaskBuilder.commandInfo: taskContextEnv (MESOS_TASK_ID, MARATHON_APP_ID,
   * MARATHON_APP_VERSION, MARATHON_APP_DOCKER_IMAGE if any, MARATHON_APP_RESOURCE_*, label
   * variables), then the port variables and HOST, then the app's env, which overrides them all.
   * Assumption: MARATHON_APP_RESOURCE_GPUS and the label variables are present in 1.3.6 as in the
   * TaskBuilder tests of that line (resources as Scala prints them: "1.0", gpus as an Int).
   */
  taskEnv(app: AppDefinition, taskId: string, host: string, ports: number[]): Record<string, string> {
    const env: Record<string, string> = {
      MESOS_TASK_ID: taskId,
      MARATHON_APP_ID: app.id,
      MARATHON_APP_VERSION: isoTime(app.version),
    };
    const docker = (app.container as { docker?: { image?: unknown } } | null)?.docker;
    if (docker && typeof docker.image === 'string') env.MARATHON_APP_DOCKER_IMAGE = docker.image;
    env.MARATHON_APP_RESOURCE_CPUS = formatDouble(app.cpus);
    env.MARATHON_APP_RESOURCE_MEM = formatDouble(app.mem);
    env.MARATHON_APP_RESOURCE_DISK = formatDouble(app.disk);
    env.MARATHON_APP_RESOURCE_GPUS = String(app.gpus);
    const labelKeys: string[] = [];
    for (const [k, v] of Object.entries(app.labels)) {
      const key = k.toUpperCase().replace(/[^A-Z0-9_]+/g, '_');
      if (`MARATHON_APP_LABEL_${key}`.length > 512 || v.length > 512) continue;
      labelKeys.push(key);
      env[`MARATHON_APP_LABEL_${key}`] = v;
    }
    env.MARATHON_APP_LABELS = labelKeys.join(' ');
    if (ports.length > 0) {
      ports.forEach((p, i) => (env[`PORT${i}`] = String(p)));
      app.portDefinitions.forEach((d, i) => {
        if (d.port !== 0 && ports[i] !== undefined) env[`PORT_${d.port}`] = String(ports[i]);
      });
      env.PORT = String(ports[0]);
      env.PORTS = ports.join(',');
    }
    env.HOST = host;
    Object.assign(env, app.env);
    return env;
  }

  // ---------------------------------------------------------------- queue, backoff

  private configChangeAt(app: AppDefinition): number {
    return app.versionInfo?.lastConfigChangeAt ?? app.version;
  }

  private addDelay(appId: string): void {
    const app = this.apps.get(appId);
    if (!app) return;
    const cfg = this.configChangeAt(app);
    const prev = this.delays.get(appId);
    const maxMs = app.maxLaunchDelaySeconds * 1000;
    const delayMs =
      prev && prev.configChangeAt === cfg
        ? Math.min(prev.delayMs * app.backoffFactor, maxMs)
        : Math.min(app.backoffSeconds * 1000, maxMs);
    const until = this.now + delayMs;
    this.delays.set(appId, { configChangeAt: cfg, delayMs, until });
    this.delayTimers.get(appId)?.cancel();
    this.delayTimers.set(
      appId,
      this.ctx.clock.setTimeout(() => {
        this.delayTimers.delete(appId);
        this.hadLaunchWork = false;
        this.drive();
      }, delayMs + 1),
    );
  }

  resetDelay(appId: string): void {
    this.delays.delete(appId);
    this.delayTimers.get(appId)?.cancel();
    this.delayTimers.delete(appId);
    this.hadLaunchWork = false;
  }

  delayOf(appId: string): { timeLeftSeconds: number; overdue: boolean } {
    const d = this.delays.get(appId);
    const app = this.apps.get(appId);
    if (!d || !app || d.configChangeAt !== this.configChangeAt(app))
      return { timeLeftSeconds: 0, overdue: true };
    const left = d.until - this.now;
    return { timeLeftSeconds: Math.max(0, Math.floor(left / 1000)), overdue: left <= 0 };
  }

  /** Tasks still to launch per app (what /v2/queue shows as count). */
  launchNeeds(): Map<string, number> {
    const out = new Map<string, number>();
    const locked = this.lockedApps();
    for (const app of this.apps.values()) {
      const live = this.liveTasks(app.id);
      let need: number;
      const rt = locked.get(app.id);
      if (rt) need = this.stepNeed(rt.action, app, live);
      else need = app.instances - live.length;
      if (need > 0) out.set(app.id, need);
    }
    return out;
  }

  private stepNeed(action: StepAction, app: AppDefinition, live: TaskRecord[]): number {
    switch (action.action) {
      case 'ScaleApplication': {
        const rt = this.runtimes.get(this.rtKey(action));
        const alive = live.filter((t) => !rt?.killed.has(t.id) && !t.killRequested).length;
        return (action.scaleTo ?? app.instances) - alive;
      }
      case 'RestartApplication': {
        const rt = this.runtimes.get(this.rtKey(action));
        if (!rt) return 0;
        const newAlive = live.filter((t) => t.version === app.version).length;
        const oldAlive = this.tasksOf(app.id).filter(
          (t) => t.version !== app.version && !t.unreachable,
        ).length;
        return Math.max(0, Math.min(app.instances - newAlive, rt.maxCapacity - oldAlive - newAlive));
      }
      default:
        return 0;
    }
  }

  // ---------------------------------------------------------------- task views

  private byApp = new Map<string, Map<string, TaskRecord>>();

  private addTask(t: TaskRecord): void {
    this.tasks.set(t.id, t);
    let m = this.byApp.get(t.appId);
    if (!m) this.byApp.set(t.appId, (m = new Map()));
    m.set(t.id, t);
  }

  tasksOf(appId: string): TaskRecord[] {
    const m = this.byApp.get(appId);
    return m ? [...m.values()] : [];
  }

  /** Launched, not terminal, not unreachable: what counts toward `instances`. */
  liveTasks(appId: string): TaskRecord[] {
    return this.tasksOf(appId).filter((t) => !t.unreachable && !isTerminal(t.state));
  }

  /** What constraints see: every task the tracker holds for the app, unreachable ones included. */
  private placedTasks(appId: string): { hostname: string; attributes: Record<string, string> }[] {
    return this.tasksOf(appId).map((t) => ({ hostname: t.host, attributes: t.attributes }));
  }

  healthOf(taskId: string): HealthState[] {
    return (this.health.get(taskId) ?? []).filter((h): h is HealthState => h !== undefined);
  }

  private healthChecksOf(t: TaskRecord): HealthCheck[] {
    return (
      this.versions.get(t.appId)?.get(t.version)?.healthChecks ?? this.apps.get(t.appId)?.healthChecks ?? []
    );
  }

  /** Running and, with health checks, alive on all of them (what a deployment step waits for). */
  isReady(t: TaskRecord): boolean {
    if (t.state !== 'TASK_RUNNING' || t.unreachable) return false;
    const checks = this.healthChecksOf(t);
    if (checks.length === 0) return true;
    const h = this.health.get(t.id) ?? [];
    return checks.every((_, i) => h[i]?.alive === true);
  }

  counts(appId: string): { staged: number; running: number; healthy: number; unhealthy: number } {
    let staged = 0;
    let running = 0;
    let healthy = 0;
    let unhealthy = 0;
    for (const t of this.tasksOf(appId)) {
      if (!t.hasStatus || t.state === 'TASK_STAGING') staged++;
      if (t.state === 'TASK_RUNNING' && !t.unreachable) running++;
      const h = this.healthOf(t.id);
      if (h.length > 0) {
        if (h.every((x) => x.alive)) healthy++;
        if (h.some((x) => !x.alive)) unhealthy++;
      }
    }
    return { staged, running, healthy, unhealthy };
  }

  // ---------------------------------------------------------------- kills

  killTask(t: TaskRecord): void {
    if (t.unreachable) {
      // An unreachable task cannot be killed through its agent; Marathon expunges it.
      this.removeTask(t.id);
      return;
    }
    if (t.killRequested) return;
    t.killRequested = true;
    this.driver?.killTask(t.id);
  }

  private expungeLostTasks(): void {
    const now = this.now;
    let changed = false;
    for (const t of [...this.tasks.values()])
      if (t.unreachable && now - t.lastStatusAt >= LOST_EXPUNGE_GC_MS) {
        this.removeTask(t.id);
        changed = true;
      }
    if (changed) this.drive();
  }

  private launchTimeouts(): void {
    const now = this.now;
    for (const t of this.tasks.values())
      if (
        !t.unreachable &&
        t.startedAt === null &&
        now - t.stagedAt > TASK_LAUNCH_TIMEOUT_MS &&
        !isTerminal(t.state)
      )
        this.killTask(t);
  }

  // ---------------------------------------------------------------- deployments

  private rtKey(a: StepAction): string {
    return `${a.action}:${a.app}`;
  }

  /** The running step action of each app locked by a deployment. */
  lockedApps(): Map<string, { deployment: Deployment; action: StepAction }> {
    const out = new Map<string, { deployment: Deployment; action: StepAction }>();
    for (const d of this.deployments.values()) {
      const step = d.steps[d.currentStep - 1];
      for (const app of d.affectedApps) {
        const action = step?.actions.find((a) => a.app === app) ?? {
          action: 'ResolveArtifacts' as const,
          app,
        };
        out.set(app, { deployment: d, action });
      }
    }
    return out;
  }

  deploymentsOf(appId: string): Deployment[] {
    return [...this.deployments.values()].filter((d) => d.affectedApps.includes(appId));
  }

  /**
   * Applies a change to a set of apps as one deployment. Returns the 409 body when an app is
   * locked and `force` is false; otherwise stores the targets and starts the plan.
   */
  deploy(
    changes: { appId: string; target: AppDefinition | null; restart?: boolean; sentenced?: string[] }[],
    force: boolean,
    version: number,
  ): { deployment: Deployment } | { locked: string[] } {
    const affected = changes.map((c) => c.appId);
    const conflicting = [...this.deployments.values()].filter((d) =>
      d.affectedApps.some((a) => affected.includes(a)),
    );
    if (conflicting.length > 0 && !force) return { locked: conflicting.map((d) => d.id) };
    for (const d of conflicting) this.cancelDeployment(d, true);

    const original: Record<string, AppDefinition | null> = {};
    const target: Record<string, AppDefinition | null> = {};
    const stops: StepAction[] = [];
    const starts: StepAction[] = [];
    const scales: StepAction[] = [];
    for (const c of changes) {
      const before = this.apps.get(c.appId) ?? null;
      original[c.appId] = before;
      target[c.appId] = c.target;
      if (c.target === null) {
        if (before) stops.push({ action: 'StopApplication', app: c.appId });
        continue;
      }
      if (!before) {
        starts.push({ action: 'StartApplication', app: c.appId, scaleTo: 0 });
        scales.push({ action: 'ScaleApplication', app: c.appId, scaleTo: c.target.instances });
      } else if (c.restart || configKey(before) !== configKey(c.target)) {
        scales.push({ action: 'RestartApplication', app: c.appId });
      } else if (before.instances !== c.target.instances || (c.sentenced && c.sentenced.length > 0)) {
        scales.push({
          action: 'ScaleApplication',
          app: c.appId,
          scaleTo: c.target.instances,
          sentenced: c.sentenced,
        });
      }
    }
    const steps = [stops, starts, ...this.dependencyOrder(scales, target)]
      .filter((s) => s.length > 0)
      .map((actions) => ({ actions }));
    const deployment: Deployment = {
      id: uuidV4(),
      version,
      affectedApps: affected,
      steps,
      currentStep: 0,
      original,
      target,
    };

    // The new group is stored at once (GroupManager), before any step runs.
    const originalRoot = this.events.size > 0 ? this.rootJson() : undefined;
    for (const c of changes) {
      if (c.target) {
        this.apps.set(c.appId, c.target);
        this.saveApp(c.target);
        this.ensureGroups(c.appId, version);
      } else if (this.apps.has(c.appId)) {
        this.apps.delete(c.appId);
        this.expungeApp(c.appId);
        this.resetDelay(c.appId);
      }
    }
    this.setRootVersion(version);
    this.deployments.set(deployment.id, deployment);
    this.saveDeployment(deployment);
    if (originalRoot !== undefined)
      this.planGroups.set(deployment.id, { original: originalRoot, target: this.rootJson() });
    this.events.publish('group_change_success', () => ({ groupId: '/', version: isoTime(version) }));
    return { deployment };
  }

  private planGroups = new Map<string, { original: unknown; target: unknown }>();

  private dependencyOrder(
    actions: StepAction[],
    target: Record<string, AppDefinition | null>,
  ): StepAction[][] {
    if (actions.length <= 1) return [actions];
    // Apps whose dependencies are all outside this set go first, then their dependents.
    const remaining = [...actions];
    const done = new Set<string>();
    const out: StepAction[][] = [];
    while (remaining.length > 0) {
      const ids = new Set(remaining.map((a) => a.app));
      const layer = remaining.filter((a) =>
        (target[a.app]?.dependencies ?? []).every((d) => !ids.has(d) || done.has(d)),
      );
      const pick = layer.length > 0 ? layer : remaining.slice();
      out.push(pick);
      for (const a of pick) {
        done.add(a.app);
        remaining.splice(remaining.indexOf(a), 1);
      }
    }
    return out;
  }

  cancelDeployment(d: Deployment, failed: boolean): void {
    this.deployments.delete(d.id);
    this.ctx.store.delete(K.deployment + d.id);
    for (const s of d.steps) for (const a of s.actions) this.runtimes.delete(this.rtKey(a));
    if (failed) this.events.publish('deployment_failed', () => ({ id: d.id, plan: this.planJson(d) }));
    this.planGroups.delete(d.id);
  }

  /** DELETE /v2/deployments/{id} without force: a new deployment back to the original apps. */
  rollback(d: Deployment): { deployment: Deployment } | { locked: string[] } {
    this.cancelDeployment(d, true);
    const version = this.now;
    const changes = d.affectedApps.map((appId) => {
      const orig = d.original[appId];
      if (!orig) return { appId, target: null };
      const current = this.apps.get(appId);
      const scaleOnly = current && configKey(current) === configKey(orig);
      const restored: AppDefinition = {
        ...cloneApp(orig),
        version,
        versionInfo: {
          lastScalingAt: version,
          lastConfigChangeAt: scaleOnly ? this.configChangeAt(current!) : version,
        },
      };
      return { appId, target: restored };
    });
    return this.deploy(changes, true, version);
  }

  private actionDone(d: Deployment, a: StepAction): boolean {
    const key = this.rtKey(a);
    const rt = this.runtimes.get(key)!;
    switch (a.action) {
      case 'StartApplication':
      case 'ResolveArtifacts':
        return true;
      case 'StopApplication': {
        if (!rt.started) {
          rt.started = true;
          for (const t of this.tasksOf(a.app)) this.killTask(t);
        }
        const left = this.tasksOf(a.app).filter((t) => !t.unreachable);
        if (left.length > 0) return false;
        for (const t of this.tasksOf(a.app)) this.removeTask(t.id);
        this.failures.delete(a.app);
        this.ctx.store.delete(K.failure + a.app);
        this.events.publish('app_terminated_event', () => ({ appId: a.app }));
        return true;
      }
      case 'ScaleApplication': {
        const app = this.apps.get(a.app);
        if (!app) return true;
        const scaleTo = a.scaleTo ?? app.instances;
        const live = this.liveTasks(a.app);
        if (!rt.started) {
          rt.started = true;
          const sentenced = live.filter((t) => a.sentenced?.includes(t.id));
          for (const t of sentenced) rt.killed.add(t.id);
          let surplus = live.length - sentenced.length - scaleTo;
          if (surplus > 0) {
            const rest = live.filter((t) => !rt.killed.has(t.id));
            const byGroup = groupByKillOrder(
              rest.map((t) => ({ ...t, hostname: t.host })),
              app.constraints,
              surplus,
            );
            for (const t of byGroup) rt.killed.add(t.id);
            surplus -= byGroup.length;
            const rank = (t: TaskRecord) =>
              t.state === 'TASK_STAGING' ? 0 : t.state === 'TASK_STARTING' ? 1 : 2;
            const ordered = rest
              .filter((t) => !rt.killed.has(t.id))
              .sort((x, y) => rank(x) - rank(y) || (y.startedAt ?? y.stagedAt) - (x.startedAt ?? x.stagedAt));
            for (const t of ordered.slice(0, Math.max(0, surplus))) rt.killed.add(t.id);
          }
          for (const id of rt.killed) {
            const t = this.tasks.get(id);
            if (t) this.killTask(t);
          }
        }
        const dying = [...rt.killed].filter((id) => this.tasks.has(id));
        if (dying.length > 0) return false;
        const alive = live.filter((t) => !rt.killed.has(t.id) && !t.killRequested);
        return alive.filter((t) => this.isReady(t)).length >= scaleTo && alive.length <= scaleTo;
      }
      case 'RestartApplication': {
        const app = this.apps.get(a.app);
        if (!app) return true;
        const isOld = (t: TaskRecord) => t.version !== app.version;
        const oldTasks = this.tasksOf(a.app).filter((t) => isOld(t) && !t.unreachable);
        if (!rt.started) {
          rt.started = true;
          this.resetDelay(a.app);
          const minHealthy = Math.ceil(app.instances * app.upgradeStrategy.minimumHealthCapacity - 1e-9);
          let maxCapacity = Math.floor(app.instances * (1 + app.upgradeStrategy.maximumOverCapacity) + 1e-9);
          const running = oldTasks.length;
          rt.nrToKillImmediately = Math.max(0, running - minHealthy);
          if (minHealthy === maxCapacity && maxCapacity <= running) maxCapacity += 1;
          rt.maxCapacity = maxCapacity;
          // Tasks already on the new version count as started (TaskReplaceActor).
          for (const t of this.liveTasks(a.app)) if (!isOld(t) && this.isReady(t)) rt.readySeen.add(t.id);
        }
        for (const t of this.liveTasks(a.app)) if (!isOld(t) && this.isReady(t)) rt.readySeen.add(t.id);
        const killsAllowed = rt.nrToKillImmediately + rt.readySeen.size;
        const candidates = oldTasks
          .filter((t) => !rt.killed.has(t.id))
          .sort((x, y) => (x.state === 'TASK_RUNNING' ? 1 : 0) - (y.state === 'TASK_RUNNING' ? 1 : 0));
        while (rt.killed.size < killsAllowed && candidates.length > 0) {
          const t = candidates.shift()!;
          rt.killed.add(t.id);
          this.killTask(t);
        }
        const newReady = this.liveTasks(a.app).filter((t) => !isOld(t) && this.isReady(t)).length;
        const oldLeft = this.tasksOf(a.app).filter((t) => isOld(t) && !t.unreachable).length;
        if (newReady >= app.instances && oldLeft > 0) {
          // Enough new tasks: the remaining old ones go.
          for (const t of this.tasksOf(a.app)) if (isOld(t)) this.killTask(t);
        }
        return newReady >= app.instances && oldLeft === 0;
      }
    }
  }

  private startStep(d: Deployment): void {
    const step = d.steps[d.currentStep - 1];
    for (const a of step.actions)
      this.runtimes.set(this.rtKey(a), {
        killed: new Set(),
        readySeen: new Set(),
        nrToKillImmediately: 0,
        maxCapacity: 0,
        started: false,
      });
    this.saveDeployment(d);
    this.events.publish('deployment_info', () => ({
      plan: this.planJson(d),
      currentStep: this.stepJson(step),
    }));
    this.hadLaunchWork = false;
  }

  private advanceDeployments(): void {
    for (const d of [...this.deployments.values()]) {
      if (!this.deployments.has(d.id)) continue;
      for (;;) {
        if (d.currentStep > 0) {
          const step = d.steps[d.currentStep - 1];
          const done = step.actions.map((a) => this.actionDone(d, a)).every(Boolean);
          if (!this.deployments.has(d.id)) break;
          if (!done) break;
          for (const a of step.actions) this.runtimes.delete(this.rtKey(a));
          this.events.publish('deployment_step_success', () => ({
            plan: this.planJson(d),
            currentStep: this.stepJson(step),
          }));
        }
        if (d.currentStep >= d.steps.length) {
          this.deployments.delete(d.id);
          this.ctx.store.delete(K.deployment + d.id);
          this.events.publish('deployment_success', () => ({ id: d.id, plan: this.planJson(d) }));
          this.planGroups.delete(d.id);
          break;
        }
        d.currentStep++;
        this.startStep(d);
      }
    }
  }

  // ---------------------------------------------------------------- the driving loop

  drive(): void {
    if (!this.running) return;
    if (this.driving) {
      this.driveAgain = true;
      return;
    }
    this.driving = true;
    try {
      let rounds = 0;
      do {
        this.driveAgain = false;
        this.advanceDeployments();
        this.scaleUnlockedApps();
        this.syncHealthCheckers();
      } while (this.driveAgain && ++rounds < 20);
      this.maybeRevive();
    } finally {
      this.driving = false;
    }
  }

  private scaleUnlockedApps(): void {
    const locked = this.lockedApps();
    for (const app of this.apps.values()) {
      if (locked.has(app.id)) continue;
      const live = this.liveTasks(app.id).filter((t) => !t.killRequested);
      if (live.length > app.instances) {
        const rank = (t: TaskRecord) =>
          t.state === 'TASK_STAGING' ? 0 : t.state === 'TASK_STARTING' ? 1 : 2;
        const surplus = [...live]
          .sort((x, y) => rank(x) - rank(y) || (y.startedAt ?? y.stagedAt) - (x.startedAt ?? x.stagedAt))
          .slice(0, live.length - app.instances);
        for (const t of surplus) this.killTask(t);
      }
    }
    // Tasks of apps that no longer exist (deleted while Marathon was down) are killed.
    for (const t of [...this.tasks.values()])
      if (!this.apps.has(t.appId) && !locked.has(t.appId)) this.killTask(t);
  }

  private maybeRevive(): void {
    const now = this.now;
    let work = false;
    for (const [appId] of this.launchNeeds()) {
      const d = this.delays.get(appId);
      if (!d || d.until <= now) {
        work = true;
        break;
      }
    }
    if (work && !this.hadLaunchWork) this.driver?.reviveOffers();
    this.hadLaunchWork = work;
  }

  // ---------------------------------------------------------------- health checks

  private syncHealthCheckers(): void {
    const wanted = new Map<string, { appId: string; version: number; index: number; hc: HealthCheck }>();
    const add = (app: AppDefinition) =>
      app.healthChecks.forEach((hc, index) =>
        wanted.set(`${app.id}|${app.version}|${index}`, { appId: app.id, version: app.version, index, hc }),
      );
    for (const app of this.apps.values()) add(app);
    for (const t of this.tasks.values()) {
      const v = this.versions.get(t.appId)?.get(t.version);
      if (v && this.apps.has(t.appId)) add(v);
    }
    const removedApps = new Set<string>();
    for (const [key, timers] of this.checkers)
      if (!wanted.has(key)) {
        for (const t of timers) t.cancel();
        this.checkers.delete(key);
        removedApps.add(key.split('|')[0]);
      }
    // HealthCheckManager publishes these as it adds and removes checks.
    for (const appId of removedApps) this.events.publish('remove_health_check_event', () => ({ appId }));
    for (const [key, w] of wanted) {
      if (this.checkers.has(key)) continue;
      const clock = this.ctx.clock;
      const timers: TimerHandle[] = [];
      const intervalMs = Math.max(1, w.hc.intervalSeconds) * 1000;
      timers.push(
        clock.setTimeout(
          () => {
            this.healthRound(w.appId, w.version, w.index, w.hc);
            timers.push(
              clock.setInterval(() => this.healthRound(w.appId, w.version, w.index, w.hc), intervalMs),
            );
          },
          Math.min(w.hc.intervalSeconds, 5) * 1000,
        ),
      );
      this.checkers.set(key, timers);
      this.events.publish('add_health_check_event', () => ({
        appId: w.appId,
        version: isoTime(w.version),
        healthCheck: healthCheckJson(w.hc),
      }));
    }
  }

  private healthRound(appId: string, version: number, index: number, hc: HealthCheck): void {
    for (const t of this.tasksOf(appId)) {
      if (t.version !== version || t.state !== 'TASK_RUNNING' || t.unreachable) continue;
      void this.probe(t, hc).then((result) => {
        if (!this.running || !this.tasks.has(t.id)) return;
        this.healthResult(t, index, hc, result);
      });
    }
  }

  private async probe(t: TaskRecord, hc: HealthCheck): Promise<{ ok: boolean; cause?: string }> {
    const prober = this.ctx.probe;
    // Without a prober (model executor, grading, browser) nothing runs, so every check passes.
    if (!prober) return { ok: true };
    const timeoutMs = hc.timeoutSeconds * 1000;
    const port = hc.port ?? (hc.portIndex !== undefined ? t.ports[hc.portIndex] : undefined);
    try {
      switch (hc.protocol) {
        case 'HTTP':
        case 'HTTPS': {
          if (port === undefined) return { ok: false, cause: 'No port available for health check' };
          const scheme = hc.protocol === 'HTTPS' ? 'https' : 'http';
          const path = hc.path ?? '/';
          const code = await prober.http(`${scheme}://${this.probeHost}:${port}${path}`, timeoutMs);
          if (code === undefined) return { ok: false, cause: 'Connection refused' };
          if (code >= 200 && code < 400) return { ok: true };
          if (code >= 100 && code < 200 && hc.ignoreHttp1xx) return { ok: true };
          return { ok: false, cause: `${code}` };
        }
        case 'TCP': {
          if (port === undefined) return { ok: false, cause: 'No port available for health check' };
          const ok = await prober.tcp(this.probeHost, port, timeoutMs);
          return ok ? { ok: true } : { ok: false, cause: 'Connection refused' };
        }
        case 'COMMAND': {
          if (!prober.command) return { ok: true };
          const code = await prober.command(hc.command?.value ?? '', t.env, timeoutMs);
          if (code === 0) return { ok: true };
          return {
            ok: false,
            cause: code === undefined ? 'Command timed out' : `Command exited with status ${code}`,
          };
        }
      }
    } catch (e) {
      return { ok: false, cause: String(e) };
    }
    return { ok: false };
  }

  /** HealthCheckActor: grace period, failure counting, the kill rule, and the events. */
  healthResult(t: TaskRecord, index: number, hc: HealthCheck, result: { ok: boolean; cause?: string }): void {
    const now = this.now;
    const list = this.health.get(t.id) ?? [];
    const health: HealthState = list[index] ?? {
      alive: false,
      consecutiveFailures: 0,
      firstSuccess: null,
      lastFailure: null,
      lastSuccess: null,
      lastFailureCause: null,
    };
    let next: HealthState;
    if (result.ok) {
      next = {
        ...health,
        alive: true,
        consecutiveFailures: 0,
        firstSuccess: health.firstSuccess ?? now,
        lastSuccess: now,
      };
    } else {
      const inGrace =
        health.firstSuccess === null &&
        t.startedAt !== null &&
        t.startedAt + hc.gracePeriodSeconds * 1000 > now;
      if (inGrace) next = health;
      else {
        this.events.publish('failed_health_check_event', () => ({
          appId: t.appId,
          taskId: t.id,
          healthCheck: healthCheckJson(hc),
        }));
        if (
          hc.maxConsecutiveFailures > 0 &&
          health.consecutiveFailures >= hc.maxConsecutiveFailures &&
          !t.unreachable
        ) {
          this.events.publish('unhealthy_task_kill_event', () => ({
            appId: t.appId,
            taskId: t.id,
            version: isoTime(t.version),
            reason: result.cause ?? 'unhealthy',
            host: t.host,
            slaveId: t.agentId,
          }));
          this.ctx.log(`killing unhealthy task ${t.id}`);
          this.killTask(t);
        }
        next = {
          ...health,
          alive: false,
          consecutiveFailures: health.consecutiveFailures + 1,
          lastFailure: now,
          lastFailureCause: result.cause ?? null,
        };
      }
    }
    list[index] = next;
    this.health.set(t.id, list);
    if (health.alive !== next.alive)
      this.events.publish('health_status_changed_event', () => ({
        appId: t.appId,
        taskId: t.id,
        version: isoTime(t.version),
        alive: next.alive,
      }));
    this.drive();
  }

  // ---------------------------------------------------------------- JSON views

  planJson(d: Deployment): Record<string, unknown> {
    const groups = this.planGroups.get(d.id);
    const original = groups?.original ?? this.rootJsonFrom(d.original);
    return {
      id: d.id,
      original,
      target: groups?.target ?? this.rootJson(),
      steps: d.steps.map((s) => this.stepJson(s)),
      version: isoTime(d.version),
    };
  }

  stepJson(s: { actions: StepAction[] }): Record<string, unknown> {
    return { actions: s.actions.map((a) => ({ action: a.action, app: a.app })) };
  }

  deploymentJson(d: Deployment): Record<string, unknown> {
    const step = d.steps[d.currentStep - 1];
    return {
      id: d.id,
      version: isoTime(d.version),
      affectedApps: d.affectedApps,
      steps: d.steps.map((s) => this.stepJson(s)),
      currentActions: (step?.actions ?? []).map((a) => ({
        action: a.action,
        app: a.app,
        readinessCheckResults: [],
      })),
      currentStep: Math.max(1, d.currentStep),
      totalSteps: d.steps.length,
    };
  }

  private rootJsonFrom(overrides: Record<string, AppDefinition | null>): unknown {
    const apps = new Map(this.apps);
    for (const [id, app] of Object.entries(overrides)) {
      if (app) apps.set(id, app);
      else apps.delete(id);
    }
    return this.groupJson('/', apps, {});
  }

  rootJson(): unknown {
    return this.groupJson('/', this.apps, {});
  }

  /** Explicit groups plus the groups implied by app ids. */
  allGroupIds(apps: Map<string, AppDefinition> = this.apps): Set<string> {
    const out = new Set<string>(['/']);
    for (const g of this.groups.keys()) {
      let p = g;
      while (p !== '/') {
        out.add(p);
        p = parentId(p);
      }
    }
    for (const id of apps.keys()) {
      let p = parentId(id);
      while (p !== '/') {
        out.add(p);
        p = parentId(p);
      }
    }
    return out;
  }

  groupJson(
    groupId: string,
    apps: Map<string, AppDefinition>,
    opts: { appView?: (app: AppDefinition) => unknown },
  ): Record<string, unknown> {
    const ids = this.allGroupIds(apps);
    const childGroups = [...ids].filter((g) => g !== '/' && g !== groupId && parentId(g) === groupId).sort();
    const childApps = [...apps.values()]
      .filter((a) => parentId(a.id) === groupId)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const rec = this.groups.get(groupId);
    return {
      id: groupId,
      dependencies: rec?.dependencies ?? [],
      version: isoTime(groupId === '/' ? this.rootVersion : (rec?.version ?? this.rootVersion)),
      apps: childApps.map((a) => (opts.appView ? opts.appView(a) : appJson(a))),
      groups: childGroups.map((g) => this.groupJson(g, apps, opts)),
    };
  }

  private ensureGroups(appId: string, version: number): void {
    let p = parentId(appId);
    while (p !== '/') {
      if (!this.groups.has(p)) {
        const g = { id: p, version, dependencies: [] };
        this.groups.set(p, g);
        this.ctx.store.set(K.group + p, g);
      }
      p = parentId(p);
    }
  }

  saveGroup(g: GroupRecord): void {
    this.groups.set(g.id, g);
    this.ctx.store.set(K.group + g.id, g);
  }

  deleteGroupRecords(groupId: string): void {
    for (const id of [...this.groups.keys()])
      if (id === groupId || id.startsWith(groupId === '/' ? '/' : groupId + '/')) {
        this.groups.delete(id);
        this.ctx.store.delete(K.group + id);
      }
  }

  taskJson(t: TaskRecord): Record<string, unknown> {
    return {
      id: t.id,
      slaveId: t.agentId,
      host: t.host,
      state: t.unreachable ? 'TASK_LOST' : t.state,
      startedAt: t.startedAt === null ? null : isoTime(t.startedAt),
      stagedAt: isoTime(t.stagedAt),
      ports: t.ports,
      version: isoTime(t.version),
    };
  }

  enrichedTaskJson(t: TaskRecord, withServicePorts: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = { ...this.taskJson(t), appId: t.appId };
    if (withServicePorts)
      out.servicePorts = this.apps.get(t.appId) ? servicePorts(this.apps.get(t.appId)!) : t.servicePorts;
    const h = this.health.get(t.id);
    if (h && h.some((x) => x !== undefined))
      out.healthCheckResults = h
        .filter((x): x is HealthState => x !== undefined)
        .map((x) => ({
          alive: x.alive,
          consecutiveFailures: x.consecutiveFailures,
          firstSuccess: x.firstSuccess === null ? null : isoTime(x.firstSuccess),
          lastFailure: x.lastFailure === null ? null : isoTime(x.lastFailure),
          lastSuccess: x.lastSuccess === null ? null : isoTime(x.lastSuccess),
          lastFailureCause: x.lastFailureCause,
          taskId: t.id,
        }));
    return out;
  }

  failureJson(f: TaskFailure): Record<string, unknown> {
    return {
      appId: f.appId,
      host: f.host,
      message: f.message,
      state: f.state,
      taskId: f.taskId,
      timestamp: isoTime(f.timestamp),
      version: isoTime(f.version),
      slaveId: f.slaveId,
    };
  }

  /** ExtendedAppInfo: the app plus what the embed parameters ask for. */
  appInfoJson(app: AppDefinition, embed: AppEmbed): Record<string, unknown> {
    const out = appJson(app);
    if (embed.counts) {
      const c = this.counts(app.id);
      out.tasksStaged = c.staged;
      out.tasksRunning = c.running;
      out.tasksHealthy = c.healthy;
      out.tasksUnhealthy = c.unhealthy;
    }
    if (embed.deployments) out.deployments = this.deploymentsOf(app.id).map((d) => ({ id: d.id }));
    if (embed.readiness) out.readinessCheckResults = [];
    if (embed.tasks) out.tasks = this.tasksOf(app.id).map((t) => this.enrichedTaskJson(t, false));
    if (embed.lastTaskFailure) {
      const f = this.failures.get(app.id);
      if (f) out.lastTaskFailure = this.failureJson(f);
    }
    if (embed.taskStats) out.taskStats = this.taskStats(app.id);
    return out;
  }

  private taskStats(appId: string): Record<string, unknown> {
    const tasks = this.tasksOf(appId);
    if (tasks.length === 0) return {};
    const c = this.counts(appId);
    const now = this.now;
    const lifetimes = tasks.filter((t) => t.startedAt !== null).map((t) => (now - t.startedAt!) / 1000);
    const sorted = [...lifetimes].sort((a, b) => a - b);
    const stats: Record<string, unknown> = {
      counts: { staged: c.staged, running: c.running, healthy: c.healthy, unhealthy: c.unhealthy },
    };
    if (sorted.length > 0)
      stats.lifeTime = {
        averageSeconds: dbl(sorted.reduce((a, b) => a + b, 0) / sorted.length),
        medianSeconds: dbl(sorted[Math.floor(sorted.length / 2)]),
      };
    return { totalSummary: { stats } };
  }

  /** Lowest free service ports in [10000, 20000), reusing the app's previous ones first. */
  assignServicePorts(app: AppDefinition, previous?: AppDefinition): AppDefinition {
    if (!app.portDefinitions.some((p) => p.port === 0)) return app;
    const used = new Set<number>();
    for (const other of this.apps.values())
      if (other.id !== app.id) for (const p of servicePorts(other)) used.add(p);
    for (const p of app.portDefinitions) if (p.port !== 0) used.add(p.port);
    const reuse = (previous ? servicePorts(previous) : []).filter((p) => !used.has(p));
    let next = LOCAL_PORT_MIN;
    const portDefinitions = app.portDefinitions.map((d) => {
      if (d.port !== 0) return d;
      let port = reuse.shift();
      if (port === undefined) {
        while (used.has(next) && next < LOCAL_PORT_MAX) next++;
        port = next;
      }
      used.add(port);
      return { ...d, port };
    });
    return { ...app, portDefinitions };
  }
}

function range(begin: number, end: number): number[] {
  const out: number[] = [];
  for (let p = begin; p <= end; p++) out.push(p);
  return out;
}

export { appIdOfTask, segments };
