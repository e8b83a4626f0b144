// The model executor: runs nothing. A task reports TASK_RUNNING after a short simulated
// delay and stays running until it is killed, unless its command or a test says otherwise.
// Used by grading replays, the browser build and the simulator's own tests.
//
// Command conventions (the whole command, trimmed):
//   `exit N`            runs, then exits with code N right away (N=0 → TASK_FINISHED, else TASK_FAILED);
//   `sleep S`           runs S seconds (simulated), then exits 0;
//   `sleep S; exit N`   or `sleep S && exit N`: runs S seconds, then exits with N;
//   `true` / `false`    exit 0 / 1 right away;
//   anything else       runs until killed.
// Tests can also end a task with `exit(taskId, code)`, or with `onLaunch` decide per task.
// Each sandbox holds `stdout` (with the lines the command executor prints) and `stderr`, and
// tests can add files with `writeFile`.
import type { Clock, TimerHandle } from './clock.ts';
import type { SandboxEntry, TaskCallbacks, TaskExecutor, TaskLaunch } from './executor.ts';

export interface ModelExecutorOptions {
  /** Simulated time from launch to TASK_RUNNING (default 300 ms). */
  startDelayMs?: number;
  /** Called for every launch; return an exit plan to override the command convention. */
  onLaunch?: (task: TaskLaunch) => { exitCode: number; afterMs: number } | undefined;
}

interface ModelTask {
  launch: TaskLaunch;
  callbacks: TaskCallbacks;
  timers: TimerHandle[];
  started: boolean;
  done: boolean;
}

interface ModelFile {
  data: Uint8Array;
  mtime: number;
}

export function exitPlan(command: string): { exitCode: number; afterMs: number } | undefined {
  const c = command.trim();
  if (c === 'true') return { exitCode: 0, afterMs: 0 };
  if (c === 'false') return { exitCode: 1, afterMs: 0 };
  let m = /^exit\s+(\d+)$/.exec(c);
  if (m) return { exitCode: Number(m[1]), afterMs: 0 };
  m = /^sleep\s+(\d+(?:\.\d+)?)$/.exec(c);
  if (m) return { exitCode: 0, afterMs: Number(m[1]) * 1000 };
  m = /^sleep\s+(\d+(?:\.\d+)?)\s*(?:;|&&)\s*exit\s+(\d+)$/.exec(c);
  if (m) return { exitCode: Number(m[2]), afterMs: Number(m[1]) * 1000 };
  return undefined;
}

export class ModelExecutor implements TaskExecutor {
  private readonly tasks = new Map<string, ModelTask>();
  private readonly files = new Map<string, Map<string, ModelFile>>();
  private readonly startDelayMs: number;
  private pid = 1000;

  constructor(
    private readonly clock: Clock,
    private readonly options: ModelExecutorOptions = {},
  ) {
    this.startDelayMs = options.startDelayMs ?? 300;
  }

  launch(task: TaskLaunch, callbacks: TaskCallbacks): void {
    const t: ModelTask = { launch: task, callbacks, timers: [], started: false, done: false };
    this.tasks.set(task.taskId, t);
    const pid = this.pid++;
    this.writeFile(task.sandbox, 'stderr', '');
    this.writeFile(
      task.sandbox,
      'stdout',
      `Registered executor on ${task.hostname}\nStarting task ${task.taskId}\nsh -c '${task.command}'\nForked command at ${pid}\n`,
    );
    const plan = this.options.onLaunch?.(task) ?? exitPlan(task.command);
    t.timers.push(
      this.clock.setTimeout(() => {
        if (t.done) return;
        t.started = true;
        callbacks.running();
        if (plan)
          t.timers.push(this.clock.setTimeout(() => this.finish(t, plan.exitCode, false), plan.afterMs));
      }, this.startDelayMs),
    );
  }

  kill(taskId: string): void {
    const t = this.tasks.get(taskId);
    if (!t || t.done) return;
    this.finish(t, null, true);
  }

  /** Test hook: the task's process exits now with this code. */
  exit(taskId: string, code: number): boolean {
    const t = this.tasks.get(taskId);
    if (!t || t.done) return false;
    if (!t.started) {
      t.started = true;
      t.callbacks.running();
    }
    this.finish(t, code, false);
    return true;
  }

  /** Task ids launched and not yet ended. */
  runningTasks(): string[] {
    return [...this.tasks.values()].filter((t) => !t.done).map((t) => t.launch.taskId);
  }

  /** The launch as the agent asked for it (command, env, sandbox), for tests. */
  launched(taskId: string): TaskLaunch | undefined {
    return this.tasks.get(taskId)?.launch;
  }

  writeFile(sandbox: string, path: string, content: string | Uint8Array): void {
    let dir = this.files.get(sandbox);
    if (!dir) {
      dir = new Map();
      this.files.set(sandbox, dir);
    }
    const data = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    dir.set(path.replace(/^\/+/, ''), { data, mtime: Math.floor(this.clock.now() / 1000) });
  }

  appendFile(sandbox: string, path: string, content: string): void {
    const existing = this.files.get(sandbox)?.get(path)?.data ?? new Uint8Array();
    const extra = new TextEncoder().encode(content);
    const data = new Uint8Array(existing.length + extra.length);
    data.set(existing);
    data.set(extra, existing.length);
    this.writeFile(sandbox, path, data);
  }

  async readFile(sandbox: string, path: string): Promise<Uint8Array | undefined> {
    return this.files.get(sandbox)?.get(path.replace(/^\/+/, ''))?.data;
  }

  async listFiles(sandbox: string, path: string): Promise<SandboxEntry[] | undefined> {
    const dir = this.files.get(sandbox);
    if (!dir) return undefined;
    const prefix = path.replace(/^\/+|\/+$/g, '');
    if (prefix !== '' && dir.has(prefix)) return undefined; // a file, not a directory
    const entries = new Map<string, SandboxEntry>();
    const base = prefix === '' ? '' : `${prefix}/`;
    for (const [name, file] of dir) {
      if (!name.startsWith(base)) continue;
      const rest = name.slice(base.length);
      const slash = rest.indexOf('/');
      const child = slash === -1 ? rest : rest.slice(0, slash);
      const isDirectory = slash !== -1;
      if (entries.has(child)) continue;
      entries.set(child, {
        path: base + child,
        size: isDirectory ? 4096 : file.data.length,
        mode: isDirectory ? 'drwxr-xr-x' : '-rw-r--r--',
        mtime: file.mtime,
        nlink: isDirectory ? 2 : 1,
        uid: 'root',
        gid: 'root',
        isDirectory,
      });
    }
    if (prefix !== '' && entries.size === 0) return undefined;
    return [...entries.values()];
  }

  async shutdown(): Promise<void> {
    for (const t of this.tasks.values()) {
      for (const timer of t.timers) timer.cancel();
      t.done = true;
    }
  }

  private finish(t: ModelTask, code: number | null, killed: boolean): void {
    if (t.done) return;
    t.done = true;
    for (const timer of t.timers) timer.cancel();
    t.callbacks.exited({ code, killed });
  }
}
