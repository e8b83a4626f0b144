import { describe, expect, it } from 'vitest';
import type { Offer } from '../mesos/api.ts';
import { meetsConstraint } from './constraints.ts';
import type { MarathonEvent } from './events.ts';
import { FakeMaster, MemoryStore, MemoryZk, makeHarness, type Harness } from './test-helpers.ts';

async function started(opts: Parameters<typeof makeHarness>[0] = {}): Promise<Harness> {
  const h = makeHarness(opts);
  h.service.start();
  await h.advance(100);
  return h;
}

function running(h: Harness, appId: string) {
  return h.core.tasksOf(appId).filter((t) => t.state === 'TASK_RUNNING' && !t.unreachable);
}

function record(h: Harness): MarathonEvent[] {
  const events: MarathonEvent[] = [];
  h.core.events.subscribe((e) => events.push(e));
  return events;
}

describe('deployments', () => {
  it('rolling upgrade with minimumHealthCapacity 0.5 / maximumOverCapacity 0 never drops below 2 of 4', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', {
      id: '/roll',
      cmd: 'sleep 1000',
      instances: 4,
      cpus: 0.1,
      mem: 32,
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
    });
    expect(
      await h.until(() => running(h, '/roll').length === 4 && h.core.deployments.size === 0, 30_000),
    ).toBe(true);
    await h.request('PUT', '/v2/apps/roll', { cmd: 'sleep 2000' });
    let minRunning = 4;
    let maxAlive = 0;
    const done = await h.until(
      () => {
        minRunning = Math.min(minRunning, running(h, '/roll').length);
        maxAlive = Math.max(maxAlive, h.core.tasksOf('/roll').length);
        return h.core.deployments.size === 0;
      },
      60_000,
      10,
    );
    expect(done).toBe(true);
    expect(minRunning).toBeGreaterThanOrEqual(2);
    expect(maxAlive).toBeLessThanOrEqual(4);
    const version = h.core.apps.get('/roll')!.version;
    expect(running(h, '/roll').map((t) => t.version)).toEqual([version, version, version, version]);
  });

  it('default strategy (1.0/1.0) starts all new tasks before killing old ones', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', { id: '/up', cmd: 'sleep 1', instances: 2, cpus: 0.1, mem: 16 });
    await h.until(() => running(h, '/up').length === 2 && h.core.deployments.size === 0, 30_000);
    await h.request('PUT', '/v2/apps/up', { cmd: 'sleep 2' });
    let maxAlive = 0;
    let minRunning = 2;
    await h.until(
      () => {
        maxAlive = Math.max(maxAlive, h.core.tasksOf('/up').length);
        minRunning = Math.min(minRunning, running(h, '/up').length);
        return h.core.deployments.size === 0;
      },
      60_000,
      10,
    );
    expect(maxAlive).toBe(4);
    expect(minRunning).toBe(2);
  });

  it('scale down kills the newest tasks and the step waits for TASK_KILLED', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', { id: '/s', cmd: 'sleep 1', instances: 3, cpus: 0.1, mem: 16 });
    await h.until(() => running(h, '/s').length === 3 && h.core.deployments.size === 0, 30_000);
    const events = record(h);
    await h.request('PUT', '/v2/apps/s', { instances: 1 });
    expect(h.core.deployments.size).toBe(1);
    expect(await h.until(() => h.core.deployments.size === 0, 10_000)).toBe(true);
    expect(h.core.tasksOf('/s')).toHaveLength(1);
    const kills = events.filter(
      (e) => e.eventType === 'status_update_event' && e.payload.taskStatus === 'TASK_KILLED',
    );
    expect(kills).toHaveLength(2);
    expect(events.map((e) => e.eventType)).toContain('deployment_success');
  });

  it('a deployment that cannot finish stays open and the app waits in the queue', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', {
      id: '/uniq',
      cmd: 'sleep 1000',
      instances: 3,
      cpus: 0.1,
      mem: 16,
      constraints: [['hostname', 'UNIQUE']],
    });
    await h.advance(120_000, 500);
    expect(running(h, '/uniq')).toHaveLength(2);
    expect(new Set(running(h, '/uniq').map((t) => t.host)).size).toBe(2);
    expect(h.core.deployments.size).toBe(1);
    const queue = await h.json<{ queue: { app: { id: string }; count: number }[] }>('GET', '/v2/queue');
    expect(queue.body.queue.map((q) => [q.app.id, q.count])).toEqual([['/uniq', 1]]);
    const app = await h.json<{ app: { deployments: unknown[]; tasksRunning: number } }>(
      'GET',
      '/v2/apps/uniq',
    );
    expect(app.body.app.deployments).toHaveLength(1);
    expect(app.body.app.tasksRunning).toBe(2);
  });
});

