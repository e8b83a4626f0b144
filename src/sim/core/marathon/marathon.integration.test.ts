// Marathon on the simulated Mesos master with the model executor, on a virtual clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.ts';
import type { MesosCluster } from '../mesos/index.ts';
import { makeCluster } from '../mesos/test-helpers.ts';
import type { ServiceContext, ZkAccess } from '../service.ts';
import { createMarathon } from './index.ts';
import type { Marathon } from './marathon.ts';
import { MemoryStore } from './test-helpers.ts';

const START = Date.UTC(2026, 2, 2, 10);

let clock: VirtualClock;
let zk: ZkAccess;
let store: MemoryStore;
let cluster: MesosCluster;
let marathon: ReturnType<typeof createMarathon> & { core: Marathon };

function newMarathon() {
  const ctx: ServiceContext = { clock, master: cluster.connection(), zk, store, log: () => {} };
  return createMarathon(ctx) as typeof marathon;
}

async function advance(ms: number, step = 250): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(Math.min(step, ms - t));
    for (let i = 0; i < 3; i++) await Promise.resolve();
  }
}

async function until(predicate: () => boolean, maxMs: number, step = 250): Promise<boolean> {
  for (let t = 0; t <= maxMs; t += step) {
    if (predicate()) return true;
    await advance(step, step);
  }
  return predicate();
}

