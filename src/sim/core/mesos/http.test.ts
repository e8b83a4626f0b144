// Conformance of the simulated master and agent endpoints with Mesos 1.1.0, as described in
// the fidelity spec (section B): field names and order, types (doubles carry a decimal point),
// status codes, JSONP, `\/` escaping.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Offer } from './api.ts';
import { frameworkInfo, get, makeCluster, RecordingScheduler } from './test-helpers.ts';

type Env = ReturnType<typeof makeCluster> & { s: RecordingScheduler; offer: Offer };

let env: Env;

beforeAll(() => {
  const base = makeCluster();
  base.cluster.start();
  base.clock.advance(1000);
  const s = new RecordingScheduler();
  const d = base.cluster
    .connection()
    .registerFramework(frameworkInfo('marathon', { webuiUrl: 'http://marathon:8080', capabilities: [] }), s);
  base.clock.advance(1500);
  const offer = s.offers.find((o) => o.hostname === 'mesos-agent-1')!;
  s.offers = s.offers.filter((o) => o !== offer);
  d.launchTasks(
    [offer.id],
    [
      {
        taskId: 'web.a1',
        name: 'web',
        agentId: offer.agentId,
        command: 'python3 -m http.server $PORT0',
        env: { PORT0: '31000' },
        resources: { cpus: 0.25, mem: 64, disk: 0, gpus: 0, ports: [{ begin: 31000, end: 31000 }] },
        labels: { owner: 'aluno' },
      },
      {
        taskId: 'done.1',
        name: 'done',
        agentId: offer.agentId,
        command: 'exit 0',
        env: {},
        resources: { cpus: 0.1, mem: 32, disk: 0, gpus: 0, ports: [] },
      },
    ],
  );
  base.clock.advance(2000);
  env = { ...base, s, offer };
});

async function json(handler: (r: Request) => Response | Promise<Response>, path: string) {
  const r = await get(handler, path);
  const text = await r.text();
  return { r, text, body: JSON.parse(text) };
}

