// Test doubles for Chronos: a small Mesos master (MasterConnection / SchedulerDriver) that offers
// two agents' resources on an allocation interval, runs launched tasks as models that end after a
// given time with a given state, and an in-memory Store. Used until (and beside) the real
// MesosCluster core, so the scheduler can be tested alone.
import type { Clock } from '../clock.ts';
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
import type { MasterConnection } from '../service.ts';
import { MemoryStore } from '../memory-store.ts';

export { MemoryStore };

/** What a launched task does: run for `runMs`, then end in `state` (or keep running when undefined). */
export type TaskOutcome = { runMs: number; state?: TaskState };

interface FakeAgent {
  id: string;
  hostname: string;
  attributes: Record<string, string>;
  total: Resources;
}

interface FakeTask {
  info: TaskInfo;
  state: TaskState;
  timer?: { cancel(): void };
}

export interface FakeMasterOptions {
  /** Allocation interval in ms (Mesos default 1 s). */
  allocationMs?: number;
  outcome?: (task: TaskInfo) => TaskOutcome;
}

/** A faithful-enough Mesos master for one framework. */
export class FakeMaster implements MasterConnection {
  readonly agents: FakeAgent[] = [
    {
      id: 'M-S0',
      hostname: 'mesos-agent-1',
      attributes: { rack: 'a' },
      total: { cpus: 2, mem: 1024, disk: 2048, gpus: 0, ports: [{ begin: 31000, end: 31009 }] },
    },
    {
      id: 'M-S1',
      hostname: 'mesos-agent-2',
      attributes: { rack: 'b' },
      total: { cpus: 2, mem: 1024, disk: 2048, gpus: 0, ports: [{ begin: 31010, end: 31019 }] },
    },
  ];
  readonly launched: TaskInfo[] = [];
  readonly updates: TaskStatus[] = [];
  readonly tasks = new Map<string, FakeTask>();
  info: FrameworkInfo | undefined;
  registrations = 0;
  private scheduler: Scheduler | undefined;
  private offers = new Map<string, Offer>();
  private refusedUntil = new Map<string, number>();
  private offerSeq = 0;
  private frameworkId = '';
  private timer: { cancel(): void } | undefined;
  outcome: (task: TaskInfo) => TaskOutcome;

  constructor(
    private readonly clock: Clock,
    options: FakeMasterOptions = {},
  ) {
    this.outcome = options.outcome ?? (() => ({ runMs: 1000, state: 'TASK_FINISHED' }));
    this.timer = clock.setInterval(() => this.allocate(), options.allocationMs ?? 1000);
  }

  shutdown(): void {
    this.timer?.cancel();
  }

  registerFramework(info: FrameworkInfo, scheduler: Scheduler): SchedulerDriver {
    this.info = info;
    this.scheduler = scheduler;
    this.registrations++;
    const reregistered = info.id !== undefined && info.id === this.frameworkId;
    if (!reregistered) this.frameworkId = info.id ?? `M-${String(this.registrations - 1).padStart(4, '0')}`;
    this.offers.clear();
    this.refusedUntil.clear();
    const id = this.frameworkId;
    this.clock.setTimeout(() => scheduler.registered(id, reregistered), 0);
    let stopped = false;
    const guard = () => !stopped && this.scheduler === scheduler;
    const driver: SchedulerDriver = {
      frameworkId: id,
      launchTasks: (offerIds: string[], tasks: TaskInfo[]) => {
        if (!guard()) return;
        for (const offerId of offerIds) {
          const offer = this.offers.get(offerId);
          if (!offer) throw new Error(`unknown offer ${offerId}`);
          this.offers.delete(offerId);
          const need = tasks.reduce(
            (acc, t) => ({
              cpus: acc.cpus + t.resources.cpus,
              mem: acc.mem + t.resources.mem,
              disk: acc.disk + t.resources.disk,
            }),
            { cpus: 0, mem: 0, disk: 0 },
          );
          if (
            need.cpus > offer.resources.cpus + 1e-9 ||
            need.mem > offer.resources.mem ||
            need.disk > offer.resources.disk
          ) {
            throw new Error('tasks exceed the offer');
          }
        }
        for (const t of tasks) this.launch(t);
      },
      declineOffer: (offerId: string, filters?: Filters) => {
        const offer = this.offers.get(offerId);
        this.offers.delete(offerId);
        if (offer)
          this.refusedUntil.set(offer.agentId, this.clock.now() + (filters?.refuseSeconds ?? 5) * 1000);
      },
      killTask: (taskId: string) => {
        if (!guard()) return;
        const task = this.tasks.get(taskId);
        if (task && !isTerminalState(task.state)) this.finish(task, 'TASK_KILLED');
      },
      reconcileTasks: (taskIds: string[]) => {
        for (const task of this.tasks.values()) {
          if (taskIds.length > 0 && !taskIds.includes(task.info.taskId)) continue;
          if (isTerminalState(task.state)) continue;
          this.send(task, task.state);
        }
      },
      reviveOffers: () => this.refusedUntil.clear(),
      suppressOffers: () => undefined,
      stop: () => {
        stopped = true;
        if (this.scheduler === scheduler) this.scheduler = undefined;
        this.offers.clear();
      },
    };
    return driver;
  }

