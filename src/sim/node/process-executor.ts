// The Node executor: every task is a real `sh -c <command>` in its own sandbox folder under the
// simulator's work dir, in its own process group, with stdout and stderr in files of the sandbox
// (as the Mesos command executor leaves them). Only this adapter touches processes and files.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import type { SandboxEntry, TaskCallbacks, TaskExecutor, TaskLaunch } from '../core/executor.ts';
import { writeFileAtomic } from './file-store.ts';

/** Work dirs the agents show in sandbox paths: the compose stack's --work_dir and the image default. */
export const AGENT_WORK_DIRS = ['/var/lib/mesos-agent', '/tmp/mesos'];

export interface ProcessExecutorOptions {
  /** Where sandboxes live on this machine (e.g. `.lab/sim/work`). */
  workDir: string;
  /** Time between SIGTERM and SIGKILL when a task is killed. Mesos's command executor waits 3 s. */
  killGraceMs?: number;
  /** Environment the parent passes on so commands work: PATH, HOME, LANG by default. */
  inherit?: readonly string[];
  parentEnv?: NodeJS.ProcessEnv;
  /** Write the command executor's own lines to the sandbox's stdout, as Mesos does (default true). */
  executorLines?: boolean;
  /** A file that lists the process groups of running tasks, so tasks left behind by a simulator
   *  that died without cleaning up can be found and stopped (killLeftoverTasks). */
  pidFile?: string;
}

interface RunningTask {
  launch: TaskLaunch;
  stdout: string;
  child: ChildProcess;
  pgid: number | undefined;
  killed: boolean;
  done: Promise<void>;
  killTimer?: NodeJS.Timeout;
}

const INHERITED = ['PATH', 'HOME', 'LANG'];

export class ProcessExecutor implements TaskExecutor {
  readonly workDir: string;
  private readonly killGraceMs: number;
  private readonly inherit: readonly string[];
  private readonly parentEnv: NodeJS.ProcessEnv;
  private readonly executorLines: boolean;
  private readonly tasks = new Map<string, RunningTask>();
  private shuttingDown = false;

  constructor(options: ProcessExecutorOptions) {
    this.workDir = path.resolve(options.workDir);
    this.killGraceMs = options.killGraceMs ?? 3000;
    this.inherit = options.inherit ?? INHERITED;
    this.parentEnv = options.parentEnv ?? process.env;
    this.executorLines = options.executorLines ?? true;
    this.pidFile = options.pidFile;
  }

  private readonly pidFile: string | undefined;

  private recordPids(): void {
    if (!this.pidFile) return;
    const pgids = [...this.tasks.values()].map((t) => t.pgid).filter((p): p is number => !!p);
    try {
      if (pgids.length === 0) rmSync(this.pidFile, { force: true });
      else writeFileAtomic(this.pidFile, JSON.stringify({ workDir: this.workDir, pgids }) + '\n');
    } catch {
      // Best effort: the list only helps clean up after a crash.
    }
  }

  /** The folder on this machine for a sandbox path as the agent gives it (`slaves/...`, relative to its
   *  work dir, or absolute under /var/lib/mesos-agent or /tmp/mesos), or undefined when it would leave
   *  the work dir. */
  sandboxDir(sandbox: string): string | undefined {
    let rel = sandbox.replace(/\\/g, '/');
    for (const prefix of AGENT_WORK_DIRS) {
      if (rel === prefix || rel.startsWith(prefix + '/')) rel = rel.slice(prefix.length);
    }
    rel = rel.replace(/^\/+/, '');
    const dir = path.resolve(this.workDir, rel);
    return isInside(this.workDir, dir) && dir !== this.workDir ? dir : undefined;
  }

  runningTasks(): string[] {
    return [...this.tasks.keys()];
  }