describe('constraints', () => {
  const offer = (hostname: string, rack?: string): Offer => ({
    id: 'o',
    frameworkId: 'f',
    agentId: 'a',
    hostname,
    attributes: rack ? { rack } : {},
    resources: { cpus: 1, mem: 1, disk: 1, gpus: 0, ports: [] },
  });
  const placed = (hostname: string, rack: string) => ({ hostname, attributes: { rack } });

  it('UNIQUE, CLUSTER, LIKE, UNLIKE, GROUP_BY, MAX_PER on hostname and attributes', () => {
    const a1 = offer('mesos-agent-1', 'a');
    const a2 = offer('mesos-agent-2', 'b');
    const onA1 = [placed('mesos-agent-1', 'a')];
    expect(meetsConstraint(a1, onA1, ['hostname', 'UNIQUE'])).toBe(false);
    expect(meetsConstraint(a2, onA1, ['hostname', 'UNIQUE'])).toBe(true);
    expect(meetsConstraint(a1, onA1, ['rack', 'UNIQUE'])).toBe(false);
    expect(meetsConstraint(a2, [], ['rack', 'CLUSTER', 'a'])).toBe(false);
    expect(meetsConstraint(a1, [], ['rack', 'CLUSTER', 'a'])).toBe(true);
    expect(meetsConstraint(a2, onA1, ['hostname', 'CLUSTER', ''])).toBe(false);
    expect(meetsConstraint(a2, [], ['hostname', 'LIKE', 'mesos-agent-[12]'])).toBe(true);
    expect(meetsConstraint(a2, [], ['hostname', 'LIKE', 'agent'])).toBe(false);
    expect(meetsConstraint(a2, [], ['rack', 'UNLIKE', 'b'])).toBe(false);
    expect(meetsConstraint(offer('x'), [], ['rack', 'UNLIKE', 'b'])).toBe(true);
    expect(meetsConstraint(offer('x'), [], ['rack', 'LIKE', '.*'])).toBe(false);
    expect(meetsConstraint(a1, onA1, ['rack', 'GROUP_BY', '2'])).toBe(false);
    expect(meetsConstraint(a2, onA1, ['rack', 'GROUP_BY', '2'])).toBe(true);
    expect(meetsConstraint(a1, [...onA1, placed('mesos-agent-2', 'b')], ['rack', 'GROUP_BY', '2'])).toBe(
      true,
    );
    expect(meetsConstraint(a1, onA1, ['hostname', 'MAX_PER', '1'])).toBe(false);
    expect(meetsConstraint(a1, onA1, ['hostname', 'MAX_PER', '2'])).toBe(true);
  });

  it('rack:CLUSTER:b places every instance on agent 2', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', {
      id: '/rb',
      cmd: 'sleep 1',
      instances: 3,
      cpus: 0.1,
      mem: 16,
      constraints: [['rack', 'CLUSTER', 'b']],
    });
    expect(await h.until(() => running(h, '/rb').length === 3, 30_000)).toBe(true);
    expect(new Set(running(h, '/rb').map((t) => t.host))).toEqual(new Set(['mesos-agent-2']));
  });

  it('rack:GROUP_BY spreads 4 instances 2 and 2', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', {
      id: '/gb',
      cmd: 'sleep 1',
      instances: 4,
      cpus: 0.1,
      mem: 16,
      constraints: [['rack', 'GROUP_BY', '2']],
    });
    expect(await h.until(() => running(h, '/gb').length === 4, 30_000)).toBe(true);
    const hosts = running(h, '/gb').map((t) => t.host);
    expect(hosts.filter((x) => x === 'mesos-agent-1')).toHaveLength(2);
  });
});