  /** Marks an agent's tasks lost (TASK_LOST) as a removed agent would. */
  loseTasksOn(agentId: string): void {
    for (const task of this.tasks.values()) {
      if (task.info.agentId === agentId && !isTerminalState(task.state)) this.finish(task, 'TASK_LOST');
    }
  }

  private used(agentId: string): { cpus: number; mem: number; disk: number } {
    const u = { cpus: 0, mem: 0, disk: 0 };
    for (const t of this.tasks.values()) {
      if (t.info.agentId !== agentId || isTerminalState(t.state)) continue;
      u.cpus += t.info.resources.cpus;
      u.mem += t.info.resources.mem;
      u.disk += t.info.resources.disk;
    }
    for (const o of this.offers.values()) {
      if (o.agentId !== agentId) continue;
      u.cpus += o.resources.cpus;
      u.mem += o.resources.mem;
      u.disk += o.resources.disk;
    }
    return u;
  }

  private allocate(): void {
    const scheduler = this.scheduler;
    if (!scheduler) return;
    const batch: Offer[] = [];
    for (const agent of this.agents) {
      if ((this.refusedUntil.get(agent.id) ?? 0) > this.clock.now()) continue;
      const u = this.used(agent.id);
      const free = {
        cpus: Math.round((agent.total.cpus - u.cpus) * 1000) / 1000,
        mem: agent.total.mem - u.mem,
        disk: agent.total.disk - u.disk,
        gpus: 0,
        ports: agent.total.ports,
      };
      if (free.cpus <= 0 || free.mem <= 0) continue;
      const offer: Offer = {
        id: `M-O${this.offerSeq++}`,
        frameworkId: this.frameworkId,
        agentId: agent.id,
        hostname: agent.hostname,
        attributes: agent.attributes,
        resources: free,
      };
      this.offers.set(offer.id, offer);
      batch.push(offer);
    }
    if (batch.length > 0) scheduler.resourceOffers(batch);
  }

  private launch(info: TaskInfo): void {
    this.launched.push(info);
    const task: FakeTask = { info, state: 'TASK_STAGING' };
    this.tasks.set(info.taskId, task);
    this.send(task, 'TASK_STAGING');
    this.clock.setTimeout(() => {
      if (isTerminalState(task.state)) return;
      task.state = 'TASK_RUNNING';
      this.send(task, 'TASK_RUNNING');
      const outcome = this.outcome(info);
      if (outcome.state) {
        const end = outcome.state;
        task.timer = this.clock.setTimeout(() => this.finish(task, end), outcome.runMs);
      }
    }, 0);
  }

  private finish(task: FakeTask, state: TaskState): void {
    task.timer?.cancel();
    task.state = state;
    this.send(task, state);
  }

  private send(task: FakeTask, state: TaskState): void {
    const status: TaskStatus = {
      taskId: task.info.taskId,
      frameworkId: this.frameworkId,
      agentId: task.info.agentId,
      state,
      timestamp: this.clock.now() / 1000,
      source: 'SOURCE_EXECUTOR',
    };
    this.updates.push(status);
    // Updates for a framework that is not connected wait in the agent (delivered on reconcile).
    this.scheduler?.statusUpdate(status);
  }
}

function isTerminalState(state: TaskState): boolean {
  return ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST'].includes(state);
}
