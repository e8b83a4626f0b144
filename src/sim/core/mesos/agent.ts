// One simulated Mesos 1.1 agent (mesos-slave). It owns what survives its own restarts
// (its agent id, checkpointed in work_dir; the frameworks and executors it ran) and runs
// tasks through the injected TaskExecutor, like the command executor would.
import type { AgentSpec } from '../../../cluster/topology.ts';
import type { Clock } from '../clock.ts';
import type { TaskExecutor } from '../executor.ts';
import type { Resources, TaskInfo, TaskState, TaskStatus } from './api.ts';
import { isTerminal } from './api.ts';
import {
  MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK,
  MAX_COMPLETED_FRAMEWORKS_AGENT,
  type RegisteredFrameworkInfo,
  type TaskRecord,
} from './model.ts';
import { parseAttributes, parseResources } from './resources.ts';

export interface ExecutorRun {
  executorId: string;
  frameworkId: string;
  containerId: string;
  /** Absolute sandbox path as Mesos shows it (`<work_dir>/slaves/...`). */
  directory: string;
  /** The same path relative to work_dir: what the TaskExecutor gets. */
  sandbox: string;
  resources: Resources;
  command: string;
  task: TaskRecord;
  /** The task as first launched, kept for /state's queued/completed lists. */
  completed: boolean;
  /** Process gone (agent restarted) or ended. */
  processGone: boolean;
}

export interface AgentFramework {
  info: RegisteredFrameworkInfo;
  executors: Map<string, ExecutorRun>;
  completedExecutors: ExecutorRun[];
}

/** What the agent tells the master (the master side lives in master.ts). */
export interface AgentUplink {
  statusUpdate(agent: Agent, status: TaskStatus, record: TaskRecord): void;
}

export class Agent {
  readonly hostname: string;
  readonly total: Resources;
  readonly attributes: Record<string, string>;
  readonly pid: string;
  /** Checkpointed agent id: kept across agent restarts (recover=reconnect). */
  id: string | undefined;
  running = false;
  startTime = 0;
  /** The master this agent is registered with (its id), if any. */
  registeredWith: string | undefined;
  readonly frameworks = new Map<string, AgentFramework>();
  readonly completedFrameworks: AgentFramework[] = [];
  /** Status updates not yet delivered to a master (the status update manager's queue). */
  pendingUpdates: { status: TaskStatus; record: TaskRecord }[] = [];
  uplink: AgentUplink | undefined;
  counters = {
    tasksFinished: 0,
    tasksFailed: 0,
    tasksKilled: 0,
    tasksLost: 0,
    validStatusUpdates: 0,
    executorsTerminated: 0,
  };

  constructor(
    readonly spec: AgentSpec,
    readonly port: number,
    readonly workDir: string,
    private readonly clock: Clock,
    private readonly executor: TaskExecutor,
  ) {
    this.hostname = spec.hostname;
    this.total = parseResources(spec.resources);
    this.attributes = parseAttributes(spec.attributes);
    this.pid = `slave(1)@127.0.0.1:${port}`;
  }

  get service(): AgentSpec['service'] {
    return this.spec.service;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.startTime = this.clock.now() / 1000;
    this.registeredWith = undefined;
    // Recovery: the container stopped with the agent, so every executor it had is gone.
    // Mesos 1.1 reaps them on recovery and reports their live tasks as TASK_FAILED with
    // REASON_EXECUTOR_TERMINATED (src/slave/slave.cpp sendExecutorTerminatedStatusUpdate);
    // the updates wait in the queue until the agent is registered again.
    for (const fw of this.frameworks.values()) {
      for (const run of [...fw.executors.values()]) {
        if (!isTerminal(run.task.state)) {
          this.update(run, 'TASK_FAILED', {
            message: 'Abnormal executor termination: unknown container',
            reason: 'REASON_EXECUTOR_TERMINATED',
            source: 'SOURCE_SLAVE',
          });
        }
      }
    }
  }

