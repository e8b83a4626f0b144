// Benchmark of the simulated Chronos (run: npx tsx scripts/bench/chronos.mts [--jobs 200] [--minutes 60]).
//  1. N jobs with `PT1M` schedules for one simulated hour on the simulated Mesos cluster with the
//     model executor and a virtual clock: wall time, launches, memory.
//  2. The delay between a job's scheduled time and its TASK_RUNNING on the real clock with the
//     process executor (real `sh -c` processes), over a few short runs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AGENTS, resolvePorts } from '../../src/cluster/topology.ts';
import { type Clock, RealClock, VirtualClock } from '../../src/sim/core/clock.ts';
import { createChronos } from '../../src/sim/core/chronos/index.ts';
import { MemoryStore } from '../../src/sim/core/chronos/test-support.ts';
import type { TaskExecutor } from '../../src/sim/core/executor.ts';
import type { Scheduler, TaskStatus } from '../../src/sim/core/mesos/api.ts';
import { MesosCluster } from '../../src/sim/core/mesos/index.ts';
import { ModelExecutor } from '../../src/sim/core/model-executor.ts';
import type { FrameworkService, MasterConnection } from '../../src/sim/core/service.ts';
import { ZkDatabase } from '../../src/sim/core/zookeeper/database.ts';
import { ProcessExecutor } from '../../src/sim/node/process-executor.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

interface Rig {
  clock: Clock;
  cluster: MesosCluster;
  chronos: FrameworkService;
  statuses: { status: TaskStatus; at: number }[];
}

/** A cluster with Chronos whose status updates are also recorded with the clock's time. */
function rig(clock: Clock, executor: TaskExecutor): Rig {
  const zk = new ZkDatabase(clock).access();
  const cluster = new MesosCluster({ clock, executor, zk, agents: AGENTS, ports: resolvePorts({}) });
  const statuses: Rig['statuses'] = [];
  const inner = cluster.connection();
  const master: MasterConnection = {
    registerFramework(info, scheduler) {
      const spy: Scheduler = Object.create(scheduler) as Scheduler;
      spy.statusUpdate = (status) => {
        statuses.push({ status, at: clock.now() });
        scheduler.statusUpdate(status);
      };
      return inner.registerFramework(info, spy);
    },
  };
  const chronos = createChronos({ clock, master, zk, store: new MemoryStore(), log: () => {} });
  return { clock, cluster, chronos, statuses };
}

async function post(chronos: FrameworkService, body: unknown): Promise<void> {
  const res = await chronos.fetch(
    new Request('http://localhost:4400/v1/scheduler/iso8601', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
  if (res.status !== 204) throw new Error(`POST failed: ${res.status} ${await res.text()}`);
}

async function modelHour(jobs: number, minutes: number): Promise<void> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const r = rig(clock, new ModelExecutor(clock));
  r.cluster.start();
  clock.advance(5_000);
  r.chronos.start();
  clock.advance(2_000);
  const start = new Date(clock.now() + 10_000).toISOString();
  for (let i = 0; i < jobs; i++) {
    await post(r.chronos, { name: `job-${i}`, command: 'true', schedule: `R/${start}/PT1M` });
  }
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  clock.advance(minutes * 60_000);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const mem = process.memoryUsage();
  const running = r.statuses.filter((s) => s.status.state === 'TASK_RUNNING').length;
  const finished = r.statuses.filter((s) => s.status.state === 'TASK_FINISHED').length;
  // how late each run started against its minute, in simulated time
  const lateness = r.statuses
    .filter((s) => s.status.state === 'TASK_RUNNING')
    .map((s) => (s.at - Date.parse(start)) % 60_000)
    .sort((a, b) => a - b);
  const pct = (p: number) => lateness[Math.min(lateness.length - 1, Math.floor(p * lateness.length))] ?? NaN;
  console.log(`model executor, virtual clock: ${jobs} PT1M jobs over ${minutes} simulated minutes`);
  console.log(`  expected runs          ${jobs * minutes}`);
  console.log(`  TASK_RUNNING           ${running}`);
  console.log(`  TASK_FINISHED          ${finished}`);
  console.log(`  wall time              ${(wall / 1000).toFixed(2)} s`);
  console.log(`  CPU time               ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (user + system)`);
  console.log(
    `  simulated lateness     median ${(pct(0.5) / 1000).toFixed(1)} s, p99 ${(pct(0.99) / 1000).toFixed(1)} s`,
  );
  console.log(
    `  heap used              ${mb(heapBefore)} before, ${mb(mem.heapUsed)} after; rss ${mb(mem.rss)}`,
  );
  r.chronos.stop();
  r.cluster.shutdown();
}

async function processDelay(jobs: number, runs: number, periodS: number): Promise<void> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'chronos-bench-'));
  const clock = new RealClock(1);
  const executor = new ProcessExecutor({ workDir });
  const r = rig(clock, executor);
  r.cluster.start();
  await new Promise((ok) => setTimeout(ok, 3_000));
  r.chronos.start();
  await new Promise((ok) => setTimeout(ok, 1_000));
  const start = Math.ceil((clock.now() + 2_000) / 1000) * 1000;
  for (let i = 0; i < jobs; i++) {
    await post(r.chronos, {
      name: `real-${i}`,
      command: 'true',
      schedule: `R${runs}/${new Date(start).toISOString()}/PT${periodS}S`,
    });
  }
  await new Promise((ok) => setTimeout(ok, 2_000 + runs * periodS * 1000 + 2_000));
  const delays = r.statuses
    .filter((s) => s.status.state === 'TASK_RUNNING')
    .map((s) => (s.at - start) % (periodS * 1000))
    .sort((a, b) => a - b);
  const pct = (p: number) => delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] ?? NaN;
  console.log(`process executor, real clock: ${jobs} jobs × R${runs}/PT${periodS}S`);
  console.log(`  TASK_RUNNING           ${delays.length} of ${jobs * runs}`);
  console.log(
    `  scheduled → RUNNING    min ${pct(0)} ms, median ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms`,
  );
  r.chronos.stop();
  r.cluster.shutdown();
  await executor.shutdown();
  await rm(workDir, { recursive: true, force: true });
}

await modelHour(arg('jobs', 200), arg('minutes', 60));
await processDelay(arg('real-jobs', 5), arg('real-runs', 3), 5);