  launch(task: TaskLaunch, callbacks: TaskCallbacks): void {
    if (this.shuttingDown || this.tasks.has(task.taskId)) {
      callbacks.exited({
        code: null,
        killed: false,
        message: 'Executor is shutting down or task already runs',
      });
      return;
    }
    const dir = this.sandboxDir(task.sandbox);
    if (!dir) {
      callbacks.exited({ code: null, killed: false, message: `Invalid sandbox path '${task.sandbox}'` });
      return;
    }
    let out: number | undefined;
    let err: number | undefined;
    let child: ChildProcess;
    try {
      mkdirSync(dir, { recursive: true });
      out = openSync(path.join(dir, 'stdout'), 'a');
      err = openSync(path.join(dir, 'stderr'), 'a');
      // What the Mesos command executor prints before it forks the command (src/launcher/executor.cpp,
      // the v0 driver path: MESOS_HTTP_COMMAND_EXECUTOR=0). The line with the containerizer's launch
      // command is left out: it names binaries and flags that do not exist here.
      if (this.executorLines) {
        writeSync(
          out,
          `Received SUBSCRIBED event\nSubscribed executor on ${task.hostname}\n` +
            `Received LAUNCH event\nStarting task ${task.taskId}\n`,
        );
      }
      child = spawn('sh', ['-c', task.command], {
        cwd: dir,
        env: this.environment(task, dir),
        detached: true,
        stdio: ['ignore', out, err],
      });
    } catch (e) {
      callbacks.exited({ code: null, killed: false, message: `Failed to launch: ${(e as Error).message}` });
      return;
    } finally {
      if (out !== undefined) closeSync(out);
      if (err !== undefined) closeSync(err);
    }

    let resolveDone!: () => void;
    const running: RunningTask = {
      launch: task,
      stdout: path.join(dir, 'stdout'),
      child,
      pgid: child.pid,
      killed: false,
      done: new Promise((r) => (resolveDone = r)),
    };
    this.tasks.set(task.taskId, running);
    this.recordPids();
    let finished = false;
    const finish = (result: { code: number | null; killed: boolean; message?: string }) => {
      if (finished) return;
      finished = true;
      if (running.killTimer) clearTimeout(running.killTimer);
      // Like the agent destroying the container: whatever the command left behind in its group dies too.
      signalGroup(running.pgid, 'SIGKILL');
      this.tasks.delete(task.taskId);
      this.recordPids();
      resolveDone();
      if (!this.shuttingDown) callbacks.exited(result);
    };
    if (child.pid !== undefined) this.note(running, `Forked command at ${child.pid}`);
    child.once('spawn', () => {
      if (!this.shuttingDown) callbacks.running();
    });
    child.once('error', (e) =>
      finish({ code: null, killed: false, message: `Failed to launch: ${e.message}` }),
    );
    child.once('exit', (code, signal) => {
      // Message texts follow Mesos's WSTRINGIFY ("Command exited with status 3",
      // "Command terminated with signal Terminated").
      const message =
        signal !== null
          ? `Command terminated with signal ${signalName(signal)}`
          : `Command exited with status ${code}`;
      this.note(running, `${message} (pid: ${child.pid})`);
      finish({ code, killed: running.killed, message });
    });
  }

  kill(taskId: string): void {
    const task = this.tasks.get(taskId);
    if (!task || task.killed) return;
    task.killed = true;
    const grace = durationText(this.killGraceMs);
    this.note(task, `Received KILL event\nReceived kill for task ${taskId} with grace period of ${grace}`);
    this.note(task, `Sending SIGTERM to process tree at pid ${task.pgid}`);
    signalGroup(task.pgid, 'SIGTERM');
    this.note(task, `Scheduling escalation to SIGKILL in ${grace} from now`);
    task.killTimer = setTimeout(() => {
      this.note(
        task,
        `Process ${task.pgid} did not terminate after ${grace}, sending SIGKILL to process tree at ${task.pgid}`,
      );
      signalGroup(task.pgid, 'SIGKILL');
    }, this.killGraceMs);
  }

  /** One line of the executor's own output in the sandbox's stdout. */
  private note(task: RunningTask, line: string): void {
    if (!this.executorLines) return;
    try {
      appendFileSync(task.stdout, line + '\n');
    } catch {
      // The sandbox went away (reset): nothing to write to.
    }
  }

  async readFile(sandbox: string, file: string): Promise<Uint8Array | undefined> {
    const target = await this.confined(sandbox, file);
    if (!target) return undefined;
    try {
      const st = await lstat(target);
      if (!st.isFile()) return undefined;
      return new Uint8Array(await readFile(target));
    } catch {
      return undefined;
    }
  }