describe('health checks', () => {
  it('grace period, healthy results, then failures: killed on the failure after maxConsecutiveFailures, and replaced', async () => {
    const h = await started();
    const events = record(h);
    await h.request('POST', '/v2/apps', {
      id: '/hc',
      cmd: 'python3 -m http.server $PORT0',
      cpus: 0.1,
      mem: 32,
      healthChecks: [
        {
          protocol: 'HTTP',
          path: '/',
          gracePeriodSeconds: 30,
          intervalSeconds: 10,
          timeoutSeconds: 5,
          maxConsecutiveFailures: 2,
        },
      ],
    });
    expect(await h.until(() => h.core.deployments.size === 0, 60_000)).toBe(true);
    const first = h.core.tasksOf('/hc')[0];
    const app = await h.json<{
      app: {
        tasksHealthy: number;
        tasks: { healthCheckResults: Record<string, unknown>[] }[];
        healthChecks: { portIndex: number }[];
      };
    }>('GET', '/v2/apps/hc');
    expect(app.body.app.healthChecks[0].portIndex).toBe(0);
    expect(app.body.app.tasksHealthy).toBe(1);
    const result = app.body.app.tasks[0].healthCheckResults[0];
    expect(Object.keys(result)).toEqual([
      'alive',
      'consecutiveFailures',
      'firstSuccess',
      'lastFailure',
      'lastSuccess',
      'lastFailureCause',
      'taskId',
    ]);
    expect(result).toMatchObject({
      alive: true,
      consecutiveFailures: 0,
      lastFailure: null,
      taskId: first.id,
    });
    expect(
      events.some((e) => e.eventType === 'health_status_changed_event' && e.payload.alive === true),
    ).toBe(true);
    expect(events.find((e) => e.eventType === 'add_health_check_event')?.payload).toMatchObject({
      appId: '/hc',
      healthCheck: { protocol: 'HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 30 },
    });

    h.prober.http_.set(first.ports[0], 500);
    const killed = await h.until(() => !h.core.tasks.has(first.id), 120_000);
    expect(killed).toBe(true);
    const failed = events.filter(
      (e) => e.eventType === 'failed_health_check_event' && e.payload.taskId === first.id,
    );
    expect(failed).toHaveLength(3);
    expect(
      events.some((e) => e.eventType === 'unhealthy_task_kill_event' && e.payload.taskId === first.id),
    ).toBe(true);
    const counts = h.core.counts('/hc');
    expect(counts.unhealthy + counts.healthy).toBeLessThanOrEqual(1);
    h.prober.http_.clear();
    expect(
      await h.until(() => running(h, '/hc').length === 1 && h.core.counts('/hc').healthy === 1, 60_000),
    ).toBe(true);
    // A health kill is TASK_KILLED: no backoff.
    expect(h.core.delayOf('/hc')).toEqual({ timeLeftSeconds: 0, overdue: true });
  });

  it('failures inside the grace period are ignored; the deployment waits for a healthy task', async () => {
    const h = await started();
    h.prober.defaultStatus = undefined;
    const events = record(h);
    await h.request('POST', '/v2/apps', {
      id: '/slow',
      cmd: 'x',
      cpus: 0.1,
      mem: 16,
      healthChecks: [
        { protocol: 'TCP', gracePeriodSeconds: 60, intervalSeconds: 5, maxConsecutiveFailures: 3 },
      ],
    });
    h.prober.tcpUp = false;
    await h.advance(40_000, 500);
    expect(events.filter((e) => e.eventType === 'failed_health_check_event')).toHaveLength(0);
    expect(h.core.deployments.size).toBe(1);
    const c = h.core.counts('/slow');
    expect(c.unhealthy).toBe(1);
    h.prober.tcpUp = true;
    expect(await h.until(() => h.core.deployments.size === 0, 20_000)).toBe(true);
    expect(h.core.counts('/slow')).toMatchObject({ healthy: 1, unhealthy: 0 });
  });

  it('COMMAND checks go through the prober with the task environment', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', {
      id: '/cmd',
      cmd: 'sleep 1000',
      cpus: 0.1,
      mem: 16,
      healthChecks: [
        {
          protocol: 'COMMAND',
          command: { value: 'true' },
          intervalSeconds: 5,
          gracePeriodSeconds: 0,
          maxConsecutiveFailures: 1,
        },
      ],
    });
    expect(await h.until(() => h.core.deployments.size === 0, 30_000)).toBe(true);
    const t = h.core.tasksOf('/cmd')[0];
    h.prober.commandCode = 1;
    expect(await h.until(() => !h.core.tasks.has(t.id), 60_000)).toBe(true);
  });
});

