// Chronos on the simulated Mesos master with the model executor, on a virtual clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.ts';
import type { MesosCluster } from '../mesos/index.ts';
import { makeCluster } from '../mesos/test-helpers.ts';
import type { FrameworkService } from '../service.ts';
import type { ZkDatabase } from '../zookeeper/database.ts';
import { createChronos } from './index.ts';
import { MemoryStore } from './test-support.ts';

const START = Date.UTC(2026, 0, 1);

let clock: VirtualClock;
let cluster: MesosCluster;
let chronos: FrameworkService;
let store: MemoryStore;
let zk: ReturnType<ZkDatabase['access']>;

function newChronos(): FrameworkService {
  return createChronos({ clock, master: cluster.connection(), zk, store, log: () => {} });
}

async function call(method: string, path: string, body?: unknown) {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'Content-Type': 'application/json' };
  }
  const res = await chronos.fetch(new Request(`http://localhost:4400${path}`, init));
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

async function masterState() {
  const res = await cluster.masterFetch(new Request('http://localhost:5050/master/state'));
  return res.json();
}

type TaskJson = {
  id: string;
  name: string;
  state: string;
  slave_id: string;
  resources: { cpus: number; mem: number };
};

async function chronosTasks(): Promise<TaskJson[]> {
  const state = await masterState();
  const fw = [...state.frameworks, ...state.completed_frameworks].find(
    (f: { name: string }) => f.name === 'chronos',
  );
  return fw ? [...fw.tasks, ...fw.completed_tasks] : [];
}

beforeEach(() => {
  ({ clock, zk, cluster } = makeCluster({ start: START }));
  store = new MemoryStore();
  cluster.start();
  clock.advance(5_000);
  chronos = newChronos();
  chronos.start();
  clock.advance(2_000);
});

afterEach(() => {
  chronos.stop();
  cluster.shutdown();
});

describe('Chronos on the simulated Mesos cluster', () => {
  it('registers as the chronos framework', async () => {
    expect(cluster.readiness().frameworks).toContain('chronos');
    const fw = (await masterState()).frameworks.find((f: { name: string }) => f.name === 'chronos');
    expect(fw).toMatchObject({
      user: 'root',
      hostname: 'chronos',
      webui_url: 'http://chronos:4400',
      checkpoint: true,
    });
  });

  it('runs a PT1M job as Mesos tasks with its resources, the right number of times', async () => {
    const start = new Date(START + 30_000).toISOString();
    await call('POST', '/v1/scheduler/iso8601', {
      name: 'tique',
      command: 'true',
      schedule: `R/${start}/PT1M`,
      cpus: 0.25,
      mem: 32,
    });
    clock.advance(10 * 60_000);
    const tasks = await chronosTasks();
    // starts at 0:30, 1:30, ..., 9:30 of the job's clock: 10 runs in the first 10 simulated minutes
    expect(tasks).toHaveLength(10);
    expect(tasks.every((t) => t.name === 'ChronosTask:tique' && /^ct:\d+:0:tique:$/.test(t.id))).toBe(true);
    expect(tasks[0].resources).toMatchObject({ cpus: 0.25, mem: 32 });
    expect(tasks.every((t) => t.state === 'TASK_FINISHED')).toBe(true);
    const job = (await call('GET', '/v1/scheduler/job/tique')).json();
    expect(job.successCount).toBe(10);
  });

  it('decides success or failure from the exit code, with retries', async () => {
    await call('POST', '/v1/scheduler/iso8601', { name: 'quebra', command: 'exit 3', schedule: 'R1//PT1M' });
    clock.advance(5 * 60_000);
    const tasks = await chronosTasks();
    expect(tasks.map((t) => t.id.split(':')[2])).toEqual(['0', '1', '2']);
    expect(tasks.every((t) => t.state === 'TASK_FAILED')).toBe(true);
    const job = (await call('GET', '/v1/scheduler/job/quebra')).json();
    expect([job.errorCount, job.errorsSinceLastSuccess, job.successCount]).toEqual([1, 1, 0]);
    expect(job.lastError).not.toBe('');
  });

  it('runs a dependent chain in order and keeps jobs across a restart of Chronos', async () => {
    await call('POST', '/v1/scheduler/iso8601', { name: 'um', command: 'sleep 2', schedule: 'R1//PT1M' });
    await call('POST', '/v1/scheduler/dependency', { name: 'dois', command: 'true', parents: ['um'] });
    await call('POST', '/v1/scheduler/dependency', { name: 'tres', command: 'true', parents: ['dois'] });
    clock.advance(60_000);
    const order = (await chronosTasks()).map((t) => t.name);
    expect(order).toEqual(['ChronosTask:um', 'ChronosTask:dois', 'ChronosTask:tres']);
    chronos.stop();
    clock.advance(10_000);
    chronos = newChronos();
    chronos.start();
    clock.advance(3_000);
    const names = (await call('GET', '/v1/scheduler/jobs')).json().map((j: { name: string }) => j.name);
    expect(names.sort()).toEqual(['dois', 'tres', 'um']);
    expect(cluster.readiness().frameworks).toContain('chronos');
  });

  it('counts a run that ended while Chronos was stopped, once it is back', async () => {
    await call('POST', '/v1/scheduler/iso8601', { name: 'lento', command: 'sleep 30', schedule: 'R1//PT1M' });
    clock.advance(10_000);
    expect((await chronosTasks()).map((t) => t.state)).toEqual(['TASK_RUNNING']);
    chronos.stop();
    clock.advance(60_000);
    chronos = newChronos();
    chronos.start();
    clock.advance(5_000);
    const job = (await call('GET', '/v1/scheduler/job/lento')).json();
    expect(job.successCount).toBe(1);
    expect(job.disabled).toBe(true);
  });

  it('keeps scheduling after the Mesos master restarts', async () => {
    const start = new Date(START + 30_000).toISOString();
    await call('POST', '/v1/scheduler/iso8601', {
      name: 'teimoso',
      command: 'true',
      schedule: `R/${start}/PT1M`,
    });
    clock.advance(60_000);
    cluster.stopMaster();
    clock.advance(60_000);
    cluster.startMaster();
    clock.advance(3 * 60_000);
    expect(cluster.readiness().frameworks).toContain('chronos');
    const job = (await call('GET', '/v1/scheduler/job/teimoso')).json();
    expect(job.successCount).toBeGreaterThanOrEqual(3);
  });
});
