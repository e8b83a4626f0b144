import { describe, expect, it } from 'vitest';
import type { Offer, Resources, TaskInfo } from './api.ts';
import { frameworkInfo, get, makeCluster, RecordingScheduler } from './test-helpers.ts';

function res(cpus: number, mem: number, ports: number[] = []): Resources {
  return { cpus, mem, disk: 0, gpus: 0, ports: ports.map((p) => ({ begin: p, end: p })) };
}

function task(id: string, offer: Offer, resources: Resources, command = 'python3 -m http.server'): TaskInfo {
  return { taskId: id, name: id, agentId: offer.agentId, resources, command, env: {} };
}

function ready() {
  const env = makeCluster();
  env.cluster.start();
  env.clock.advance(1000);
  return env;
}

function register(env: ReturnType<typeof makeCluster>, name: string, extra = {}) {
  const s = new RecordingScheduler();
  const d = env.cluster.connection().registerFramework(frameworkInfo(name, extra), s);
  env.clock.advance(200);
  return { s, d };
}

async function state(env: ReturnType<typeof makeCluster>) {
  return JSON.parse(await (await get(env.cluster.masterFetch, '/master/state')).text());
}

describe('cluster start', () => {
  it('elects a master that writes its json.info znode, then registers both agents', () => {
    const env = makeCluster();
    env.cluster.start();
    expect(env.cluster.readiness().masterElected).toBe(false);
    env.clock.advance(1000);
    const r = env.cluster.readiness();
    expect(r.masterElected).toBe(true);
    expect([...r.activeAgents].sort()).toEqual(['mesos-agent-1', 'mesos-agent-2']);
    const children = env.zk.children('/mesos');
    expect(children).toEqual(['json.info_0000000000']);
    const info = JSON.parse(new TextDecoder().decode(env.zk.getData('/mesos/json.info_0000000000')));
    expect(Object.keys(info)).toEqual(['address', 'hostname', 'id', 'ip', 'pid', 'port', 'version']);
    expect(info.pid).toBe('master@127.0.0.1:5050');
    expect(info.address).toEqual({ hostname: 'mesos-master', ip: '127.0.0.1', port: 5050 });
    expect(info.version).toBe('1.1.0');
  });
});

describe('election without ZooKeeper', () => {
  it('keeps contending while ZooKeeper refuses the znode, and leads once it accepts it', async () => {
    const { AGENTS, resolvePorts } = await import('../../../cluster/topology.ts');
    const { VirtualClock } = await import('../clock.ts');
    const { ModelExecutor } = await import('../model-executor.ts');
    const { ZkDatabase } = await import('../zookeeper/index.ts');
    const { MesosCluster } = await import('./index.ts');
    const clock = new VirtualClock();
    const inner = new ZkDatabase(clock).access();
    let down = true;
    const zk = {
      ...inner,
      create: (...args: Parameters<typeof inner.create>) => {
        if (down) throw new Error('ConnectionLoss');
        return inner.create(...args);
      },
    };
    const cluster = new MesosCluster({
      clock,
      executor: new ModelExecutor(clock),
      zk,
      agents: AGENTS,
      ports: resolvePorts({}),
    });
    cluster.start();
    clock.advance(5000);
    expect(cluster.readiness().masterElected).toBe(false);
    down = false;
    clock.advance(1500);
    expect(cluster.readiness().masterElected).toBe(true);
    expect(inner.children('/mesos')).toEqual(['json.info_0000000000']);
  });
});

describe('shutdown', () => {
  it('removes the master znode, so a new cluster on the same tree is elected at once', async () => {
    const env = ready();
    env.cluster.shutdown();
    expect(env.zk.children('/mesos')).toEqual([]);
    const { AGENTS, resolvePorts } = await import('../../../cluster/topology.ts');
    const { MesosCluster } = await import('./index.ts');
    const next = new MesosCluster({
      clock: env.clock,
      executor: env.executor,
      zk: env.zk,
      agents: AGENTS,
      ports: resolvePorts({}),
    });
    next.start();
    env.clock.advance(1000);
    expect(next.readiness().masterElected).toBe(true);
  });
});

