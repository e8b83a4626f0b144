// Benchmark of the simulated Marathon (run: npx tsx scripts/bench/marathon.mts [--apps 100] [--instances 2]).
//  1. With the model executor on a virtual clock: N apps of M instances from POST to all
//     TASK_RUNNING (wall time, simulated time, memory), then GET /v2/apps latency with them.
//  2. With the process executor on the real clock: one app of 10 `sleep` instances from POST to
//     all TASK_RUNNING (real `sh -c` processes).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AGENTS, resolvePorts } from '../../src/cluster/topology.ts';
import { type Clock, RealClock, VirtualClock } from '../../src/sim/core/clock.ts';
import type { TaskExecutor } from '../../src/sim/core/executor.ts';
import { createMarathon } from '../../src/sim/core/marathon/index.ts';
import type { Marathon } from '../../src/sim/core/marathon/marathon.ts';
import { MemoryStore } from '../../src/sim/core/marathon/test-helpers.ts';
import { MesosCluster } from '../../src/sim/core/mesos/index.ts';
import { ModelExecutor } from '../../src/sim/core/model-executor.ts';
import type { FrameworkService } from '../../src/sim/core/service.ts';
import { ZkDatabase } from '../../src/sim/core/zookeeper/database.ts';
import { ProcessExecutor } from '../../src/sim/node/process-executor.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const ms = (n: number) => `${n.toFixed(2)} ms`;

function rig(clock: Clock, executor: TaskExecutor) {
  const zk = new ZkDatabase(clock).access();
  const cluster = new MesosCluster({ clock, executor, zk, agents: AGENTS, ports: resolvePorts({}) });
  const service = createMarathon({
    clock,
    master: cluster.connection(),
    zk,
    store: new MemoryStore(),
    log: () => {},
  });
  return { cluster, service: service as FrameworkService & { core: Marathon } };
}

async function call(service: FrameworkService, method: string, p: string, body?: unknown): Promise<Response> {
  return service.fetch(
    new Request(`http://localhost:8080${p}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

function runningCount(core: Marathon): number {
  let n = 0;
  for (const t of core.tasks.values()) if (t.state === 'TASK_RUNNING' && !t.unreachable) n++;
  return n;
}

async function modelBench(apps: number, instances: number): Promise<void> {
  const clock = new VirtualClock();
  const { cluster, service } = rig(clock, new ModelExecutor(clock));
  cluster.start();
  clock.advance(5_000);
  service.start();
  clock.advance(2_000);
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const simStart = clock.now();
  const wallStart = performance.now();
  for (let i = 0; i < apps; i++) {
    const res = await call(service, 'POST', '/v2/apps', {
      id: `/bench/app-${String(i).padStart(3, '0')}`,
      cmd: 'sleep 100000',
      instances,
      cpus: 0.01,
      mem: 4,
      // The course agents offer 10 ports each: 200 tasks cannot all have one.
      portDefinitions: [],
    });
    if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
  }
  const postWall = performance.now() - wallStart;
  const target = apps * instances;
  let steps = 0;
  while ((runningCount(service.core) < target || service.core.deployments.size > 0) && steps < 20_000) {
    clock.advance(100);
    await Promise.resolve();
    steps++;
  }
  const wall = performance.now() - wallStart;
  const sim = clock.now() - simStart;
  const heapAfter = process.memoryUsage().heapUsed;
  console.log(`Modelo: ${apps} apps × ${instances} instâncias`);
  console.log(`  POSTs: ${ms(postWall)} no total (${ms(postWall / apps)} por app)`);
  console.log(
    `  do primeiro POST a ${runningCount(service.core)}/${target} TASK_RUNNING e nenhuma implantação aberta: ` +
      `${ms(wall)} de relógio real, ${(sim / 1000).toFixed(1)} s simulados`,
  );
  console.log(
    `  memória (heap) a mais: ${mb(heapAfter - heapBefore)}; heap total ${mb(heapAfter)}; RSS ${mb(process.memoryUsage().rss)}`,
  );

  const samples: number[] = [];
  let size = 0;
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    const res = await call(service, 'GET', '/v2/apps');
    const text = await res.text();
    samples.push(performance.now() - t0);
    size = text.length;
  }
  samples.sort((a, b) => a - b);
  const embedded: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await (await call(service, 'GET', '/v2/apps?embed=apps.tasks')).text();
    embedded.push(performance.now() - t0);
  }
  embedded.sort((a, b) => a - b);
  console.log(
    `  GET /v2/apps (${apps} apps, ${(size / 1024).toFixed(0)} KiB): mediana ${ms(samples[25])}, p95 ${ms(samples[47])}, máx ${ms(samples[49])}`,
  );
  console.log(`  GET /v2/apps?embed=apps.tasks: mediana ${ms(embedded[10])}, máx ${ms(embedded[19])}`);
  service.stop();
  cluster.shutdown();
}

async function processBench(instances: number): Promise<void> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'marathon-bench-'));
  const clock = new RealClock(1);
  const executor = new ProcessExecutor({ workDir, killGraceMs: 500 });
  const { cluster, service } = rig(clock, executor);
  try {
    cluster.start();
    await new Promise<void>((resolve) => {
      const wait = () => (cluster.readiness().activeAgents.length === 2 ? resolve() : setTimeout(wait, 50));
      wait();
    });
    service.start();
    await new Promise<void>((resolve) => {
      const wait = () => (service.core.frameworkId ? resolve() : setTimeout(wait, 20));
      wait();
    });
    const t0 = performance.now();
    const res = await call(service, 'POST', '/v2/apps', {
      id: '/sonos',
      cmd: 'sleep 600',
      instances,
      cpus: 0.1,
      mem: 16,
    });
    if (res.status !== 201) throw new Error(`POST answered ${res.status}`);
    const firstRunning: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 60_000;
      const wait = () => {
        const n = runningCount(service.core);
        if (firstRunning.length < n) firstRunning.push(performance.now() - t0);
        if (n >= instances) return resolve();
        if (Date.now() > deadline) return reject(new Error(`só ${n} de ${instances} em 60 s`));
        setTimeout(wait, 5);
      };
      wait();
    });
    const total = performance.now() - t0;
    console.log(`Processos reais: 1 app × ${instances} instâncias de \`sleep\``);
    console.log(
      `  do POST a ${instances} TASK_RUNNING: ${ms(total)} (primeira em ${ms(firstRunning[0])}); ` +
        `limites: 1 s entre rodadas de ofertas do master, até 5 tarefas por oferta`,
    );
    await call(service, 'DELETE', '/v2/apps/sonos');
    await new Promise((r) => setTimeout(r, 1500));
  } finally {
    service.stop();
    cluster.shutdown();
    await executor.shutdown();
    await rm(workDir, { recursive: true, force: true });
  }
}

await modelBench(arg('apps', 100), arg('instances', 2));
await processBench(arg('process-instances', 10));
