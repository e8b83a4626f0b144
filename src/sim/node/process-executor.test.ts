import { mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskLaunch } from '../core/executor.ts';
import { killLeftoverTasks, ProcessExecutor } from './process-executor.ts';

let root: string;
let executor: ProcessExecutor;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'lab-exec-'));
  executor = new ProcessExecutor({ workDir: path.join(root, 'work'), killGraceMs: 500 });
});

afterEach(async () => {
  await executor.shutdown();
  rmSync(root, { recursive: true, force: true });
});

// As the Mesos core gives it: relative to the agent work dir.
const sandboxOf = (id: string) => `slaves/S0/frameworks/F0/executors/${id}/runs/${id}-run`;

function launchOf(id: string, command: string, env: Record<string, string> = {}): TaskLaunch {
  return {
    taskId: id,
    frameworkId: 'F0',
    agentId: 'S0',
    hostname: 'mesos-agent-1',
    command,
    env,
    sandbox: sandboxOf(id),
  };
}

function run(launch: TaskLaunch) {
  const events: string[] = [];
  const exited = new Promise<{ code: number | null; killed: boolean; message?: string }>((resolve) => {
    executor.launch(launch, {
      running: () => events.push('running'),
      exited: (r) => {
        events.push('exited');
        resolve(r);
      },
    });
  });
  return { events, exited };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(predicate: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ProcessExecutor', () => {
  it('runs the command in its sandbox with exactly the launch environment', async () => {
    const { events, exited } = run(
      launchOf('t1', 'echo "$GREETING $MESOS_TASK_ID" > out.txt; echo err >&2; env | sort > env.txt', {
        GREETING: 'olá',
        MESOS_TASK_ID: 't1',
        MESOS_SANDBOX: `/var/lib/mesos-agent/${sandboxOf('t1')}`,
      }),
    );
    const result = await exited;
    expect(result).toEqual({ code: 0, killed: false, message: 'Command exited with status 0' });
    expect(events).toEqual(['running', 'exited']);
    const dir = executor.sandboxDir(sandboxOf('t1'))!;
    expect(dir.startsWith(path.join(root, 'work', 'slaves', 'S0'))).toBe(true);
    expect(readFileSync(path.join(dir, 'out.txt'), 'utf8')).toBe('olá t1\n');
    expect(readFileSync(path.join(dir, 'stderr'), 'utf8')).toBe('err\n');
    const names = readFileSync(path.join(dir, 'env.txt'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('=')[0]);
    // sh adds PWD/SHLVL/_ itself; nothing else of the parent leaks in.
    const extra = names.filter(
      (n) => !['GREETING', 'MESOS_TASK_ID', 'MESOS_SANDBOX', 'PATH', 'HOME', 'LANG'].includes(n),
    );
    expect(extra.filter((n) => !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(n))).toEqual([]);
    expect(readFileSync(path.join(dir, 'env.txt'), 'utf8')).toContain(`MESOS_SANDBOX=${dir}\n`);
  });

  it('reports a non-zero exit code', async () => {
    const result = await run(launchOf('t2', 'exit 3')).exited;
    expect(result).toEqual({ code: 3, killed: false, message: 'Command exited with status 3' });
  });

  it('kills the whole process group, children included', async () => {
    const { exited } = run(launchOf('t3', 'sleep 300 & echo $! > child.pid; wait'));
    const pidFile = path.join(executor.sandboxDir(sandboxOf('t3'))!, 'child.pid');
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
    const childPid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(alive(childPid)).toBe(true);
    expect(executor.runningTasks()).toEqual(['t3']);
    executor.kill('t3');
    const result = await exited;
    expect(result.killed).toBe(true);
    await waitFor(() => !alive(childPid));
    expect(executor.runningTasks()).toEqual([]);
  });

  it('escalates to SIGKILL when the task ignores SIGTERM', async () => {
    const { exited } = run(
      launchOf('t4', "trap '' TERM; echo ready > ready; while true; do sleep 0.05; done"),
    );
    const ready = path.join(executor.sandboxDir(sandboxOf('t4'))!, 'ready');
    await waitFor(() => existsSync(ready));
    executor.kill('t4');
    const result = await exited;
    expect(result.killed).toBe(true);
    expect(result.message).toBe('Command terminated with signal Killed');
    const stdout = readFileSync(path.join(executor.sandboxDir(sandboxOf('t4'))!, 'stdout'), 'utf8');
    expect(stdout).toContain('Received kill for task t4 with grace period of 500ms\n');
    expect(stdout).toContain('sending SIGKILL to process tree');
    expect(stdout).toMatch(/Command terminated with signal Killed \(pid: \d+\)\n$/);
  });

  it('serves files of the sandbox and nothing outside it', async () => {
    await run(launchOf('t5', 'echo hello; mkdir sub; echo x > sub/y')).exited;
    writeFileSync(path.join(root, 'secret'), 'top secret');
    const dir = executor.sandboxDir(sandboxOf('t5'))!;
    symlinkSync(path.join(root, 'secret'), path.join(dir, 'link'));
    symlinkSync(root, path.join(dir, 'dirlink'));

    const stdout = new TextDecoder().decode(await executor.readFile(sandboxOf('t5'), 'stdout'));
    // The command executor's lines around the command's own output, as in a Mesos sandbox.
    expect(stdout.startsWith('Received SUBSCRIBED event\nSubscribed executor on mesos-agent-1\n')).toBe(true);
    expect(stdout).toContain('Starting task t5\n');
    expect(stdout).toMatch(/Forked command at \d+\n/);
    expect(stdout).toContain('hello\n');
    expect(stdout).toMatch(/Command exited with status 0 \(pid: \d+\)\n$/);
    const full = await executor.readFile(sandboxOf('t5'), `${sandboxOf('t5')}/sub/y`);
    expect(new TextDecoder().decode(full)).toBe('x\n');

    expect(await executor.readFile(sandboxOf('t5'), '../../../../../../../secret')).toBeUndefined();
    expect(await executor.readFile(sandboxOf('t5'), 'link')).toBeUndefined();
    expect(await executor.readFile(sandboxOf('t5'), 'dirlink/secret')).toBeUndefined();
    expect(await executor.listFiles(sandboxOf('t5'), 'dirlink')).toBeUndefined();
    expect(await executor.listFiles(sandboxOf('t5'), '..')).toBeUndefined();
    expect(await executor.readFile('/var/lib/mesos-agent/../../../etc', 'passwd')).toBeUndefined();
    expect(await executor.readFile('../../etc', 'passwd')).toBeUndefined();
    expect(executor.sandboxDir(`/tmp/mesos/${sandboxOf('t5')}`)).toBe(dir);

    const list = await executor.listFiles(sandboxOf('t5'), '');
    expect(list!.map((e) => e.path)).toEqual(
      ['dirlink', 'link', 'stderr', 'stdout', 'sub'].map((n) => `${sandboxOf('t5')}/${n}`),
    );
    const sub = list!.find((e) => e.path.endsWith('/sub'))!;
    expect(sub.isDirectory).toBe(true);
    expect(sub.mode.startsWith('d')).toBe(true);
    const out = list!.find((e) => e.path.endsWith('/stdout'))!;
    expect(out).toMatchObject({ size: Buffer.byteLength(stdout), isDirectory: false, nlink: 1 });
    expect(out.mode).toMatch(/^-[rwx-]{9}$/);
  });

  it('shutdown kills every running task', async () => {
    run(launchOf('t6', 'sleep 300'));
    run(launchOf('t7', 'sleep 300 & wait'));
    await waitFor(() => executor.runningTasks().length === 2);
    await executor.shutdown();
    expect(executor.runningTasks()).toEqual([]);
  });
});

describe('tasks left behind by a simulator that died', () => {
  it('are found through the pid file and stopped; unrelated processes are not touched', async () => {
    const pidFile = path.join(root, 'tasks.json');
    const first = new ProcessExecutor({ workDir: path.join(root, 'work'), pidFile });
    first.launch(launchOf('orphan', 'sleep 300'), { running: () => {}, exited: () => {} });
    // One that leaves its sandbox: still found by the MESOS_SANDBOX it was given.
    first.launch(
      launchOf('wanderer', 'cd / && sleep 300', {
        MESOS_SANDBOX: `/var/lib/mesos-agent/${sandboxOf('wanderer')}`,
      }),
      { running: () => {}, exited: () => {} },
    );
    await waitFor(
      () =>
        existsSync(pidFile) &&
        (JSON.parse(readFileSync(pidFile, 'utf8')) as { pgids: number[] }).pgids.length === 2,
    );
    const { pgids } = JSON.parse(readFileSync(pidFile, 'utf8')) as { pgids: number[] };
    await new Promise((r) => setTimeout(r, 100)); // let the wanderer leave its sandbox
    // An unrelated process whose pid is (pretend) recorded too: it does not run in the work dir.
    const { spawn } = await import('node:child_process');
    const other = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    writeFileSync(
      pidFile,
      JSON.stringify({ workDir: path.join(root, 'work'), pgids: [...pgids, other.pid] }),
    );

    // The first executor "dies": nobody calls shutdown; a new simulator cleans up.
    expect(killLeftoverTasks(pidFile)).toBe(2);
    await waitFor(() => !alive(pgids[0]) && !alive(pgids[1]));
    expect(alive(other.pid!)).toBe(true);
    expect(existsSync(pidFile)).toBe(false);
    process.kill(-other.pid!, 'SIGKILL');
    await first.shutdown();
  });
});
