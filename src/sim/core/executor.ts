// How tasks run. The process executor (Node only, in src/sim/node/) starts real processes;
// the model executor (here) runs nothing and is what grading and the browser use.

export interface TaskLaunch {
  taskId: string;
  frameworkId: string;
  agentId: string;
  /** The agent's hostname (`mesos-agent-1`), exported as HOST. */
  hostname: string;
  command: string;
  /** The full environment Mesos and the framework set for the task. */
  env: Record<string, string>;
  /** The sandbox directory (relative to the agent's work dir in the model executor). */
  sandbox: string;
}

export interface TaskCallbacks {
  /** The process started: the agent reports TASK_RUNNING. */
  running(): void;
  /** The process ended: exit code 0 is TASK_FINISHED, anything else TASK_FAILED; killed is TASK_KILLED. */
  exited(result: { code: number | null; killed: boolean; message?: string }): void;
}

export interface TaskExecutor {
  launch(task: TaskLaunch, callbacks: TaskCallbacks): void;
  kill(taskId: string): void;
  /** The sandbox's files, for /files/browse and /files/read. */
  readFile(sandbox: string, path: string): Promise<Uint8Array | undefined>;
  listFiles(sandbox: string, path: string): Promise<SandboxEntry[] | undefined>;
  /** Kills everything; used when the whole simulator stops. */
  shutdown(): Promise<void>;
}

export interface SandboxEntry {
  path: string;
  size: number;
  mode: string;
  mtime: number;
  nlink: number;
  uid: string;
  gid: string;
  isDirectory: boolean;
}