describe('backoff and failures', () => {
  it('a failing command backs off by backoffFactor up to maxLaunchDelaySeconds, with lastTaskFailure', async () => {
    const h = await started();
    h.master.failingCommands.add('exit 1');
    await h.request('POST', '/v2/apps', {
      id: '/bad',
      cmd: 'exit 1',
      cpus: 0.1,
      mem: 16,
      backoffSeconds: 10,
      backoffFactor: 2,
      maxLaunchDelaySeconds: 30,
    });
    const launches: number[] = [];
    h.core.events.subscribe((e) => {
      if (
        e.eventType === 'status_update_event' &&
        e.payload.taskStatus === 'TASK_STAGING' &&
        e.payload.slaveId === 'n/a'
      )
        launches.push(h.clock.now());
    });
    await h.advance(200_000, 250);
    const gaps = launches.slice(1).map((t, i) => t - launches[i]);
    // 10 s, 20 s, then capped at 30 s (each plus up to one offer round).
    expect(gaps.length).toBeGreaterThanOrEqual(4);
    expect(gaps[0]).toBeGreaterThanOrEqual(10_000);
    expect(gaps[0]).toBeLessThan(13_000);
    expect(gaps[1]).toBeGreaterThanOrEqual(20_000);
    expect(gaps[1]).toBeLessThan(23_000);
    expect(gaps[2]).toBeGreaterThanOrEqual(30_000);
    expect(gaps[3]).toBeLessThan(33_000);
    const app = await h.json<{ app: { lastTaskFailure: Record<string, unknown> } }>('GET', '/v2/apps/bad');
    expect(Object.keys(app.body.app.lastTaskFailure)).toEqual([
      'appId',
      'host',
      'message',
      'state',
      'taskId',
      'timestamp',
      'version',
      'slaveId',
    ]);
    expect(app.body.app.lastTaskFailure).toMatchObject({
      appId: '/bad',
      state: 'TASK_FAILED',
      message: 'Command exited with status 1',
    });
    const queue = await h.json<{ queue: { delay: { timeLeftSeconds: number; overdue: boolean } }[] }>(
      'GET',
      '/v2/queue',
    );
    expect(queue.body.queue).toHaveLength(1);
    // The delay resets with DELETE /v2/queue/{id}/delay.
    await h.request('DELETE', '/v2/queue/bad/delay');
    expect(h.core.delayOf('/bad').timeLeftSeconds).toBe(0);
  });

  it('agent loss: TASK_LOST (unreachable) stays listed, a replacement starts on the other agent, expunged later', async () => {
    const h = await started();
    // GROUP_BY 2 spreads the two instances; the unreachable task still counts for placement
    // (the tracker keeps it), so the replacement may join rack a.
    await h.request('POST', '/v2/apps', {
      id: '/svc',
      cmd: 'sleep 1000',
      instances: 2,
      cpus: 0.1,
      mem: 16,
      constraints: [['rack', 'GROUP_BY', '2']],
    });
    expect(
      await h.until(() => running(h, '/svc').length === 2 && h.core.deployments.size === 0, 30_000),
    ).toBe(true);
    const onAgent2 = running(h, '/svc').filter((t) => t.host === 'mesos-agent-2');
    expect(onAgent2.length).toBeGreaterThan(0);
    const events = record(h);
    h.master.stopAgent('mesos-agent-2');
    await h.advance(76_000, 500);
    const lost = events.filter(
      (e) => e.eventType === 'status_update_event' && e.payload.taskStatus === 'TASK_LOST',
    );
    expect(lost.length).toBe(onAgent2.length);
    const tasks = await h.json<{ tasks: { id: string; state: string; host: string }[] }>(
      'GET',
      '/v2/apps/svc/tasks',
    );
    expect(
      tasks.body.tasks
        .filter((t) => t.state === 'TASK_LOST')
        .map((t) => t.id)
        .sort(),
    ).toEqual(onAgent2.map((t) => t.id).sort());
    expect(await h.until(() => running(h, '/svc').length === 2, 30_000)).toBe(true);
    expect(running(h, '/svc').every((t) => t.host === 'mesos-agent-1')).toBe(true);
    // Expunged once older than 75 s, by the job that starts 5 minutes after Marathon.
    expect(await h.until(() => h.core.tasksOf('/svc').length === 2, 400_000, 1000)).toBe(true);
  });
});

describe('task environment', () => {
  it('sets the variables of TaskBuilder in 1.3.6', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', {
      id: '/prod/web',
      cmd: 'sleep 1',
      cpus: 0.5,
      mem: 64,
      ports: [0, 0],
      labels: { tier: 'front' },
      env: { PORT1: 'mine' },
    });
    expect(await h.until(() => running(h, '/prod/web').length === 1, 30_000)).toBe(true);
    const t = h.core.tasksOf('/prod/web')[0];
    const info = h.master.tasks.get(t.id)!.info;
    expect(info.name).toBe('web.prod');
    expect(t.id.startsWith('prod_web.')).toBe(true);
    expect(info.env).toEqual({
      MESOS_TASK_ID: t.id,
      MARATHON_APP_ID: '/prod/web',
      MARATHON_APP_VERSION: new Date(h.core.apps.get('/prod/web')!.version).toISOString(),
      MARATHON_APP_RESOURCE_CPUS: '0.5',
      MARATHON_APP_RESOURCE_MEM: '64.0',
      MARATHON_APP_RESOURCE_DISK: '0.0',
      MARATHON_APP_RESOURCE_GPUS: '0',
      MARATHON_APP_LABEL_TIER: 'front',
      MARATHON_APP_LABELS: 'TIER',
      PORT0: String(t.ports[0]),
      PORT1: 'mine',
      PORT: String(t.ports[0]),
      PORTS: `${t.ports[0]},${t.ports[1]}`,
      // The stored app carries the assigned service ports, so PORT_<servicePort> is set too.
      PORT_10000: String(t.ports[0]),
      PORT_10001: String(t.ports[1]),
      HOST: t.host,
    });
    const range = t.host === 'mesos-agent-1' ? [31000, 31009] : [31010, 31019];
    expect(t.ports.every((p) => p >= range[0] && p <= range[1])).toBe(true);
  });
});

