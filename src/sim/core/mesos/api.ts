// The contract between the simulated Mesos master and the frameworks that run on it
// (Marathon, Chronos). It mirrors the Mesos scheduler API of 1.1.0 (SchedulerDriver and
// Scheduler callbacks), reduced to what the course uses. Frameworks see only this file.

export type TaskState =
  | 'TASK_STAGING'
  | 'TASK_STARTING'
  | 'TASK_RUNNING'
  | 'TASK_KILLING'
  | 'TASK_FINISHED'
  | 'TASK_FAILED'
  | 'TASK_KILLED'
  | 'TASK_ERROR'
  | 'TASK_LOST';

export const TERMINAL_STATES: readonly TaskState[] = [
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
];

export function isTerminal(state: TaskState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** A closed range of ports, both ends included. */
export interface PortRange {
  begin: number;
  end: number;
}

/** Scalar resources in Mesos units (cpus, MB of mem and disk) plus port ranges. */
export interface Resources {
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
  ports: PortRange[];
}

export interface Offer {
  id: string;
  frameworkId: string;
  agentId: string;
  hostname: string;
  /** Agent attributes, e.g. { rack: 'a' }. */
  attributes: Record<string, string>;
  resources: Resources;
}

export interface TaskInfo {
  taskId: string;
  name: string;
  agentId: string;
  /** What this task takes from the offer; ports must be inside the offered ranges. */
  resources: Resources;
  /** Run through `sh -c` in the task's sandbox. */
  command: string;
  /** Extra environment for the command (Marathon's PORT0, MARATHON_APP_ID, ...). */
  env: Record<string, string>;
  labels?: Record<string, string>;
  /** CommandInfo.user (Chronos sets runAsUser); shown as the task's `user` in master state. */
  user?: string;
  /** Marathon health checks of type COMMAND run inside the task; others the framework runs itself. */
}

export interface TaskStatus {
  taskId: string;
  frameworkId: string;
  agentId: string;
  state: TaskState;
  /** Seconds since the epoch, as Mesos writes it (a double). */
  timestamp: number;
  message?: string;
  /** Mesos 1.1 reasons, e.g. REASON_COMMAND_EXECUTOR_FAILED, REASON_SLAVE_REMOVED. */
  reason?: string;
  source?: 'SOURCE_MASTER' | 'SOURCE_SLAVE' | 'SOURCE_EXECUTOR';
  healthy?: boolean;
}

export interface FrameworkInfo {
  name: string;
  user: string;
  hostname: string;
  webuiUrl?: string;
  failoverTimeoutSeconds: number;
  checkpoint: boolean;
  role?: string;
  capabilities?: string[];
  /** Set when a framework re-registers after a failover (stop/start of its container). */
  id?: string;
}

export interface Filters {
  /** How long the master should not re-offer the declined resources (Mesos default 5 s). */
  refuseSeconds?: number;
}

/** What the master calls on a framework (Mesos's Scheduler interface). */
export interface Scheduler {
  registered(frameworkId: string, reregistered: boolean): void;
  resourceOffers(offers: Offer[]): void;
  offerRescinded(offerId: string): void;
  statusUpdate(status: TaskStatus): void;
  agentLost(agentId: string): void;
  /** The master went away (stopped): the framework should wait for it to come back. */
  disconnected(): void;
  /** The master refused the framework (e.g. its id was torn down); the driver is aborted. */
  error?(message: string): void;
}

/** What a framework calls on the master (Mesos's SchedulerDriver). */
export interface SchedulerDriver {
  readonly frameworkId: string;
  launchTasks(offerIds: string[], tasks: TaskInfo[], filters?: Filters): void;
  declineOffer(offerId: string, filters?: Filters): void;
  killTask(taskId: string): void;
  /** Asks for the latest status of these tasks (all of the framework's when empty). */
  reconcileTasks(taskIds: string[]): void;
  reviveOffers(): void;
  suppressOffers(): void;
  /** Unregisters; with failover=true the framework's tasks keep running for failoverTimeout. */
  stop(failover: boolean): void;
}
