import { describe, expect, it } from 'vitest';
import { frameworkInfo, get, makeCluster, RecordingScheduler } from './test-helpers.ts';

describe('smoke', () => {
  it('starts, registers, offers, launches', async () => {
    const { clock, cluster } = makeCluster();
    cluster.start();
    clock.advance(1000);
    expect(cluster.readiness().masterElected).toBe(true);
    expect(cluster.readiness().activeAgents.sort()).toEqual(['mesos-agent-1', 'mesos-agent-2']);
    const s = new RecordingScheduler();
    const d = cluster.connection().registerFramework(frameworkInfo('marathon'), s);
    clock.advance(1500);
    expect(s.frameworkId).toMatch(/-0000$/);
    expect(s.offers.length).toBe(2);
    const o = s.takeOffer();
    d.launchTasks(
      [o.id],
      [
        {
          taskId: 't1',
          name: 't1',
          agentId: o.agentId,
          command: 'sleep 1000',
          env: {},
          resources: {
            cpus: 0.5,
            mem: 64,
            disk: 0,
            gpus: 0,
            ports: [{ begin: o.resources.ports[0].begin, end: o.resources.ports[0].begin }],
          },
        },
      ],
    );
    clock.advance(1000);
    expect(s.statesOf('t1')).toEqual(['TASK_RUNNING']);
    const r = await get(cluster.masterFetch, '/master/state');
    const text = await r.text();
    console.log(text.slice(0, 3000));
    expect(r.status).toBe(200);
  });
});
