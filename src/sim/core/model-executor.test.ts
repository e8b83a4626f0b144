import { describe, expect, it } from 'vitest';
import { VirtualClock } from './clock.ts';
import type { TaskLaunch } from './executor.ts';
import { exitPlan, ModelExecutor } from './model-executor.ts';

function launch(id: string, command: string): TaskLaunch {
  return {
    taskId: id,
    frameworkId: 'fw',
    agentId: 'ag',
    hostname: 'mesos-agent-1',
    command,
    env: {},
    sandbox: `slaves/ag/frameworks/fw/executors/${id}/runs/c1`,
  };
}

function run(executor: ModelExecutor, id: string, command: string) {
  const events: string[] = [];
  executor.launch(launch(id, command), {
    running: () => events.push('running'),
    exited: (r) => events.push(`exited code=${r.code} killed=${r.killed}`),
  });
  return events;
}

describe('model executor', () => {
  it('reads the command conventions', () => {
    expect(exitPlan('exit 3')).toEqual({ exitCode: 3, afterMs: 0 });
    expect(exitPlan('sleep 10')).toEqual({ exitCode: 0, afterMs: 10_000 });
    expect(exitPlan('sleep 2; exit 1')).toEqual({ exitCode: 1, afterMs: 2000 });
    expect(exitPlan('sleep 2 && exit 0')).toEqual({ exitCode: 0, afterMs: 2000 });
    expect(exitPlan('false')).toEqual({ exitCode: 1, afterMs: 0 });
    expect(exitPlan('python3 -m http.server $PORT0')).toBeUndefined();
  });

  it('starts after the simulated delay and runs until killed', () => {
    const clock = new VirtualClock();
    const ex = new ModelExecutor(clock, { startDelayMs: 200 });
    const events = run(ex, 'a', 'python3 -m http.server');
    clock.advance(199);
    expect(events).toEqual([]);
    clock.advance(1);
    expect(events).toEqual(['running']);
    clock.advance(3_600_000);
    expect(ex.runningTasks()).toEqual(['a']);
    ex.kill('a');
    expect(events).toEqual(['running', 'exited code=null killed=true']);
    ex.kill('a');
    expect(events).toHaveLength(2);
  });

  it('exits by convention, by hook, or by the test', () => {
    const clock = new VirtualClock();
    const ex = new ModelExecutor(clock, {
      startDelayMs: 100,
      onLaunch: (t) => (t.taskId === 'hooked' ? { exitCode: 7, afterMs: 50 } : undefined),
    });
    const a = run(ex, 'a', 'sleep 1; exit 2');
    const h = run(ex, 'hooked', 'anything');
    const t = run(ex, 't', 'anything');
    clock.advance(200);
    expect(h).toEqual(['running', 'exited code=7 killed=false']);
    expect(ex.exit('t', 0)).toBe(true);
    expect(t).toEqual(['running', 'exited code=0 killed=false']);
    clock.advance(1000);
    expect(a).toEqual(['running', 'exited code=2 killed=false']);
    expect(ex.runningTasks()).toEqual([]);
  });

  it('keeps stdout/stderr files per sandbox and lists them', async () => {
    const clock = new VirtualClock();
    const ex = new ModelExecutor(clock);
    run(ex, 'a', 'echo hi');
    const sandbox = 'slaves/ag/frameworks/fw/executors/a/runs/c1';
    ex.writeFile(sandbox, 'out/result.txt', 'ok');
    const root = await ex.listFiles(sandbox, '');
    expect(root!.map((e) => [e.path, e.isDirectory]).sort()).toEqual([
      ['out', true],
      ['stderr', false],
      ['stdout', false],
    ]);
    expect((await ex.listFiles(sandbox, 'out'))!.map((e) => e.path)).toEqual(['out/result.txt']);
    expect(new TextDecoder().decode(await ex.readFile(sandbox, 'stdout'))).toContain('Starting task a');
    expect(await ex.readFile(sandbox, 'missing')).toBeUndefined();
    expect(await ex.listFiles(sandbox, 'stdout')).toBeUndefined();
    expect(await ex.listFiles('nowhere', '')).toBeUndefined();
  });
});