describe('framework life cycle', () => {
  it('goes register → offers → launch → RUNNING → kill → KILLED, with ids as Mesos makes them', async () => {
    const env = ready();
    const { s, d } = register(env, 'marathon');
    const masterId = (await state(env)).id as string;
    expect(masterId).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.frameworkId).toBe(`${masterId}-0000`);
    expect(s.registrations).toEqual([{ id: `${masterId}-0000`, reregistered: false }]);
    env.clock.advance(1000);
    expect(s.offers).toHaveLength(2);
    for (const o of s.offers) {
      expect(o.id).toMatch(new RegExp(`^${masterId}-O\\d+$`));
      expect(o.agentId).toMatch(new RegExp(`^${masterId}-S[01]$`));
      expect(o.resources.cpus).toBe(2);
      expect(o.resources.mem).toBe(1024);
    }
    const offer = s.offers.find((o) => o.hostname === 'mesos-agent-1')!;
    expect(offer.attributes).toEqual({ rack: 'a' });
    expect(offer.resources.ports).toEqual([{ begin: 31000, end: 31009 }]);
    d.launchTasks([offer.id], [task('web.1', offer, res(0.5, 128, [31003]))]);
    env.clock.advance(10);
    let st = await state(env);
    const fw = st.frameworks[0];
    expect(fw.tasks[0].state).toBe('TASK_STAGING');
    expect(fw.tasks[0].statuses).toEqual([]);
    env.clock.advance(1000);
    expect(s.statesOf('web.1')).toEqual(['TASK_RUNNING']);
    const running = s.updates[0];
    expect(running.source).toBe('SOURCE_EXECUTOR');
    expect(running.agentId).toBe(offer.agentId);
    expect(Math.abs(running.timestamp - env.clock.now() / 1000)).toBeLessThan(1);
    st = await state(env);
    const t = st.frameworks[0].tasks[0];
    expect(t.state).toBe('TASK_RUNNING');
    expect(t.statuses.map((x: { state: string }) => x.state)).toEqual(['TASK_RUNNING']);
    expect(t.resources).toEqual({ disk: 0, mem: 128, gpus: 0, cpus: 0.5, ports: '[31003-31003]' });
    const agent = st.slaves.find((a: { hostname: string }) => a.hostname === 'mesos-agent-1');
    expect(agent.used_resources.cpus).toBe(0.5);
    expect(agent.used_resources.ports).toBe('[31003-31003]');
    expect(st.frameworks[0].used_resources.mem).toBe(128);

    // The executor got the Mesos environment and a Mesos-shaped sandbox.
    const launch = env.executor.launched('web.1')!;
    expect(launch.sandbox).toMatch(
      new RegExp(
        `^slaves/${offer.agentId}/frameworks/${s.frameworkId}/executors/web\\.1/runs/[0-9a-f-]{36}$`,
      ),
    );
    expect(launch.env.MESOS_SANDBOX).toBe(`/var/lib/mesos-agent/${launch.sandbox}`);
    expect(launch.env.MESOS_FRAMEWORK_ID).toBe(s.frameworkId);
    expect(launch.env.MESOS_EXECUTOR_ID).toBe('web.1');
    expect(launch.env.MESOS_SLAVE_ID).toBe(offer.agentId);

    d.killTask('web.1');
    env.clock.advance(100);
    expect(s.statesOf('web.1')).toEqual(['TASK_RUNNING', 'TASK_KILLED']);
    st = await state(env);
    expect(st.frameworks[0].tasks).toEqual([]);
    expect(st.frameworks[0].completed_tasks[0].state).toBe('TASK_KILLED');
    expect(st.frameworks[0].completed_tasks[0].statuses.map((x: { state: string }) => x.state)).toEqual([
      'TASK_RUNNING',
      'TASK_KILLED',
    ]);
    expect(
      st.slaves.find((a: { hostname: string }) => a.hostname === 'mesos-agent-1').used_resources.cpus,
    ).toBe(0);
  });

  it('sends TASK_KILLING first to frameworks with the TASK_KILLING_STATE capability', () => {
    const env = ready();
    const { s, d } = register(env, 'marathon', { capabilities: ['TASK_KILLING_STATE'] });
    env.clock.advance(1000);
    const o = s.takeOffer();
    d.launchTasks([o.id], [task('k', o, res(0.1, 32))]);
    env.clock.advance(1000);
    d.killTask('k');
    env.clock.advance(100);
    expect(s.statesOf('k')).toEqual(['TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
  });

  it('tells the old scheduler when another one takes over its framework id', () => {
    const env = ready();
    const first = register(env, 'marathon');
    const second = new RecordingScheduler();
    env.cluster
      .connection()
      .registerFramework(frameworkInfo('marathon', { id: first.s.frameworkId }), second);
    env.clock.advance(500);
    expect(second.frameworkId).toBe(first.s.frameworkId);
    expect(first.s.errors).toEqual(['Framework failed over']);
  });

  it('reports exit codes: 0 is TASK_FINISHED, others TASK_FAILED with the command executor reason', () => {
    const env = ready();
    const { s, d } = register(env, 'chronos');
    env.clock.advance(1000);
    const [a, b] = s.offers;
    d.launchTasks([a.id], [task('ok', a, res(0.1, 32), 'exit 0')]);
    d.launchTasks([b.id], [task('bad', b, res(0.1, 32), 'sleep 2; exit 3')]);
    env.clock.advance(5000);
    expect(s.statesOf('ok')).toEqual(['TASK_RUNNING', 'TASK_FINISHED']);
    expect(s.statesOf('bad')).toEqual(['TASK_RUNNING', 'TASK_FAILED']);
    const failed = s.updates.find((u) => u.taskId === 'bad' && u.state === 'TASK_FAILED')!;
    expect(failed.reason).toBe('REASON_COMMAND_EXECUTOR_FAILED');
    expect(failed.message).toBe('Command exited with status 3');
  });

  it('lets tests end a task with a code through the model executor hook', () => {
    const env = ready();
    const { s, d } = register(env, 'marathon');
    env.clock.advance(1000);
    const o = s.takeOffer();
    d.launchTasks([o.id], [task('t', o, res(1, 64))]);
    env.clock.advance(1000);
    expect(env.executor.exit('t', 137)).toBe(true);
    env.clock.advance(10);
    expect(s.statesOf('t')).toEqual(['TASK_RUNNING', 'TASK_FAILED']);
  });

  it('validates launches: resources beyond the offer are TASK_ERROR, stale offers TASK_LOST', () => {
    const env = ready();
    const { s, d } = register(env, 'marathon');
    env.clock.advance(1000);
    const o = s.takeOffer();
    const outside = o.resources.ports[0].end + 1;
    d.launchTasks(
      [o.id],
      [
        task('too-big', o, res(3, 64)),
        task('bad-port', o, res(0.1, 32, [outside])),
        task('fits', o, res(0.1, 32, [o.resources.ports[0].begin])),
      ],
    );
    env.clock.advance(1000);
    expect(s.statesOf('too-big')).toEqual(['TASK_ERROR']);
    expect(s.updates.find((u) => u.taskId === 'too-big')!.reason).toBe('REASON_TASK_INVALID');
    expect(s.statesOf('bad-port')).toEqual(['TASK_ERROR']);
    expect(s.statesOf('fits')).toEqual(['TASK_RUNNING']);
    // The same offer again is no longer valid.
    d.launchTasks([o.id], [task('again', o, res(0.1, 32))]);
    env.clock.advance(10);
    expect(s.statesOf('again')).toEqual(['TASK_LOST']);
    expect(s.updates.find((u) => u.taskId === 'again')!.reason).toBe('REASON_INVALID_OFFERS');
  });

  it('answers reconciliation with the latest states and TASK_LOST for unknown tasks', () => {
    const env = ready();
    const { s, d } = register(env, 'marathon');
    env.clock.advance(1000);
    const o = s.takeOffer();
    d.launchTasks([o.id], [task('r1', o, res(0.1, 32))]);
    env.clock.advance(1000);
    s.updates = [];
    d.reconcileTasks([]);
    env.clock.advance(10);
    expect(s.updates.map((u) => [u.taskId, u.state, u.reason])).toEqual([
      ['r1', 'TASK_RUNNING', 'REASON_RECONCILIATION'],
    ]);
    s.updates = [];
    d.reconcileTasks(['nope']);
    env.clock.advance(10);
    expect(s.updates.map((u) => [u.taskId, u.state])).toEqual([['nope', 'TASK_LOST']]);
  });
});

describe('allocation', () => {
  it('splits the agents between two frameworks with equal shares', () => {
    const env = ready();
    const a = register(env, 'marathon');
    // The first framework is offered everything; it declines without a filter.
    expect(a.s.offers).toHaveLength(2);
    for (const o of a.s.offers.splice(0)) a.d.declineOffer(o.id, { refuseSeconds: 0 });
    const b = register(env, 'chronos');
    env.clock.advance(1000);
    expect(a.s.offers).toHaveLength(1);
    expect(b.s.offers).toHaveLength(1);
    expect(a.s.offers[0].agentId).not.toBe(b.s.offers[0].agentId);
  });

  it('offers to the framework with the lowest dominant share first (DRF)', () => {
    const env = ready();
    const a = register(env, 'marathon');
    expect(a.s.offers).toHaveLength(2);
    for (const o of a.s.offers.splice(0)) {
      a.d.launchTasks([o.id], [task(`a-${o.hostname}`, o, res(1.5, 256))], { refuseSeconds: 0 });
    }
    env.clock.advance(500);
    // A holds 3 of 4 cpus (share 0.75). B starts at 0 and stays below A after each offer.
    const b = register(env, 'chronos');
    expect(b.s.offers.map((o) => o.resources.cpus)).toEqual([0.5, 0.5]);
    for (const o of b.s.offers.splice(0)) b.d.declineOffer(o.id, { refuseSeconds: 0 });
    a.s.allOffers = [];
    env.clock.advance(3000);
    expect(a.s.allOffers).toHaveLength(0);
    expect(b.s.offers.length).toBeGreaterThan(0);
  });

  it('keeps declined resources away from the framework for refuse_seconds (default 5 s)', () => {
    const env = ready();
    const { s, d } = register(env, 'marathon');
    env.clock.advance(1000);
    expect(s.offers).toHaveLength(2);
    for (const o of [...s.offers]) d.declineOffer(o.id);
    s.offers = [];
    env.clock.advance(4000);
    expect(s.offers).toHaveLength(0);
    env.clock.advance(2000);
    expect(s.offers).toHaveLength(2);
    // A longer filter holds longer; reviveOffers clears it.
    for (const o of [...s.offers]) d.declineOffer(o.id, { refuseSeconds: 60 });
    s.offers = [];
    env.clock.advance(10_000);
    expect(s.offers).toHaveLength(0);
    d.reviveOffers();
    env.clock.advance(100);
    expect(s.offers).toHaveLength(2);
  });

  it('sends no offers to a suppressed framework', () => {
    const env = ready();
    const { s, d } = register(env, 'marathon');
    for (const o of s.offers.splice(0)) d.declineOffer(o.id, { refuseSeconds: 0 });
    d.suppressOffers();
    s.allOffers = [];
    env.clock.advance(3000);
    expect(s.allOffers).toHaveLength(0);
    d.reviveOffers();
    env.clock.advance(100);
    expect(s.allOffers).toHaveLength(2);
  });
});

describe('agent failure', () => {
  it('deactivates a stopped agent, then after 75 s removes it and reports its tasks TASK_LOST', async () => {
    const env = ready();
    const { s, d } = register(env, 'marathon');
    env.clock.advance(1000);
    const o = s.offers.find((x) => x.hostname === 'mesos-agent-2')!;
    d.launchTasks([o.id], [task('w', o, res(0.5, 64))]);
    env.clock.advance(1000);
    expect(s.statesOf('w')).toEqual(['TASK_RUNNING']);

    env.cluster.stopAgent('mesos-agent-2');
    env.clock.advance(100);
    let st = await state(env);
    expect(st.activated_slaves).toBe(1);
    expect(st.deactivated_slaves).toBe(1);
    expect(st.slaves.find((a: { id: string }) => a.id === o.agentId).active).toBe(false);
    expect(env.cluster.readiness().activeAgents).toEqual(['mesos-agent-1']);
    // Still running as far as the master knows, until the health checks give up.
    env.clock.advance(70_000);
    expect(s.statesOf('w')).toEqual(['TASK_RUNNING']);
    env.clock.advance(5_000);
    expect(s.statesOf('w')).toEqual(['TASK_RUNNING', 'TASK_LOST']);
    const lost = s.updates.find((u) => u.state === 'TASK_LOST')!;
    expect(lost.reason).toBe('REASON_SLAVE_REMOVED');
    expect(lost.source).toBe('SOURCE_MASTER');
    expect(s.lostAgents).toEqual([o.agentId]);
    st = await state(env);
    expect(st.slaves.map((a: { id: string }) => a.id)).not.toContain(o.agentId);
    expect(st.activated_slaves).toBe(1);
    expect(st.deactivated_slaves).toBe(0);
    expect(st.frameworks[0].completed_tasks[0].state).toBe('TASK_LOST');

    // Back again: Mesos 1.1 lets the unreachable agent re-register with the same id.
    env.cluster.startAgent('mesos-agent-2');
    env.clock.advance(1000);
    st = await state(env);
    const back = st.slaves.find((a: { hostname: string }) => a.hostname === 'mesos-agent-2');
    expect(back.id).toBe(o.agentId);
    expect(back.active).toBe(true);
    expect(back.used_resources.cpus).toBe(0);
    expect(typeof back.reregistered_time).toBe('number');
    expect(s.statesOf('w')).toEqual(['TASK_RUNNING', 'TASK_LOST']);
  });

  it('an agent restarted within the timeout re-registers and reports its dead tasks TASK_FAILED', async () => {
    const env = ready();
    const { s, d } = register(env, 'marathon');
    env.clock.advance(1000);
    const o = s.offers.find((x) => x.hostname === 'mesos-agent-1')!;
    d.launchTasks([o.id], [task('w', o, res(0.5, 64))]);
    env.clock.advance(1000);
    env.cluster.stopAgent('mesos-agent-1');
    env.clock.advance(10_000);
    env.cluster.startAgent('mesos-agent-1');
    env.clock.advance(1000);
    expect(s.statesOf('w')).toEqual(['TASK_RUNNING', 'TASK_FAILED']);
    expect(env.executor.runningTasks()).toEqual([]);
    const st = await state(env);
    expect(st.slaves.find((a: { hostname: string }) => a.hostname === 'mesos-agent-1').id).toBe(o.agentId);
    expect(st.activated_slaves).toBe(2);
    // Nothing more happens when the old timeout would have fired.
    env.clock.advance(80_000);
    expect(s.statesOf('w')).toEqual(['TASK_RUNNING', 'TASK_FAILED']);
    expect(s.lostAgents).toEqual([]);
  });
});

describe('agent failure without checkpointing', () => {
  it('reports TASK_LOST at once for frameworks that do not checkpoint', () => {
    const env = ready();
    const { s, d } = register(env, 'adhoc', { checkpoint: false });
    env.clock.advance(1000);
    const o = s.offers.find((x) => x.hostname === 'mesos-agent-1')!;
    d.launchTasks([o.id], [task('nc', o, res(0.1, 32))]);
    env.clock.advance(1000);
    env.cluster.stopAgent('mesos-agent-1');
    env.clock.advance(100);
    expect(s.statesOf('nc')).toEqual(['TASK_RUNNING', 'TASK_LOST']);
    expect(s.updates.at(-1)!.reason).toBe('REASON_SLAVE_DISCONNECTED');
  });
});

describe('master failover', () => {
  it('a restarted master has a new id; agents keep theirs and frameworks re-register with theirs', async () => {
    const env = ready();
    const { s, d } = register(env, 'marathon');
    env.clock.advance(1000);
    const o = s.takeOffer();
    d.launchTasks([o.id], [task('keep', o, res(0.5, 64))]);
    env.clock.advance(1000);
    const before = await state(env);
    const fwId = s.frameworkId;

    env.cluster.stopMaster();
    env.clock.advance(10);
    expect(s.disconnects).toBe(1);
    expect(env.cluster.masterRunning()).toBe(false);
    expect(env.cluster.readiness().masterElected).toBe(false);
    // While disconnected, the driver answers launches with TASK_LOST itself.
    d.launchTasks([o.id], [task('while-down', o, res(0.1, 32))]);
    env.clock.advance(10);
    expect(s.statesOf('while-down')).toEqual(['TASK_LOST']);

    env.clock.advance(5000);
    env.cluster.startMaster();
    // The old znode lingers until its session times out (10 s after the stop).
    env.clock.advance(3000);
    expect(env.cluster.readiness().masterElected).toBe(false);
    env.clock.advance(5000);
    expect(env.cluster.readiness().masterElected).toBe(true);
    env.clock.advance(2000);
    expect(env.zk.children('/mesos')).toEqual(['json.info_0000000001']);
    const after = await state(env);
    expect(after.id).not.toBe(before.id);
    expect(after.slaves.map((a: { id: string }) => a.id).sort()).toEqual(
      before.slaves.map((a: { id: string }) => a.id).sort(),
    );
    expect(s.registrations.at(-1)).toEqual({ id: fwId, reregistered: true });
    expect(after.frameworks.map((f: { id: string }) => f.id)).toEqual([fwId]);
    expect(after.frameworks[0].tasks.map((t: { id: string; state: string }) => [t.id, t.state])).toEqual([
      ['keep', 'TASK_RUNNING'],
    ]);
    expect(env.cluster.readiness().frameworks).toEqual(['marathon']);
    // The task keeps running and can still be killed through the new master.
    d.killTask('keep');
    env.clock.advance(100);
    expect(s.statesOf('keep')).toEqual(['TASK_RUNNING', 'TASK_KILLED']);
  });
});

describe('mixed failures', () => {
  it('an agent restarted while the master is down joins the new master with its id', async () => {
    const env = ready();
    const { s, d } = register(env, 'marathon');
    env.clock.advance(1000);
    const o = s.offers.find((x) => x.hostname === 'mesos-agent-2')!;
    d.launchTasks([o.id], [task('m', o, res(0.1, 32))]);
    env.clock.advance(1000);
    env.cluster.stopMaster();
    env.cluster.stopAgent('mesos-agent-2');
    env.clock.advance(2000);
    env.cluster.startAgent('mesos-agent-2');
    env.clock.advance(2000);
    env.cluster.startMaster();
    env.clock.advance(12_000);
    const st = await state(env);
    expect(st.slaves.map((a: { id: string; active: boolean }) => [a.id, a.active])).toContainEqual([
      o.agentId,
      true,
    ]);
    expect(env.cluster.readiness().activeAgents.sort()).toEqual(['mesos-agent-1', 'mesos-agent-2']);
    expect(env.cluster.readiness().frameworks).toEqual(['marathon']);
    // The task died with its agent; the framework learns it by reconciling.
    s.updates = [];
    d.reconcileTasks(['m']);
    env.clock.advance(100);
    expect(s.updates.map((u) => [u.taskId, u.state])).toEqual([['m', 'TASK_LOST']]);
  });
});

describe('framework failover and removal', () => {
  it('keeps a disconnected framework until failover_timeout, then moves it to completed_frameworks', async () => {
    const env = ready();
    const { s, d } = register(env, 'marathon', { failoverTimeoutSeconds: 60 });
    env.clock.advance(1000);
    const o = s.takeOffer();
    d.launchTasks([o.id], [task('x', o, res(0.1, 32))]);
    env.clock.advance(1000);
    d.stop(true);
    let st = await state(env);
    expect(st.frameworks[0].active).toBe(false);
    expect(st.frameworks[0].tasks[0].state).toBe('TASK_RUNNING');

    // Re-registering with the id within the timeout keeps the tasks.
    const s2 = new RecordingScheduler();
    env.cluster.connection().registerFramework({ ...s2Info(), id: s.frameworkId }, s2);
    env.clock.advance(500);
    expect(s2.frameworkId).toBe(s.frameworkId);
    st = await state(env);
    expect(st.frameworks[0].active).toBe(true);
    expect(st.frameworks[0].tasks).toHaveLength(1);
    expect(typeof st.frameworks[0].reregistered_time).toBe('number');

    const d2 = env.cluster.connection().registerFramework(frameworkInfo('other'), new RecordingScheduler());
    env.clock.advance(500);
    d2.stop(false);
    st = await state(env);
    expect(st.completed_frameworks.map((f: { name: string }) => f.name)).toEqual(['other']);
  });

  it('removes a framework whose failover_timeout passes: tasks killed, framework completed', async () => {
    const env = ready();
    const { s, d } = register(env, 'marathon', { failoverTimeoutSeconds: 30 });
    env.clock.advance(1000);
    const o = s.takeOffer();
    d.launchTasks([o.id], [task('gone', o, res(0.1, 32))]);
    env.clock.advance(1000);
    d.stop(true);
    env.clock.advance(29_000);
    expect((await state(env)).frameworks).toHaveLength(1);
    env.clock.advance(2_000);
    const st = await state(env);
    expect(st.frameworks).toEqual([]);
    expect(st.completed_frameworks[0].id).toBe(s.frameworkId);
    expect(st.completed_frameworks[0].completed_tasks[0].state).toBe('TASK_KILLED');
    expect(env.executor.runningTasks()).toEqual([]);
    const agent = JSON.parse(await (await get(env.cluster.agentFetch('mesos-agent-1'), '/state')).text());
    const agent2 = JSON.parse(await (await get(env.cluster.agentFetch('mesos-agent-2'), '/state')).text());
    const completed = [...agent.completed_frameworks, ...agent2.completed_frameworks];
    expect(completed.map((f: { id: string }) => f.id)).toEqual([s.frameworkId]);
    // A framework that was torn down cannot come back with its id.
    const again = new RecordingScheduler();
    env.cluster.connection().registerFramework(frameworkInfo('marathon', { id: s.frameworkId }), again);
    env.clock.advance(500);
    expect(again.errors).toEqual(['Framework has been removed']);
  });

  it('keeps at most 50 completed frameworks', async () => {
    const env = ready();
    for (let i = 0; i < 55; i++) {
      const d = env.cluster.connection().registerFramework(frameworkInfo(`f${i}`), new RecordingScheduler());
      env.clock.advance(200);
      d.stop(false);
    }
    const st = await state(env);
    expect(st.completed_frameworks).toHaveLength(50);
    expect(st.completed_frameworks[0].name).toBe('f5');
  });

  it('caps completed tasks at 1000 per framework', async () => {
    const env = ready();
    const { s, d } = register(env, 'chronos');
    s.onOffers = (offers) => {
      for (const o of offers) {
        const tasks: TaskInfo[] = [];
        for (let i = 0; i < 10; i++)
          tasks.push(task(`j${s.updates.length}-${o.id}-${i}`, o, res(0.1, 16), 'exit 0'));
        d.launchTasks([o.id], tasks, { refuseSeconds: 0 });
      }
    };
    for (const o of s.offers.splice(0)) d.declineOffer(o.id, { refuseSeconds: 0 });
    env.clock.advanceUntil(
      () => s.updates.filter((u) => u.state === 'TASK_FINISHED').length > 1010,
      600_000,
      500,
    );
    const st = await state(env);
    expect(st.frameworks[0].completed_tasks).toHaveLength(1000);
  });
});

function s2Info() {
  return frameworkInfo('marathon', { failoverTimeoutSeconds: 60 });
}
