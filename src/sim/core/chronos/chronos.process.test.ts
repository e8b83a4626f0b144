// Chronos jobs as real processes (the Node process executor): the exit code decides the result.
import { expect, it } from 'vitest';
import { AGENTS, resolvePorts } from '../../../cluster/topology.ts';
import { ProcessExecutor } from '../../node/process-executor.ts';
import { RealClock } from '../clock.ts';
import { MesosCluster } from '../mesos/index.ts';
import { ZkDatabase } from '../zookeeper/database.ts';
import { createChronos } from './index.ts';
import { MemoryStore } from './test-support.ts';

// Sandboxes go to the kit's git-ignored state folder (no node: imports in the core's folders).
const workDir = `.lab/test/chronos-process-${Date.now()}`;

async function until(predicate: () => Promise<boolean>, maxMs: number): Promise<boolean> {
  const end = Date.now() + maxMs;
  while (Date.now() < end) {
    if (await predicate()) return true;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  return predicate();
}

it('runs job commands as processes and counts their exit codes', async () => {
  // Ten times faster than real time: the allocation interval is 100 ms of wall time.
  const clock = new RealClock(10);
  const executor = new ProcessExecutor({ workDir });
  const zk = new ZkDatabase(clock).access();
  const cluster = new MesosCluster({ clock, executor, zk, agents: AGENTS, ports: resolvePorts({}) });
  cluster.start();
  const chronos = createChronos({
    clock,
    master: cluster.connection(),
    zk,
    store: new MemoryStore(),
    log: () => {},
  });
  try {
    await until(async () => cluster.readiness().activeAgents.length === 2, 5_000);
    chronos.start();
    const post = (body: unknown) =>
      chronos.fetch(
        new Request('http://localhost:4400/v1/scheduler/iso8601', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
    expect(
      (await post({ name: 'certo', command: 'test "$CHRONOS_JOB_NAME" = certo', schedule: 'R1//PT1M' }))
        .status,
    ).toBe(204);
    expect((await post({ name: 'errado', command: 'exit 3', schedule: 'R1//PT1M', retries: 0 })).status).toBe(
      204,
    );
    const job = async (name: string) =>
      (await chronos.fetch(new Request(`http://localhost:4400/v1/scheduler/job/${name}`))).json();
    const done = await until(async () => {
      const [a, b] = [await job('certo'), await job('errado')];
      return a.successCount + a.errorCount > 0 && b.successCount + b.errorCount > 0;
    }, 20_000);
    expect(done).toBe(true);
    expect(await job('certo')).toMatchObject({ successCount: 1, errorCount: 0, disabled: true });
    expect(await job('errado')).toMatchObject({ successCount: 0, errorCount: 1 });
  } finally {
    chronos.stop();
    cluster.shutdown();
    await executor.shutdown();
  }
});