  async listFiles(sandbox: string, dirPath: string): Promise<SandboxEntry[] | undefined> {
    const target = await this.confined(sandbox, dirPath);
    if (!target) return undefined;
    let names: string[];
    try {
      if (!(await lstat(target)).isDirectory()) return undefined;
      names = (await readdir(target)).sort();
    } catch {
      return undefined;
    }
    const root = (await this.realSandbox(sandbox))!;
    const prefix = sandbox.replace(/\/+$/, '');
    const entries: SandboxEntry[] = [];
    for (const name of names) {
      try {
        const st = await lstat(path.join(target, name));
        const rel = path.relative(root, path.join(target, name)).split(path.sep).join('/');
        entries.push({
          path: `${prefix}/${rel}`,
          size: st.size,
          mode: modeString(st.mode, st.isDirectory(), st.isSymbolicLink()),
          // Mesos writes mtime in whole seconds.
          mtime: Math.floor(st.mtimeMs / 1000),
          nlink: st.nlink,
          uid: userName(st.uid),
          gid: groupName(st.gid),
          isDirectory: st.isDirectory(),
        });
      } catch {
        // The file went away between readdir and lstat: skip it.
      }
    }
    return entries;
  }

  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    const all = [...this.tasks.values()];
    for (const t of all) {
      t.killed = true;
      signalGroup(t.pgid, 'SIGTERM');
    }
    const grace = new Promise<void>((r) => setTimeout(r, Math.min(this.killGraceMs, 2000)).unref());
    await Promise.race([Promise.all(all.map((t) => t.done)), grace]);
    for (const t of all) signalGroup(t.pgid, 'SIGKILL');
    await Promise.all(all.map((t) => t.done));
  }

  private environment(task: TaskLaunch, dir: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of this.inherit) {
      const v = this.parentEnv[name];
      if (v !== undefined) env[name] = v;
    }
    Object.assign(env, task.env);
    // The launch names the sandbox as the agent reports it (/var/lib/mesos-agent/slaves/...); the
    // process must find its files, so the variables that hold that path get the real folder here.
    const rel = task.sandbox.replace(/^\/+/, '');
    for (const name of ['MESOS_SANDBOX', 'MESOS_DIRECTORY']) {
      const v = env[name];
      if (v !== undefined && (v === task.sandbox || v.endsWith('/' + rel))) env[name] = dir;
    }
    return env;
  }

  private async realSandbox(sandbox: string): Promise<string | undefined> {
    const dir = this.sandboxDir(sandbox);
    if (!dir) return undefined;
    try {
      const real = await realpath(dir);
      const realWork = await realpath(this.workDir);
      return isInside(realWork, real) ? real : undefined;
    } catch {
      return undefined;
    }
  }

  /** The real path of `file` inside the sandbox, or undefined if it leaves it (`..`, symlinks). */
  private async confined(sandbox: string, file: string): Promise<string | undefined> {
    const root = await this.realSandbox(sandbox);
    if (!root) return undefined;
    let rel = file.replace(/\\/g, '/');
    const prefix = sandbox.replace(/\/+$/, '');
    if (rel === prefix || rel.startsWith(prefix + '/')) rel = rel.slice(prefix.length);
    rel = rel.replace(/^\/+/, '');
    const candidate = path.resolve(root, rel);
    if (!isInside(root, candidate)) return undefined;
    try {
      const real = await realpath(candidate);
      return isInside(root, real) ? real : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Stops the tasks a simulator left running when it died without cleaning up (killed, crashed).
 *  Only process groups whose leader still works inside the recorded work dir are signalled, so a
 *  recycled pid of some other program is never touched. Returns how many groups were stopped. */
export function killLeftoverTasks(pidFile: string): number {
  let saved: { workDir: string; pgids: number[] } | undefined;
  try {
    saved = JSON.parse(readFileSync(pidFile, 'utf8'));
  } catch {
    return 0;
  }
  rmSync(pidFile, { force: true });
  if (!saved || !Array.isArray(saved.pgids)) return 0;
  let killed = 0;
  for (const pgid of saved.pgids) {
    if (!Number.isInteger(pgid) || pgid <= 1) continue;
    if (!isOurTask(pgid, saved.workDir)) continue;
    signalGroup(pgid, 'SIGKILL');
    killed++;
  }
  return killed;
}

function isOurTask(pid: number, workDir: string): boolean {
  try {
    // Linux: the task's shell started in its sandbox, and its environment names it (a command that
    // changed directory is still recognised by MESOS_SANDBOX).
    if (isInside(workDir, readlinkSync(`/proc/${pid}/cwd`))) return true;
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    return environ.some((kv) => {
      const m = /^MESOS_(?:SANDBOX|DIRECTORY)=(.*)$/.exec(kv);
      return !!m && isInside(workDir, m[1]);
    });
  } catch {
    // No /proc (macOS): accept a live `sh -c` group leader.
    const r = spawnSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
    return r.status === 0 && r.stdout.trim().startsWith('sh -c');
  }
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A duration as stout prints it: 3secs, 500ms, 1mins. */
function durationText(ms: number): string {
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}mins`;
  if (ms % 1000 === 0) return `${ms / 1000}secs`;
  return `${ms}ms`;
}

function signalGroup(pgid: number | undefined, signal: NodeJS.Signals): void {
  if (!pgid) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

const SIGNAL_TEXT: Record<string, string> = {
  SIGTERM: 'Terminated',
  SIGKILL: 'Killed',
  SIGINT: 'Interrupt',
  SIGHUP: 'Hangup',
  SIGSEGV: 'Segmentation fault',
  SIGABRT: 'Aborted',
  SIGPIPE: 'Broken pipe',
  SIGQUIT: 'Quit',
};

function signalName(signal: NodeJS.Signals): string {
  return SIGNAL_TEXT[signal] ?? signal;
}

function modeString(mode: number, dir: boolean, link: boolean): string {
  const chars = 'rwxrwxrwx';
  let s = dir ? 'd' : link ? 'l' : '-';
  for (let i = 0; i < 9; i++) s += mode & (1 << (8 - i)) ? chars[i] : '-';
  return s;
}

let users: Map<number, string> | undefined;
let groups: Map<number, string> | undefined;

function readIdFile(file: string): Map<number, string> {
  const map = new Map<number, string>();
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && id !== undefined && /^\d+$/.test(id)) map.set(Number(id), name);
    }
  } catch {
    // No /etc/passwd (not Linux or macOS): numeric ids it is.
  }
  return map;
}

function userName(uid: number): string {
  users ??= readIdFile('/etc/passwd');
  try {
    const me = userInfo();
    if (me.uid === uid) return me.username;
  } catch {
    // userInfo can fail without a passwd entry.
  }
  return users.get(uid) ?? String(uid);
}

function groupName(gid: number): string {
  groups ??= readIdFile('/etc/group');
  return groups.get(gid) ?? String(gid);
}