async function call(method: string, path: string, body?: unknown) {
  const res = await marathon.fetch(
    new Request(`http://localhost:8080${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function masterState() {
  const res = await cluster.masterFetch(new Request('http://127.0.0.1:5050/master/state'));
  return JSON.parse(await res.text());
}

function running(appId: string) {
  return marathon.core.tasksOf(appId).filter((t) => t.state === 'TASK_RUNNING' && !t.unreachable);
}

beforeEach(async () => {
  ({ clock, zk, cluster } = makeCluster({ start: START }));
  store = new MemoryStore();
  cluster.start();
  clock.advance(5_000);
  marathon = newMarathon();
  marathon.start();
  await advance(2_000);
});

afterEach(() => {
  marathon.stop();
  cluster.shutdown();
});

describe('Marathon on the simulated Mesos cluster', () => {
  it('registers as framework marathon and its tasks show in /master/state', async () => {
    expect(cluster.readiness().frameworks).toContain('marathon');
    await call('POST', '/v2/apps', {
      id: '/web',
      cmd: 'python3 -m http.server $PORT0',
      instances: 2,
      cpus: 0.25,
      mem: 64,
    });
    expect(
      await until(() => running('/web').length === 2 && marathon.core.deployments.size === 0, 30_000),
    ).toBe(true);
    const state = await masterState();
    const fw = state.frameworks.find((f: { name: string }) => f.name === 'marathon');
    expect(fw).toMatchObject({
      user: 'root',
      hostname: 'marathon',
      webui_url: 'http://marathon:8080',
      checkpoint: true,
    });
    expect(fw.tasks).toHaveLength(2);
    expect(
      fw.tasks.every((t: { state: string; name: string }) => t.state === 'TASK_RUNNING' && t.name === 'web'),
    ).toBe(true);
    expect(fw.resources.cpus).toBeCloseTo(0.5);
    expect(
      new TextDecoder().decode(
        zk.getData(`/marathon/leader-curator/${zk.children('/marathon/leader-curator')[0]}`),
      ),
    ).toBe('marathon:8080');
  });

  it('hostname:UNIQUE with 3 instances on 2 agents: 2 run, the deployment stays, 1 waits in the queue', async () => {
    await call('POST', '/v2/apps', {
      id: '/unico',
      cmd: 'sleep 100000',
      instances: 3,
      cpus: 0.1,
      mem: 16,
      constraints: [['hostname', 'UNIQUE']],
    });
    await advance(60_000, 500);
    expect(running('/unico')).toHaveLength(2);
    expect((await call('GET', '/v2/deployments')).body).toHaveLength(1);
    const queue = (await call('GET', '/v2/queue')).body.queue;
    expect(queue.map((q: { app: { id: string }; count: number }) => [q.app.id, q.count])).toEqual([
      ['/unico', 1],
    ]);
  });

  it('a failing command backs off and records lastTaskFailure', async () => {
    await call('POST', '/v2/apps', {
      id: '/falha',
      cmd: 'exit 1',
      cpus: 0.1,
      mem: 16,
      backoffSeconds: 5,
      backoffFactor: 2,
    });
    await advance(30_000, 250);
    const app = (await call('GET', '/v2/apps/falha')).body.app;
    expect(app.lastTaskFailure).toMatchObject({ appId: '/falha', state: 'TASK_FAILED' });
    const launches = Object.keys(
      Object.fromEntries(
        (await masterState()).completed_frameworks
          .concat((await masterState()).frameworks)
          .flatMap((f: { completed_tasks: { id: string }[] }) => f.completed_tasks ?? [])
          .map((t: { id: string }) => [t.id, 1]),
      ),
    ).length;
    // 5 s, 10 s, 20 s... : only a handful of launches in 30 s, not one per offer round.
    expect(launches).toBeGreaterThanOrEqual(2);
    expect(launches).toBeLessThanOrEqual(5);
  });

  it('when an agent stops, its tasks go TASK_LOST and are replaced on the other agent', async () => {
    await call('POST', '/v2/apps', {
      id: '/resiste',
      cmd: 'sleep 100000',
      instances: 2,
      cpus: 0.1,
      mem: 16,
      constraints: [['rack', 'GROUP_BY', '2']],
    });
    expect(
      await until(() => running('/resiste').length === 2 && marathon.core.deployments.size === 0, 30_000),
    ).toBe(true);
    expect(new Set(running('/resiste').map((t) => t.host)).size).toBe(2);
    cluster.stopAgent('mesos-agent-2');
    const replaced = await until(
      () => running('/resiste').length === 2 && running('/resiste').every((t) => t.host === 'mesos-agent-1'),
      15 * 60_000,
      1000,
    );
    expect(replaced).toBe(true);
    const tasks = (await call('GET', '/v2/apps/resiste/tasks')).body.tasks as { state: string }[];
    expect(tasks.filter((t) => t.state === 'TASK_RUNNING')).toHaveLength(2);
  });

  it('survives a master stop/start: same framework, tasks kept, new apps still launch', async () => {
    await call('POST', '/v2/apps', { id: '/antes', cmd: 'sleep 100000', instances: 2, cpus: 0.1, mem: 16 });
    expect(
      await until(() => running('/antes').length === 2 && marathon.core.deployments.size === 0, 30_000),
    ).toBe(true);
    const frameworkId = marathon.core.frameworkId;
    const events: string[] = [];
    marathon.core.events.subscribe((e) => events.push(e.eventType));
    cluster.stopMaster();
    await advance(20_000, 500);
    expect(events).toContain('scheduler_disconnected_event');
    cluster.startMaster();
    await advance(30_000, 500);
    expect(marathon.core.frameworkId).toBe(frameworkId);
    expect(running('/antes')).toHaveLength(2);
    await call('POST', '/v2/apps', { id: '/depois', cmd: 'sleep 100000', cpus: 0.1, mem: 16 });
    expect(await until(() => running('/depois').length === 1, 60_000)).toBe(true);
  });

  it('a master restart leaves exactly `instances` tasks: no reconciliation before the agents are back', async () => {
    await call('POST', '/v2/apps', { id: '/unica', cmd: 'sleep 1000', instances: 1, cpus: 0.1, mem: 16 });
    expect(
      await until(() => running('/unica').length === 1 && marathon.core.deployments.size === 0, 30_000),
    ).toBe(true);
    const [before] = running('/unica').map((t) => t.id);
    const statuses: string[] = [];
    marathon.core.events.subscribe((e) => {
      if (e.eventType === 'status_update_event') statuses.push(String(e.payload.taskStatus));
    });
    cluster.stopMaster();
    await advance(5_000, 250);
    cluster.startMaster();
    const masterTasks = async () =>
      (await masterState()).frameworks
        .find((f: { name: string }) => f.name === 'marathon')
        .tasks.map((t: { id: string; state: string }) => [t.id, t.state]);
    // Past the 10 s ZooKeeper session of the old master and the re-registrations.
    await advance(60_000, 500);
    expect(await masterTasks()).toEqual([[before, 'TASK_RUNNING']]);
    // And past the next reconciliation round (every 600 s).
    await advance(15 * 60_000, 1000);
    expect(statuses).not.toContain('TASK_LOST');
    expect(marathon.core.tasksOf('/unica').map((t) => t.id)).toEqual([before]);
    expect(await masterTasks()).toEqual([[before, 'TASK_RUNNING']]);
  });

  describe('a reconciliation that lands before the agents re-register (its timer fell in that second)', () => {
    async function lostAndReplaced() {
      await call('POST', '/v2/apps', { id: '/unica', cmd: 'sleep 1000', instances: 1, cpus: 0.1, mem: 16 });
      expect(
        await until(() => running('/unica').length === 1 && marathon.core.deployments.size === 0, 30_000),
      ).toBe(true);
      const [original] = running('/unica').map((t) => t.id);
      cluster.stopMaster();
      await advance(5_000, 250);
      cluster.startMaster();
      const window = () => {
        const r = cluster.readiness();
        return r.frameworks.includes('marathon') && r.activeAgents.length === 0;
      };
      expect(await until(window, 30_000, 50)).toBe(true);
      marathon.core.reconcile();
      await advance(100, 10);
      // Mesos 1.1 does not know the agent yet: TASK_LOST / REASON_RECONCILIATION, so Unreachable.
      const tasks = (await call('GET', '/v2/apps/unica/tasks')).body.tasks as { id: string; state: string }[];
      expect(tasks).toEqual([expect.objectContaining({ id: original, state: 'TASK_LOST' })]);
      expect(await until(() => running('/unica').length === 1, 30_000)).toBe(true);
      const [replacement] = running('/unica').map((t) => t.id);
      expect(replacement).not.toBe(original);
      return { original, replacement };
    }

    async function masterRunning() {
      const fw = (await masterState()).frameworks.find((f: { name: string }) => f.name === 'marathon');
      return fw.tasks
        .filter((t: { state: string }) => t.state === 'TASK_RUNNING')
        .map((t: { id: string }) => t.id);
    }

    it('TASK_RUNNING at the next round brings the task back and the scale check kills the surplus', async () => {
      const { original, replacement } = await lostAndReplaced();
      expect((await masterRunning()).sort()).toEqual([original, replacement].sort());
      await advance(30_000, 500);
      marathon.core.reconcile();
      await advance(10_000, 250);
      expect(marathon.core.tasksOf('/unica').map((t) => t.id)).toEqual([original]);
      expect(running('/unica').map((t) => t.id)).toEqual([original]);
      expect(await masterRunning()).toEqual([original]);
    });

    it('left to the timers, the app still ends with exactly one task', async () => {
      await lostAndReplaced();
      await advance(15 * 60_000, 1000);
      const ids = marathon.core.tasksOf('/unica').map((t) => t.id);
      expect(ids).toHaveLength(1);
      expect(running('/unica').map((t) => t.id)).toEqual(ids);
      expect(await masterRunning()).toEqual(ids);
    });
  });

  it('stop/start of Marathon keeps apps and finds the running tasks again', async () => {
    await call('POST', '/v2/apps', { id: '/fica', cmd: 'sleep 100000', instances: 2, cpus: 0.1, mem: 16 });
    expect(
      await until(() => running('/fica').length === 2 && marathon.core.deployments.size === 0, 30_000),
    ).toBe(true);
    const ids = running('/fica')
      .map((t) => t.id)
      .sort();
    marathon.stop();
    await advance(30_000, 1000);
    const during = await masterState();
    const fw = [...during.frameworks].find((f: { name: string }) => f.name === 'marathon');
    expect(fw?.tasks?.length ?? 0).toBe(2);
    marathon = newMarathon();
    marathon.start();
    await advance(10_000);
    expect(
      running('/fica')
        .map((t) => t.id)
        .sort(),
    ).toEqual(ids);
    const app = (await call('GET', '/v2/apps/fica')).body.app;
    expect(app.tasksRunning).toBe(2);
    await advance(30_000, 1000);
    expect(
      running('/fica')
        .map((t) => t.id)
        .sort(),
    ).toEqual(ids);
  });
});