  /** The agent process goes away (docker compose stop): its tasks die with the container. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.registeredWith = undefined;
    for (const fw of this.frameworks.values()) {
      for (const run of fw.executors.values()) {
        if (!run.processGone && !isTerminal(run.task.state)) {
          run.processGone = true;
          this.executor.kill(run.task.taskId);
        }
      }
    }
  }

  liveTasks(): TaskRecord[] {
    const out: TaskRecord[] = [];
    for (const fw of this.frameworks.values()) for (const run of fw.executors.values()) out.push(run.task);
    return out;
  }

  usedResources(): Resources[] {
    return this.liveTasks()
      .filter((t) => !isTerminal(t.state))
      .map((t) => t.resources);
  }

  findRun(taskId: string): ExecutorRun | undefined {
    for (const fw of this.frameworks.values()) {
      const run = fw.executors.get(taskId);
      if (run) return run;
    }
    return undefined;
  }

  /** RunTaskMessage from the master: start the command executor for this task. */
  runTask(framework: RegisteredFrameworkInfo, task: TaskInfo, record: TaskRecord): void {
    if (!this.running || !this.id) return;
    let fw = this.frameworks.get(framework.id);
    if (!fw) {
      fw = { info: { ...framework }, executors: new Map(), completedExecutors: [] };
      this.frameworks.set(framework.id, fw);
    } else {
      fw.info = { ...framework };
    }
    const containerId = globalThis.crypto.randomUUID();
    const executorId = task.taskId;
    const sandbox = `slaves/${this.id}/frameworks/${framework.id}/executors/${executorId}/runs/${containerId}`;
    const directory = `${this.workDir}/${sandbox}`;
    const run: ExecutorRun = {
      executorId,
      frameworkId: framework.id,
      containerId,
      directory,
      sandbox,
      resources: task.resources,
      command: task.command,
      task: { ...record, statuses: [...record.statuses] },
      completed: false,
      processGone: false,
    };
    fw.executors.set(executorId, run);
    // The environment the Mesos containerizer gives the executor (src/slave/containerizer/
    // containerizer.cpp executorEnvironment, plus MESOS_SANDBOX from the Mesos containerizer);
    // the command executor passes it on to the task, with the task's own variables on top.
    const env: Record<string, string> = {
      LIBPROCESS_PORT: '0',
      MESOS_FRAMEWORK_ID: framework.id,
      MESOS_EXECUTOR_ID: executorId,
      MESOS_DIRECTORY: directory,
      MESOS_SANDBOX: directory,
      MESOS_SLAVE_ID: this.id,
      MESOS_SLAVE_PID: this.pid,
      MESOS_AGENT_ENDPOINT: `127.0.0.1:${this.port}`,
      MESOS_CHECKPOINT: framework.checkpoint ? '1' : '0',
      MESOS_HTTP_COMMAND_EXECUTOR: '0',
      MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: '5secs',
      ...(framework.checkpoint
        ? { MESOS_RECOVERY_TIMEOUT: '15mins', MESOS_SUBSCRIPTION_BACKOFF_MAX: '2secs' }
        : {}),
      ...task.env,
    };
    const taskId = task.taskId;
    this.executor.launch(
      {
        taskId,
        frameworkId: framework.id,
        agentId: this.id,
        hostname: this.hostname,
        command: task.command,
        env,
        sandbox,
      },
      {
        running: () => {
          if (!this.running || run.processGone || run.task.state !== 'TASK_STAGING') return;
          this.update(run, 'TASK_RUNNING', { source: 'SOURCE_EXECUTOR', ip: '127.0.0.1' });
        },
        exited: ({ code, killed, message }) => {
          if (!this.running || run.processGone || isTerminal(run.task.state)) return;
          run.processGone = true;
          if (killed) {
            this.update(run, 'TASK_KILLED', {
              source: 'SOURCE_EXECUTOR',
              message: message ?? 'Command terminated with signal Terminated',
            });
          } else if (code === 0) {
            this.update(run, 'TASK_FINISHED', {
              source: 'SOURCE_EXECUTOR',
              message: 'Command exited with status 0',
            });
          } else {
            this.update(run, 'TASK_FAILED', {
              source: 'SOURCE_EXECUTOR',
              reason: 'REASON_COMMAND_EXECUTOR_FAILED',
              message:
                message ??
                (code === null ? 'Failed to launch command' : `Command exited with status ${code}`),
            });
          }
        },
      },
    );
  }

  /** KillTaskMessage: the command executor sends TASK_KILLING first if the framework opted in. */
  killTask(taskId: string): boolean {
    const run = this.findRun(taskId);
    if (!run || isTerminal(run.task.state) || !this.running) return false;
    const fw = this.frameworks.get(run.frameworkId);
    if (run.task.state === 'TASK_STAGING') {
      // Not started yet: the agent answers TASK_KILLED itself.
      run.processGone = true;
      this.executor.kill(taskId);
      this.update(run, 'TASK_KILLED', {
        source: 'SOURCE_SLAVE',
        message: 'Killed before delivery to the executor',
      });
      return true;
    }
    if (fw?.info.capabilities?.includes('TASK_KILLING_STATE') && run.task.state !== 'TASK_KILLING') {
      this.update(run, 'TASK_KILLING', { source: 'SOURCE_EXECUTOR' });
    }
    this.executor.kill(taskId);
    return true;
  }