describe('master endpoints', () => {
  it('/master/state has the top-level keys in Mesos order, with doubles and escaped slashes', async () => {
    const { r, text, body } = await json(env.cluster.masterFetch, '/master/state');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(Object.keys(body)).toEqual([
      'version',
      'git_sha',
      'git_tag',
      'build_date',
      'build_time',
      'build_user',
      'start_time',
      'elected_time',
      'id',
      'pid',
      'hostname',
      'activated_slaves',
      'deactivated_slaves',
      'leader',
      'leader_info',
      'cluster',
      'log_dir',
      'flags',
      'slaves',
      'frameworks',
      'completed_frameworks',
      'orphan_tasks',
      'unregistered_frameworks',
    ]);
    expect(body.version).toBe('1.1.0');
    expect(body.hostname).toBe('mesos-master');
    expect(body.pid).toBe('master@127.0.0.1:5050');
    expect(body.leader).toBe(body.pid);
    expect(Object.keys(body.leader_info)).toEqual(['id', 'pid', 'port', 'hostname']);
    expect(body.leader_info.port).toBe(5050);
    expect(body.cluster).toBe('UFSC');
    expect(text).toMatch(/"start_time":\d+\.\d+,/);
    expect(text).toMatch(/"elected_time":\d+\.\d+,/);
    expect(text).toContain('"log_dir":"\\/var\\/log\\/mesos"');
    expect(text).toContain('"zk":"zk:\\/\\/zookeeper:2181\\/mesos"');
    for (const v of Object.values(body.flags)) expect(typeof v).toBe('string');
    expect(text).not.toContain('"connected"');
    expect(body.unregistered_frameworks).toEqual([]);
  });

  it('describes slaves with resources as doubles, gpus always, ports as a range string', async () => {
    const { text, body } = await json(env.cluster.masterFetch, '/master/state');
    const slave = body.slaves.find((a: { hostname: string }) => a.hostname === 'mesos-agent-1');
    expect(Object.keys(slave)).toEqual([
      'id',
      'pid',
      'hostname',
      'registered_time',
      'resources',
      'used_resources',
      'offered_resources',
      'reserved_resources',
      'unreserved_resources',
      'attributes',
      'active',
      'version',
    ]);
    expect(slave.pid).toBe('slave(1)@127.0.0.1:5151');
    expect(slave.id).toBe(`${body.id}-S${slave.id.split('-S')[1]}`);
    expect(slave.attributes).toEqual({ rack: 'a' });
    expect(slave.resources).toEqual({ disk: 2048, mem: 1024, gpus: 0, cpus: 2, ports: '[31000-31009]' });
    expect(text).toContain(
      '"resources":{"disk":2048.0,"mem":1024.0,"gpus":0.0,"cpus":2.0,"ports":"[31000-31009]"}',
    );
    expect(slave.used_resources).toEqual({ disk: 0, mem: 64, gpus: 0, cpus: 0.25, ports: '[31000-31000]' });
    expect(slave).not.toHaveProperty('port');
    expect(slave).not.toHaveProperty('capabilities');
  });

  it('describes frameworks, tasks and statuses as Mesos 1.1 does', async () => {
    const { text, body } = await json(env.cluster.masterFetch, '/master/state');
    const fw = body.frameworks[0];
    expect(Object.keys(fw)).toEqual([
      'id',
      'name',
      'pid',
      'used_resources',
      'offered_resources',
      'capabilities',
      'hostname',
      'webui_url',
      'active',
      'user',
      'failover_timeout',
      'checkpoint',
      'role',
      'registered_time',
      'unregistered_time',
      'resources',
      'tasks',
      'completed_tasks',
      'offers',
      'executors',
    ]);
    expect(fw.id).toBe(`${body.id}-0000`);
    expect(fw.pid).toMatch(/^scheduler-[0-9a-f-]{36}@127\.0\.0\.1:\d+$/);
    expect(fw.role).toBe('*');
    expect(fw.webui_url).toBe('http://marathon:8080');
    expect(text).toContain('"failover_timeout":604800.0');
    expect(text).toContain('"unregistered_time":0.0');
    const t = fw.tasks[0];
    expect(Object.keys(t)).toEqual([
      'id',
      'name',
      'framework_id',
      'executor_id',
      'slave_id',
      'state',
      'resources',
      'statuses',
      'labels',
    ]);
    expect(t.executor_id).toBe('');
    expect(t.labels).toEqual([{ key: 'owner', value: 'aluno' }]);
    expect(t.statuses[0].state).toBe('TASK_RUNNING');
    expect(Object.keys(t.statuses[0])).toEqual(['state', 'timestamp', 'container_status']);
    expect(text).toMatch(/"statuses":\[\{"state":"TASK_RUNNING","timestamp":\d+\.\d+/);
    expect(fw.completed_tasks.map((c: { id: string; state: string }) => [c.id, c.state])).toEqual([
      ['done.1', 'TASK_FINISHED'],
    ]);
    const offer = fw.offers[0];
    expect(Object.keys(offer)).toEqual(['id', 'framework_id', 'slave_id', 'resources']);
  });

  it('answers the same state on /state, /state.json and /master/state.json, and with JSONP', async () => {
    for (const p of ['/state', '/state.json', '/master/state.json', '/master/state/']) {
      const { r, body } = await json(env.cluster.masterFetch, p);
      expect(r.status).toBe(200);
      expect(body.pid).toBe('master@127.0.0.1:5050');
    }
    const r = await get(env.cluster.masterFetch, '/master/state?jsonp=cb');
    expect(r.headers.get('content-type')).toBe('text/javascript');
    const text = await r.text();
    expect(text.startsWith('cb({"version":"1.1.0"')).toBe(true);
    expect(text.endsWith('});')).toBe(true);
  });

  it('/master/state-summary lists slaves and frameworks with task counts', async () => {
    const { body } = await json(env.cluster.masterFetch, '/master/state-summary');
    expect(Object.keys(body)).toEqual(['hostname', 'cluster', 'slaves', 'frameworks']);
    const slave = body.slaves.find((a: { hostname: string }) => a.hostname === 'mesos-agent-1');
    expect(slave.TASK_RUNNING).toBe(1);
    expect(slave.TASK_FINISHED).toBe(1);
    expect(slave.framework_ids).toEqual([body.frameworks[0].id]);
    const fw = body.frameworks[0];
    expect(Object.keys(fw)).toEqual([
      'id',
      'name',
      'pid',
      'used_resources',
      'offered_resources',
      'capabilities',
      'hostname',
      'webui_url',
      'active',
      'TASK_STAGING',
      'TASK_STARTING',
      'TASK_RUNNING',
      'TASK_KILLING',
      'TASK_FINISHED',
      'TASK_KILLED',
      'TASK_FAILED',
      'TASK_LOST',
      'TASK_ERROR',
      'slave_ids',
    ]);
    expect(fw.slave_ids).toEqual([env.offer.agentId]);
  });

  it('/master/slaves adds the *_full resources', async () => {
    const { body } = await json(env.cluster.masterFetch, '/master/slaves');
    expect(Object.keys(body)).toEqual(['slaves']);
    const slave = body.slaves.find((a: { hostname: string }) => a.hostname === 'mesos-agent-1');
    expect(slave).toHaveProperty('reserved_resources_full');
    expect(slave.used_resources_full.find((r: { name: string }) => r.name === 'cpus')).toEqual({
      name: 'cpus',
      role: '*',
      scalar: { value: 0.25 },
      type: 'SCALAR',
    });
  });

  it('/master/frameworks has frameworks, completed_frameworks, unregistered_frameworks', async () => {
    const { body } = await json(env.cluster.masterFetch, '/master/frameworks');
    expect(Object.keys(body)).toEqual(['frameworks', 'completed_frameworks', 'unregistered_frameworks']);
    expect(body.frameworks[0].name).toBe('marathon');
  });

  it('/master/tasks sorts by first status, descending by default, with limit and offset', async () => {
    const { body } = await json(env.cluster.masterFetch, '/master/tasks');
    expect(Object.keys(body)).toEqual(['tasks']);
    expect(body.tasks).toHaveLength(2);
    const first = (t: { statuses: { timestamp: number }[] }) => t.statuses[0].timestamp;
    expect(first(body.tasks[0])).toBeGreaterThanOrEqual(first(body.tasks[1]));
    const asc = (await json(env.cluster.masterFetch, '/master/tasks?order=asc')).body.tasks;
    expect(asc).toHaveLength(2);
    expect(first(asc[0])).toBeLessThanOrEqual(first(asc[1]));
    const limited = (await json(env.cluster.masterFetch, '/master/tasks?limit=1&offset=1')).body.tasks;
    expect(limited).toHaveLength(1);
    expect(limited[0].id).toBe(body.tasks[1].id);
  });

  it('/master/flags, /master/health, /master/redirect, /version', async () => {
    const flags = await json(env.cluster.masterFetch, '/master/flags');
    expect(Object.keys(flags.body)).toEqual(['flags']);
    expect(flags.body.flags.allocation_interval).toBe('1secs');
    expect(flags.body.flags.agent_ping_timeout).toBe('15secs');
    expect(flags.body.flags.max_agent_ping_timeouts).toBe('5');
    expect(flags.body.flags.registry).toBe('in_memory');

    const health = await get(env.cluster.masterFetch, '/master/health');
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('');
    expect((await get(env.cluster.masterFetch, '/health')).status).toBe(200);

    const redirect = await get(env.cluster.masterFetch, '/master/redirect');
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get('location')).toBe('//mesos-master:5050');

    const version = await json(env.cluster.masterFetch, '/version');
    // A JSON::Object in version.hpp: keys sorted.
    expect(Object.keys(version.body)).toEqual([
      'build_date',
      'build_time',
      'build_user',
      'git_sha',
      'git_tag',
      'version',
    ]);
    expect(version.text).toMatch(/"build_time":\d+\.0/);
  });

  it('/metrics/snapshot is a flat object of doubles', async () => {
    const { text, body } = await json(env.cluster.masterFetch, '/metrics/snapshot');
    expect(body['master/elected']).toBe(1);
    expect(text).toContain('"master\\/elected":1.0');
    expect(body['master/slaves_active']).toBe(2);
    expect(body['master/frameworks_active']).toBe(1);
    expect(body['master/tasks_running']).toBe(1);
    expect(body['master/tasks_finished']).toBe(1);
    expect(body['master/cpus_total']).toBe(4);
    expect(body['master/mem_total']).toBe(2048);
    expect(text).toContain('"master\\/cpus_used":0.25');
    const keys = Object.keys(body);
    expect(keys).toEqual([...keys].sort());
    for (const v of Object.values(body)) expect(typeof v).toBe('number');
    expect(text).not.toMatch(/:\d+[,}]/); // every number has a decimal point
  });

  it('/master/roles lists the * role with doubles', async () => {
    const { text, body } = await json(env.cluster.masterFetch, '/master/roles');
    expect(body.roles[0].name).toBe('*');
    expect(body.roles[0].frameworks).toEqual([env.s.frameworkId]);
    expect(text).toContain('"weight":1.0');
    expect(text).toContain('"cpus":0.25');
  });

  it('answers JSONP on every JSON endpoint', async () => {
    for (const p of [
      '/master/state-summary',
      '/master/slaves',
      '/master/frameworks',
      '/master/tasks',
      '/master/flags',
      '/version',
      '/metrics/snapshot',
    ]) {
      const r = await get(env.cluster.masterFetch, `${p}?jsonp=fn`);
      expect(r.headers.get('content-type')).toBe('text/javascript');
      const text = await r.text();
      expect(text).toMatch(/^fn\(.*\);$/s);
      JSON.parse(text.slice(3, -2));
    }
  });

  it('answers unknown paths with a bare 404', async () => {
    // `/` serves the web UI (src/sim/web), as the real master serves its own there.
    for (const p of ['/nope', '/master/nope', '/metrics', '/master/state.js']) {
      const r = await get(env.cluster.masterFetch, p);
      expect(r.status).toBe(404);
      expect(await r.text()).toBe('');
    }
  });
});