describe('framework and persistence', () => {
  it('reconciles 15 s after election and then every 600 s, never on (re)registration', async () => {
    const { VirtualClock } = await import('../clock.ts');
    const clock = new VirtualClock();
    const master = new FakeMaster(clock);
    const start = clock.now();
    const rounds: [number, number][] = [];
    const register = master.registerFramework.bind(master);
    master.registerFramework = (info, scheduler) => {
      const driver = register(info, scheduler);
      const reconcile = driver.reconcileTasks.bind(driver);
      driver.reconcileTasks = (ids) => {
        rounds.push([Math.round((clock.now() - start) / 1000), ids.length]);
        reconcile(ids);
      };
      return driver;
    };
    const h = makeHarness({ clock, master });
    h.service.start();
    await h.request('POST', '/v2/apps', { id: '/r', cmd: 'sleep 1000', cpus: 0.1, mem: 16 });
    await h.advance(14_000, 500);
    expect(rounds).toEqual([]);
    h.core.registered('fw-0001', true);
    await h.advance(2_000, 500);
    // The known task explicitly, then an implicit round.
    expect(rounds).toEqual([
      [15, 1],
      [15, 0],
    ]);
    await h.advance(600_000, 5_000);
    expect(rounds.map(([at]) => at)).toEqual([15, 15, 615, 615]);
    expect(running(h, '/r')).toHaveLength(1);
  });

  it('registers, writes leader znodes, and keeps apps, versions and running tasks across stop/start', async () => {
    const clock = (await import('../clock.ts')).VirtualClock;
    const vclock = new clock();
    const store = new MemoryStore();
    const zk = new MemoryZk();
    const master = new FakeMaster(vclock);
    const h = await started({ clock: vclock, store, zk, master });
    expect(zk.children('/marathon/leader-curator')).toHaveLength(1);
    expect(
      new TextDecoder().decode(
        zk.getData(`/marathon/leader-curator/${zk.children('/marathon/leader-curator')[0]}`),
      ),
    ).toBe('marathon:8080');
    await h.request('POST', '/v2/apps', { id: '/p', cmd: 'sleep 1000', instances: 2, cpus: 0.1, mem: 16 });
    await h.until(() => h.core.deployments.size === 0, 30_000);
    await h.request('PUT', '/v2/apps/p', { instances: 2, cmd: 'sleep 999' });
    expect(await h.until(() => running(h, '/p').length === 2 && h.core.deployments.size === 0, 30_000)).toBe(
      true,
    );
    const ids = h.core
      .tasksOf('/p')
      .map((t) => t.id)
      .sort();
    h.service.stop();
    expect(h.service.running).toBe(false);
    expect(zk.children('/marathon/leader-curator')).toHaveLength(0);
    expect((await h.request('GET', '/v2/apps')).status).toBe(503);
    await h.advance(10_000);
    expect(master.running().length).toBe(2);

    const h2 = makeHarness({ clock: vclock, store, zk, master });
    h2.service.start();
    await h2.advance(2000);
    const apps = await h2.json<{ apps: { id: string; tasksRunning: number }[] }>('GET', '/v2/apps');
    expect(apps.body.apps.map((a) => [a.id, a.tasksRunning])).toEqual([['/p', 2]]);
    expect(
      h2.core
        .tasksOf('/p')
        .map((t) => t.id)
        .sort(),
    ).toEqual(ids);
    expect((await h2.json<{ versions: string[] }>('GET', '/v2/apps/p/versions')).body.versions).toHaveLength(
      2,
    );
    expect(h2.core.frameworkId).toBe('fw-0001');
    await h2.advance(10_000);
    expect(master.running().length).toBe(2);
  });
});