  /** ShutdownFrameworkMessage: kill everything of this framework. */
  shutdownFramework(frameworkId: string): void {
    const fw = this.frameworks.get(frameworkId);
    if (!fw) return;
    for (const run of fw.executors.values()) {
      if (!isTerminal(run.task.state)) this.killTask(run.task.taskId);
    }
  }

  /** Drops the tasks of a framework without updates (the master already reported them). */
  forgetTasks(frameworkId: string, state: TaskState): void {
    const fw = this.frameworks.get(frameworkId);
    if (!fw) return;
    for (const run of [...fw.executors.values()]) {
      if (!isTerminal(run.task.state)) {
        run.task.state = state;
        if (!run.processGone) this.executor.kill(run.task.taskId);
        run.processGone = true;
      }
      this.completeRun(fw, run);
    }
  }

  private update(
    run: ExecutorRun,
    state: TaskState,
    extra: { message?: string; reason?: string; source: TaskStatus['source']; ip?: string },
  ): void {
    if (!this.id) return;
    const timestamp = this.clock.now() / 1000;
    run.task.state = state;
    run.task.statuses.push({ state, timestamp, ...(extra.ip ? { ip: extra.ip } : {}) });
    this.counters.validStatusUpdates++;
    if (state === 'TASK_FINISHED') this.counters.tasksFinished++;
    if (state === 'TASK_FAILED') this.counters.tasksFailed++;
    if (state === 'TASK_KILLED') this.counters.tasksKilled++;
    if (state === 'TASK_LOST') this.counters.tasksLost++;
    const status: TaskStatus = {
      taskId: run.task.taskId,
      frameworkId: run.frameworkId,
      agentId: this.id,
      state,
      timestamp,
      source: extra.source,
      ...(extra.message !== undefined ? { message: extra.message } : {}),
      ...(extra.reason !== undefined ? { reason: extra.reason } : {}),
    };
    const record = { ...run.task, statuses: run.task.statuses.map((s) => ({ ...s })) };
    if (isTerminal(state)) {
      const fw = this.frameworks.get(run.frameworkId);
      if (fw) this.completeRun(fw, run);
    }
    this.pendingUpdates.push({ status, record });
    this.flush();
  }

  private completeRun(fw: AgentFramework, run: ExecutorRun): void {
    if (run.completed) return;
    run.completed = true;
    this.counters.executorsTerminated++;
    fw.executors.delete(run.executorId);
    fw.completedExecutors.push(run);
    if (fw.completedExecutors.length > MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK) fw.completedExecutors.shift();
  }

  /** Delivers queued status updates to the master, if registered with one. */
  flush(): void {
    if (!this.running || !this.registeredWith || !this.uplink) return;
    const queue = this.pendingUpdates;
    this.pendingUpdates = [];
    for (const u of queue) this.uplink.statusUpdate(this, u.status, u.record);
  }

  /** Frameworks with nothing left running move to completed_frameworks (agent-side retention). */
  gcFrameworks(): void {
    for (const [id, fw] of this.frameworks) {
      if (fw.executors.size === 0 && fw.completedExecutors.length > 0 && this.frameworkRemoved.has(id)) {
        this.frameworks.delete(id);
        this.completedFrameworks.push(fw);
        if (this.completedFrameworks.length > MAX_COMPLETED_FRAMEWORKS_AGENT)
          this.completedFrameworks.shift();
      }
    }
  }

  /** Frameworks the master has told this agent are gone. */
  readonly frameworkRemoved = new Set<string>();

  readFile(sandbox: string, path: string): Promise<Uint8Array | undefined> {
    return this.executor.readFile(sandbox, path);
  }

  listFiles(sandbox: string, path: string) {
    return this.executor.listFiles(sandbox, path);
  }

  /** All executor runs (live and completed) with their sandboxes, for /files. */
  allRuns(): ExecutorRun[] {
    const out: ExecutorRun[] = [];
    for (const fw of [...this.frameworks.values(), ...this.completedFrameworks]) {
      out.push(...fw.executors.values(), ...fw.completedExecutors);
    }
    return out;
  }
}