describe('agent endpoints', () => {
  const agent = () => env.cluster.agentFetch('mesos-agent-1');

  it('/state and /slave(1)/state describe the agent, its frameworks, executors and tasks', async () => {
    const { r, text, body } = await json(agent(), '/slave(1)/state');
    expect(r.status).toBe(200);
    expect(Object.keys(body)).toEqual([
      'version',
      'git_sha',
      'git_tag',
      'build_date',
      'build_time',
      'build_user',
      'start_time',
      'id',
      'pid',
      'hostname',
      'resources',
      'reserved_resources',
      'unreserved_resources',
      'reserved_resources_full',
      'attributes',
      'master_hostname',
      'log_dir',
      'flags',
      'frameworks',
      'completed_frameworks',
    ]);
    expect(body.id).toBe(env.offer.agentId);
    expect(body.pid).toBe('slave(1)@127.0.0.1:5151');
    expect(body.hostname).toBe('mesos-agent-1');
    expect(body.attributes).toEqual({ rack: 'a' });
    expect(body.flags.resources).toBe('cpus:2;mem:1024;disk:2048;ports:[31000-31009]');
    expect(body.flags.attributes).toBe('rack:a');
    expect(text).toContain('"cpus":2.0');
    const fw = body.frameworks[0];
    expect(Object.keys(fw)).toEqual([
      'id',
      'name',
      'user',
      'failover_timeout',
      'checkpoint',
      'role',
      'hostname',
      'executors',
      'completed_executors',
    ]);
    const ex = fw.executors[0];
    expect(Object.keys(ex)).toEqual([
      'id',
      'name',
      'source',
      'container',
      'directory',
      'resources',
      'tasks',
      'queued_tasks',
      'completed_tasks',
    ]);
    expect(ex.id).toBe('web.a1');
    expect(ex.name).toBe("Command Executor (Task: web.a1) (Command: sh -c 'python3 -m h...')");
    expect(ex.directory).toBe(
      `/var/lib/mesos-agent/slaves/${body.id}/frameworks/${fw.id}/executors/web.a1/runs/${ex.container}`,
    );
    expect(ex.tasks[0].state).toBe('TASK_RUNNING');
    expect(fw.completed_executors[0].completed_tasks[0].state).toBe('TASK_FINISHED');
    for (const p of ['/state', '/state.json', '/slave(1)/state.json']) {
      const again = await json(agent(), p);
      expect(again.body.id).toBe(body.id);
    }
  });

  it('/flags, /health, /version, /metrics/snapshot, /monitor/statistics', async () => {
    const flags = await json(agent(), '/flags');
    expect(flags.body.flags.port).toBe('5151');
    expect(flags.body.flags.work_dir).toBe('/var/lib/mesos-agent');
    expect((await get(agent(), '/health')).status).toBe(200);
    expect((await get(agent(), '/slave(1)/health')).status).toBe(200);
    expect((await json(agent(), '/version')).body.version).toBe('1.1.0');
    const metrics = await json(agent(), '/metrics/snapshot');
    expect(metrics.body['slave/registered']).toBe(1);
    expect(metrics.body['slave/tasks_running']).toBe(1);
    expect(metrics.body['slave/cpus_total']).toBe(2);
    expect(metrics.text).toContain('"slave\\/registered":1.0');
    for (const p of ['/monitor/statistics', '/monitor/statistics.json', '/slave(1)/monitor/statistics']) {
      const stats = await json(agent(), p);
      expect(stats.body).toHaveLength(1);
      expect(Object.keys(stats.body[0])).toEqual([
        'executor_id',
        'executor_name',
        'framework_id',
        'source',
        'statistics',
      ]);
      expect(stats.body[0].statistics.cpus_limit).toBeCloseTo(0.35);
      expect(stats.body[0].statistics.mem_limit_bytes).toBe((64 + 32) * 1024 * 1024);
    }
    const jsonp = await get(agent(), '/slave(1)/state?jsonp=x');
    expect(jsonp.headers.get('content-type')).toBe('text/javascript');
    expect((await get(agent(), '/nope')).status).toBe(404);
  });

  it('/files/browse, /files/read and /files/download serve the sandbox', async () => {
    const st = (await json(agent(), '/state')).body;
    const dir = st.frameworks[0].executors[0].directory as string;
    const enc = encodeURIComponent;
    const browse = await json(agent(), `/files/browse?path=${enc(dir)}`);
    expect(browse.r.status).toBe(200);
    expect(browse.body.map((e: { path: string }) => e.path)).toEqual([`${dir}/stderr`, `${dir}/stdout`]);
    expect(Object.keys(browse.body[0])).toEqual(['gid', 'mode', 'mtime', 'nlink', 'path', 'size', 'uid']);

    const size = await json(agent(), `/files/read?path=${enc(dir + '/stdout')}`);
    expect(Object.keys(size.body)).toEqual(['data', 'offset']);
    expect(size.body.data).toBe('');
    expect(size.body.offset).toBeGreaterThan(0);
    const whole = await json(agent(), `/files/read?path=${enc(dir + '/stdout')}&offset=0`);
    expect(whole.body.offset).toBe(0);
    expect(whole.body.data).toContain('Starting task web.a1');
    expect(whole.body.data.length).toBe(size.body.offset);
    const part = await json(agent(), `/files/read?path=${enc(dir + '/stdout')}&offset=0&length=8`);
    expect(part.body.data).toBe('Register');
    const past = await json(agent(), `/files/read?path=${enc(dir + '/stdout')}&offset=100000`);
    expect(past.body).toEqual({ data: '', offset: size.body.offset });

    const virtual = `/frameworks/${st.frameworks[0].id}/executors/web.a1/runs/latest/stdout`;
    expect((await json(agent(), `/files/read?path=${enc(virtual)}&offset=0`)).body.data).toContain(
      'Starting task',
    );

    const download = await get(agent(), `/files/download?path=${enc(dir + '/stdout')}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename=stdout');
    expect(await download.text()).toContain('Starting task web.a1');

    expect((await get(agent(), '/files/read')).status).toBe(400);
    expect(await (await get(agent(), '/files/read')).text()).toBe("Expecting 'path=value' in query.\n");
    expect((await get(agent(), `/files/read?path=${enc(dir)}&offset=0`)).status).toBe(400);
    expect((await get(agent(), `/files/read?path=${enc(dir + '/nope')}`)).status).toBe(404);
    expect((await get(agent(), `/files/browse?path=${enc('/etc')}`)).status).toBe(404);
    const escape = await get(agent(), `/files/read?path=${enc(dir + '/../../x')}&offset=0`);
    expect(escape.status).toBe(400);
    expect(await escape.text()).toBe(`'${dir}/../../x' is inaccessible.\n`);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
  });
});

describe('endpoints around failures', () => {
  it('before the election: state without leader, redirect 503 "No leader elected", elected 0.0', async () => {
    const e = makeCluster();
    e.cluster.start();
    const early = await json(e.cluster.masterFetch, '/master/state');
    expect(early.r.status).toBe(200);
    expect(early.body).not.toHaveProperty('leader');
    expect(early.body).not.toHaveProperty('leader_info');
    expect(early.body).not.toHaveProperty('elected_time');
    expect(early.body.slaves).toEqual([]);
    const redirect = await get(e.cluster.masterFetch, '/master/redirect');
    expect(redirect.status).toBe(503);
    expect(await redirect.text()).toBe('No leader elected');
    expect((await json(e.cluster.masterFetch, '/metrics/snapshot')).text).toContain('"master\\/elected":0.0');
    expect((await get(e.cluster.masterFetch, '/master/health')).status).toBe(200);
    e.clock.advance(1000);
    expect((await get(e.cluster.masterFetch, '/master/state')).status).toBe(200);
    e.cluster.stopMaster();
    expect(e.cluster.masterRunning()).toBe(false);
    e.cluster.stopAgent('mesos-agent-2');
    expect(e.cluster.agentRunning('mesos-agent-2')).toBe(false);
    expect(e.cluster.agentRunning('mesos-agent-1')).toBe(true);
  });
});
