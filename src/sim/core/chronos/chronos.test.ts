import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.ts';
import type { FrameworkService, ServiceContext } from '../service.ts';
import { ZkDatabase } from '../zookeeper/database.ts';
import { createChronosWith } from './index.ts';
import type { ChronosScheduler } from './scheduler.ts';
import { FakeMaster, MemoryStore, type TaskOutcome } from './test-support.ts';
import { decodeEntry } from './znodes.ts';
import type { TaskInfo } from '../mesos/api.ts';

const START = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

interface Env {
  clock: VirtualClock;
  master: FakeMaster;
  store: MemoryStore;
  zk: ReturnType<ZkDatabase['access']>;
  ctx: ServiceContext;
  chronos: FrameworkService & { scheduler: ChronosScheduler };
  logs: string[];
}

let env: Env;

function setup(outcome?: (task: TaskInfo) => TaskOutcome): Env {
  const clock = new VirtualClock(START);
  const master = new FakeMaster(clock, { outcome });
  const store = new MemoryStore();
  const zk = new ZkDatabase(clock).access();
  const logs: string[] = [];
  const ctx: ServiceContext = { clock, master, store, zk, log: (l) => logs.push(l) };
  const chronos = createChronosWith()(ctx) as Env['chronos'];
  chronos.start();
  clock.advance(0);
  return { clock, master, store, zk, ctx, chronos, logs };
}

async function call(method: string, path: string, body?: unknown) {
  const init: RequestInit = { method, headers: { Host: 'localhost:4400' } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
  }
  const res = await env.chronos.fetch(new Request(`http://localhost:4400${path}`, init));
  const text = await res.text();
  return {
    status: res.status,
    text,
    type: res.headers.get('content-type') ?? '',
    json: () => JSON.parse(text),
  };
}

async function job(name: string) {
  return (await call('GET', `/v1/scheduler/job/${name}`)).json();
}

const launchesOf = (name: string) => env.master.launched.filter((t) => t.name === `ChronosTask:${name}`);

beforeEach(() => {
  env = setup();
});
afterEach(() => env.master.shutdown());

describe('scheduling', () => {
  it('runs a PT1M job once a simulated minute', async () => {
    const start = START + 10_000;
    expect(
      (
        await call('POST', '/v1/scheduler/iso8601', {
          name: 'minuto',
          command: 'date',
          schedule: `R/${iso(start)}/PT1M`,
        })
      ).status,
    ).toBe(204);
    env.clock.advance(10 * 60_000 + 5_000);
    // starts at 0:10, 1:10, ..., 9:10
    expect(launchesOf('minuto')).toHaveLength(10);
    const j = await job('minuto');
    expect(j.successCount).toBe(10);
    expect(j.errorCount).toBe(0);
    expect(j.schedule).toBe('R/2026-01-01T00:10:10.000Z/PT1M');
    // task ids and names as Chronos builds them
    const first = launchesOf('minuto')[0];
    expect(first.taskId).toMatch(/^ct:\d{13}:0:minuto:$/);
    expect(first.resources).toMatchObject({ cpus: 0.1, mem: 128, disk: 256 });
    expect(first.env).toMatchObject({
      CHRONOS_JOB_NAME: 'minuto',
      CHRONOS_RESOURCE_MEM: '128.0',
      CHRONOS_JOB_RUN_ATTEMPT: '0',
    });
  });

  it('counts down R3 and disables the job after its last success', async () => {
    await call('POST', '/v1/scheduler/iso8601', {
      name: 'tres',
      command: 'true',
      schedule: `R3/${iso(START + 5000)}/PT1M`,
      cpus: 0.5,
      mem: 64,
    });
    env.clock.advance(10 * 60_000);
    expect(launchesOf('tres')).toHaveLength(3);
    expect(launchesOf('tres')[0].resources).toMatchObject({ cpus: 0.5, mem: 64, disk: 256 });
    const j = await job('tres');
    expect(j.schedule).toMatch(/^R0\//);
    expect(j.disabled).toBe(true);
    expect(j.successCount).toBe(3);
  });

  it('disables an R1 job after its success', async () => {
    await call('POST', '/v1/scheduler/iso8601', { name: 'uma', command: 'true', schedule: `R1//PT1M` });
    env.clock.advance(5_000);
    expect(launchesOf('uma')).toHaveLength(1);
    const j = await job('uma');
    expect(j.disabled).toBe(true);
    expect(j.successCount).toBe(1);
    expect(j.lastSuccess).toMatch(/^2026-01-01T00:00:0\d\.\d{3}Z$/);
    env.clock.advance(5 * 60_000);
    expect(launchesOf('uma')).toHaveLength(1);
  });

  it('honours scheduleTimeZone', async () => {
    // 00:05 "Z" in São Paulo is 03:05 UTC
    await call('POST', '/v1/scheduler/iso8601', {
      name: 'sp',
      command: 'true',
      schedule: 'R1/2026-01-01T00:05:00Z/PT1H',
      scheduleTimeZone: 'America/Sao_Paulo',
    });
    env.clock.advance(3 * 3600_000);
    expect(launchesOf('sp')).toHaveLength(0);
    env.clock.advance(6 * 60_000);
    expect(launchesOf('sp')).toHaveLength(1);
  });

  it('retries a failing job, then counts one error', async () => {
    env.master.outcome = () => ({ runMs: 500, state: 'TASK_FAILED' });
    await call('POST', '/v1/scheduler/iso8601', { name: 'falha', command: 'exit 1', schedule: `R//P1D` });
    env.clock.advance(60_000 + 3_000);
    expect(launchesOf('falha')).toHaveLength(2);
    env.clock.advance(60_000);
    const ids = launchesOf('falha').map((t) => t.taskId.split(':')[2]);
    expect(ids).toEqual(['0', '1', '2']);
    env.clock.advance(10 * 60_000);
    expect(launchesOf('falha')).toHaveLength(3);
    let j = await job('falha');
    expect(j.errorCount).toBe(1);
    expect(j.errorsSinceLastSuccess).toBe(1);
    expect(j.lastError).not.toBe('');
    expect(j.successCount).toBe(0);
    // the previous trigger ended in error: a new trigger is not retried
    expect((await call('PUT', '/v1/scheduler/job/falha')).status).toBe(204);
    env.clock.advance(5 * 60_000);
    expect(launchesOf('falha')).toHaveLength(4);
    j = await job('falha');
    expect(j.errorCount).toBe(2);
    expect(j.errorsSinceLastSuccess).toBe(2);
    const summary = (await call('GET', '/v1/scheduler/jobs/summary')).json();
    expect(summary.jobs[0]).toMatchObject({ name: 'falha', status: 'failure', state: 'idle' });
  });

  it('counts TASK_LOST as a failure and TASK_KILLED as nothing', async () => {
    env.master.outcome = () => ({ runMs: 0 });
    await call('POST', '/v1/scheduler/iso8601', {
      name: 'longo',
      command: 'sleep 1000',
      schedule: 'R//P1D',
      retries: 0,
    });
    env.clock.advance(3_000);
    expect(launchesOf('longo')).toHaveLength(1);
    const summary = (await call('GET', '/v1/scheduler/jobs/summary')).json();
    expect(summary.jobs[0].state).toBe('1 running');
    expect((await call('DELETE', '/v1/scheduler/task/kill/longo')).status).toBe(204);
    env.clock.advance(1_000);
    let j = await job('longo');
    expect([j.errorCount, j.successCount, j.lastError]).toEqual([0, 0, '']);
    await call('PUT', '/v1/scheduler/job/longo');
    env.clock.advance(3_000);
    env.master.loseTasksOn(launchesOf('longo')[1].agentId);
    env.clock.advance(1_000);
    j = await job('longo');
    expect(j.errorCount).toBe(1);
    expect(j.lastError).not.toBe('');
  });

  it('runs a job now on PUT, spending a repetition, with arguments', async () => {
    await call('POST', '/v1/scheduler/iso8601', {
      name: 'manual',
      command: 'echo',
      schedule: `R5/${iso(START + 3600_000)}/PT1H`,
    });
    expect((await call('PUT', '/v1/scheduler/job/manual?arguments=ola;mundo')).status).toBe(204);
    env.clock.advance(3_000);
    expect(launchesOf('manual')).toHaveLength(1);
    expect(launchesOf('manual')[0].command).toBe('echo olamundo');
    expect(launchesOf('manual')[0].taskId).toMatch(/^ct:\d+:0:manual:olamundo$/);
    expect((await job('manual')).schedule).toBe('R4/2026-01-01T01:00:00.000Z/PT1H');
    expect((await call('PUT', '/v1/scheduler/job/nada')).status).toBe(400);
  });

  it('drops a manual run of a disabled job', async () => {
    await call('POST', '/v1/scheduler/iso8601', {
      name: 'off',
      command: 'true',
      schedule: 'R//PT1M',
      disabled: true,
    });
    expect((await call('PUT', '/v1/scheduler/job/off')).status).toBe(204);
    env.clock.advance(5 * 60_000);
    expect(launchesOf('off')).toHaveLength(0);
  });
});

describe('dependent jobs', () => {
  it('runs a three-job chain in order', async () => {
    await call('POST', '/v1/scheduler/iso8601', {
      name: 'a',
      command: 'true',
      schedule: `R1/${iso(START + 2000)}/PT1M`,
    });
    await call('POST', '/v1/scheduler/dependency', { name: 'b', command: 'true', parents: ['a'] });
    await call('POST', '/v1/scheduler/dependency', { name: 'c', command: 'true', parents: ['b'] });
    env.clock.advance(60_000);
    expect(env.master.launched.map((t) => t.name)).toEqual([
      'ChronosTask:a',
      'ChronosTask:b',
      'ChronosTask:c',
    ]);
    const [a, b, c] = env.master.launched.map((t) => Number(t.taskId.split(':')[1]));
    expect(a).toBeLessThan(b);
    expect(b).toBeLessThan(c);
    for (const name of ['a', 'b', 'c']) expect((await job(name)).successCount).toBe(1);
    const csv = (await call('GET', '/v1/scheduler/graph/csv')).text;
    expect(csv.split('\n').filter((l) => l.startsWith('link'))).toEqual(['link,a,b', 'link,b,c']);
  });

  it('runs a child of two parents once both succeeded since it last ran', async () => {
    await call('POST', '/v1/scheduler/iso8601', { name: 'p1', command: 'true', schedule: 'R//P1D' });
    await call('POST', '/v1/scheduler/iso8601', {
      name: 'p2',
      command: 'true',
      schedule: `R/${iso(START + 3600_000)}/P1D`,
    });
    await call('POST', '/v1/scheduler/dependency', { name: 'filho', command: 'true', parents: ['p1', 'p2'] });
    env.clock.advance(60_000);
    expect(launchesOf('filho')).toHaveLength(0);
    await call('PUT', '/v1/scheduler/job/p1');
    env.clock.advance(60_000);
    expect(launchesOf('filho')).toHaveLength(0);
    await call('PUT', '/v1/scheduler/job/p2');
    env.clock.advance(60_000);
    expect(launchesOf('filho')).toHaveLength(1);
    await call('PUT', '/v1/scheduler/job/p2');
    env.clock.advance(60_000);
    expect(launchesOf('filho')).toHaveLength(1);
  });

  it('accepts a child of an unknown parent but lists it only once the parent exists', async () => {
    expect(
      (await call('POST', '/v1/scheduler/dependency', { name: 'orfao', command: 'true', parents: ['pai'] }))
        .status,
    ).toBe(204);
    expect((await call('GET', '/v1/scheduler/jobs')).json()).toEqual([]);
    expect((await call('GET', '/v1/scheduler/jobs/summary')).json()).toEqual({ jobs: [] });
    expect((await call('GET', '/v1/scheduler/job/orfao')).status).toBe(400);
    expect(env.zk.exists('/chronos/state/state/J_orfao')).toBe(true);
    await call('POST', '/v1/scheduler/iso8601', { name: 'pai', command: 'true', schedule: 'R//P1D' });
    const names = (await call('GET', '/v1/scheduler/jobs')).json().map((j: { name: string }) => j.name);
    expect(names.sort()).toEqual(['orfao', 'pai']);
  });

  it('turns a scheduled job into a dependent one and back, and refuses a cycle', async () => {
    await call('POST', '/v1/scheduler/iso8601', { name: 'a', command: 'true', schedule: 'R//P1D' });
    await call('POST', '/v1/scheduler/iso8601', { name: 'b', command: 'true', schedule: 'R//P1D' });
    expect(
      (await call('POST', '/v1/scheduler/dependency', { name: 'b', command: 'true', parents: ['a'] })).status,
    ).toBe(204);
    expect((await job('b')).parents).toEqual(['a']);
    const cycle = await call('POST', '/v1/scheduler/dependency', {
      name: 'a',
      command: 'true',
      parents: ['b'],
    });
    expect(cycle.status).toBe(500);
    expect((await job('a')).schedule).toBe('R//P1D');
    expect(
      (await call('POST', '/v1/scheduler/iso8601', { name: 'b', command: 'true', schedule: 'R//P1D' }))
        .status,
    ).toBe(204);
    expect((await job('b')).parents).toBeUndefined();
  });

  it('marks success without running and triggers dependents', async () => {
    await call('POST', '/v1/scheduler/iso8601', {
      name: 'x',
      command: 'true',
      schedule: `R/${iso(START + 3600_000)}/P1D`,
    });
    await call('POST', '/v1/scheduler/dependency', { name: 'y', command: 'true', parents: ['x'] });
    const res = await call('PUT', '/v1/scheduler/job/success/x');
    expect(res.status).toBe(200);
    expect(res.text).toBe('marked job x as successful: true');
    expect((await call('PUT', '/v1/scheduler/job/success/zzz')).text).toBe(
      'marked job zzz as successful: false',
    );
    env.clock.advance(5_000);
    expect(launchesOf('x')).toHaveLength(0);
    expect(launchesOf('y')).toHaveLength(1);
  });

  it('gives children of a deleted scheduled parent its schedule', async () => {
    await call('POST', '/v1/scheduler/iso8601', {
      name: 'pai',
      command: 'true',
      schedule: `R/${iso(START + 3600_000)}/P1D`,
    });
    await call('POST', '/v1/scheduler/dependency', { name: 'filho', command: 'true', parents: ['pai'] });
    expect((await call('DELETE', '/v1/scheduler/job/pai')).status).toBe(204);
    const filho = await job('filho');
    expect(filho.schedule).toBe(`R/${iso(START + 3600_000)}/P1D`);
    expect(filho.parents).toBeUndefined();
    expect(env.zk.exists('/chronos/state/state/J_pai')).toBe(false);
  });
});

describe('HTTP API', () => {
  it('writes every field in Chronos order, without epsilon or async', async () => {
    const res = await call('POST', '/v1/scheduler/iso8601', {
      name: 'campos',
      command: 'echo oi',
      schedule: 'R/2026-01-01T00:00:00Z/PT1M',
      epsilon: 'PT30M',
      async: false,
      owner: 'eu@ufsc.br',
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const got = await call('GET', '/v1/scheduler/job/campos');
    expect(got.type).toContain('application/json');
    expect(Object.keys(got.json())).toEqual([
      'name', 'command', 'shell', 'executor', 'executorFlags', 'taskInfoData', 'retries', 'owner', 'ownerName',
      'description', 'successCount', 'errorCount', 'lastSuccess', 'lastError', 'cpus', 'disk', 'mem', 'disabled',
      'softError', 'dataProcessingJobType', 'errorsSinceLastSuccess', 'fetch', 'uris', 'environmentVariables',
      'arguments', 'highPriority', 'runAsUser', 'concurrent', 'constraints', 'schedule', 'scheduleTimeZone',
    ]); // prettier-ignore
    expect(got.text).toContain('"cpus":0.1,"disk":256.0,"mem":128.0');
    expect(got.text).not.toMatch(/epsilon|async/);
    expect(got.json()).toMatchObject({
      retries: 2,
      shell: true,
      runAsUser: 'root',
      owner: 'eu@ufsc.br',
      scheduleTimeZone: '',
    });
    await call('POST', '/v1/scheduler/dependency', {
      name: 'dep',
      command: 'true',
      parents: ['campos', 'campos'],
    });
    const dep = (await call('GET', '/v1/scheduler/job/dep')).json();
    expect(Object.keys(dep).slice(-2)).toEqual(['constraints', 'parents']);
    expect(dep.parents).toEqual(['campos']);
    expect(dep.schedule).toBeUndefined();
  });

  it('reads lenient numbers, defaults zero resources, keeps container and constraints in order', async () => {
    await call('POST', '/v1/scheduler/iso8601', {
      name: 'docker',
      command: 'true',
      schedule: 'R//P1D',
      cpus: '0.5',
      mem: 0,
      container: { image: 'busybox', volumes: [{ containerPath: '/data', mode: 'ro' }] },
      constraints: [
        ['rack', 'EQUALS', 'a'],
        ['rack', 'GROUP_BY', 'x'],
        ['hostname', 'LIKE', 'mesos-agent-.*'],
      ],
    });
    const j = await call('GET', '/v1/scheduler/job/docker');
    expect(j.text).toContain('"cpus":0.5,"disk":256.0,"mem":128.0');
    const body = j.json();
    expect(Object.keys(body.container)).toEqual([
      'type',
      'image',
      'network',
      'networkInfos',
      'volumes',
      'forcePullImage',
      'parameters',
    ]);
    expect(body.container).toMatchObject({
      type: 'DOCKER',
      network: 'HOST',
      volumes: [{ containerPath: '/data', mode: 'RO' }],
    });
    expect(body.constraints).toEqual([
      ['rack', 'EQUALS', 'a'],
      ['hostname', 'LIKE', 'mesos-agent-.*'],
    ]);
    expect(Object.keys(body).indexOf('container')).toBe(Object.keys(body).indexOf('concurrent') + 1);
  });

  it('places a job on the agent its constraints allow', async () => {
    await call('POST', '/v1/scheduler/iso8601', {
      name: 'rackb',
      command: 'true',
      schedule: 'R1//PT1M',
      constraints: [['rack', 'EQUALS', 'b']],
    });
    env.clock.advance(5_000);
    expect(launchesOf('rackb').map((t) => t.agentId)).toEqual(['M-S1']);
  });

  it('mirrors uris into fetch in GET /jobs only', async () => {
    await call('POST', '/v1/scheduler/iso8601', {
      name: 'u',
      command: 'true',
      schedule: 'R//P1D',
      uris: ['http://x/y.tgz'],
    });
    const listed = (await call('GET', '/v1/scheduler/jobs')).json()[0];
    expect(listed.fetch).toEqual([{ uri: 'http://x/y.tgz', executable: false, cache: false, extract: true }]);
    expect((await job('u')).fetch).toEqual([]);
  });

  it('answers every error case of the spec', async () => {
    const err = async (method: string, path: string, body?: unknown) => {
      const r = await call(method, path, body);
      return { code: r.status, ...r.json() };
    };
    const bad = await err('POST', '/v1/scheduler/iso8601', {
      name: 'nome com espaço',
      command: 'x',
      schedule: 'R//PT1M',
    });
    expect(bad).toMatchObject({ code: 400, status: 'Bad Request' });
    expect(bad.message).toMatch(
      /^java\.lang\.IllegalArgumentException: requirement failed: the job's name is invalid\. Allowed names: '\(\[\\w\\\.-\]\+\)'/,
    );
    const sched = await err('POST', '/v1/scheduler/iso8601', {
      name: 'ok',
      command: 'x',
      schedule: 'todo dia',
    });
    expect(sched).toEqual({
      code: 400,
      status: 'Bad Request',
      message: "Cannot parse schedule 'todo dia' (wtf bro)",
    });
    const old = await err('POST', '/v1/scheduler/iso8601', {
      name: 'ok',
      command: 'x',
      schedule: 'R/1969-12-31T00:00:00Z/PT1M',
    });
    expect(old).toMatchObject({ code: 400, status: 'Bad Request' });
    const both = await err('POST', '/v1/scheduler/iso8601', {
      name: 'ok',
      schedule: 'R//PT1M',
      uris: ['a'],
      fetch: [{ uri: 'b' }],
    });
    expect(both.code).toBe(400);
    expect(both.message).toBe('Tried to add both uri (deprecated) and fetch parameters on ok');
    const empty = await call('POST', '/v1/scheduler/dependency', { name: 'd', command: 'x', parents: [] });
    expect(empty.status).toBe(500);
    expect(empty.json()).toMatchObject({ status: 'Internal Server Error' });
    expect(empty.json().message).toContain('Error, parent does not exist');
    expect(
      (await call('POST', '/v1/scheduler/dependency', { name: 'nome/ruim', parents: ['a'] })).status,
    ).toBe(400);
    // updating an existing dependent job with an unknown parent
    await call('POST', '/v1/scheduler/iso8601', { name: 'p', command: 'x', schedule: 'R//P1D' });
    await call('POST', '/v1/scheduler/dependency', { name: 'd', command: 'x', parents: ['p'] });
    const upd = await err('POST', '/v1/scheduler/dependency', { name: 'd', command: 'x', parents: ['nada'] });
    expect(upd.code).toBe(400);
    expect(upd.message).toContain('requirement failed: JobSchedule d does not have all parents defined!');
    expect((await err('GET', '/v1/scheduler/job/nada')).message).toContain(
      "requirement failed: Job 'nada' not found",
    );
    expect((await err('DELETE', '/v1/scheduler/job/nada')).message).toContain(
      "requirement failed: JobSchedule 'nada' not found",
    );
    expect((await err('PUT', '/v1/scheduler/job/nada')).message).toContain("Job 'nada' not found");
    expect((await call('DELETE', '/v1/scheduler/task/kill/nada')).status).toBe(400);
    expect((await call('GET', '/v1/scheduler/job/stat/nada')).status).toBe(400);
    // a body without name, a body of the other kind
    expect((await call('POST', '/v1/scheduler/iso8601', { command: 'x' })).status).toBe(500);
    expect((await call('POST', '/v1/scheduler/iso8601', { name: 'q', parents: ['p'] })).status).toBe(500);
    expect((await call('POST', '/v1/scheduler/iso8601', '{nope')).status).toBe(400);
    // nothing of the above was stored
    const names = (await call('GET', '/v1/scheduler/jobs')).json().map((j: { name: string }) => j.name);
    expect(names.sort()).toEqual(['d', 'p']);
  });

  it('answers 415 to a body that is not declared as JSON', async () => {
    const res = await env.chronos.fetch(
      new Request('http://localhost:4400/v1/scheduler/iso8601', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: JSON.stringify({ name: 'form', command: 'true', schedule: 'R//P1D' }),
      }),
    );
    expect(res.status).toBe(415);
    expect((await call('GET', '/v1/scheduler/jobs')).json()).toEqual([]);
    const charset = await env.chronos.fetch(
      new Request('http://localhost:4400/v1/scheduler/iso8601', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ name: 'json', command: 'true', schedule: 'R//P1D' }),
      }),
    );
    expect(charset.status).toBe(204);
  });

  it('validates the name only for new jobs and replaces on re-POST', async () => {
    await call('POST', '/v1/scheduler/iso8601', {
      name: 'r',
      command: 'a',
      schedule: 'R//P1D',
      successCount: 7,
    });
    expect((await job('r')).successCount).toBe(7);
    expect(
      (await call('POST', '/v1/scheduler/iso8601', { name: 'r', command: 'b', schedule: 'R//P1D' })).status,
    ).toBe(204);
    expect(await job('r')).toMatchObject({ command: 'b', successCount: 0 });
  });

  it('defaults a body without schedule to run once now', async () => {
    await call('POST', '/v1/scheduler/iso8601', { name: 'agora', command: 'true' });
    expect((await job('agora')).schedule).toBe('R1/2026-01-01T00:00:00.000Z/PT24H');
  });

  it('searches with a default limit of 10', async () => {
    for (let i = 0; i < 12; i++)
      await call('POST', '/v1/scheduler/iso8601', {
        name: `job${i}`,
        command: i % 2 ? 'echo par' : 'ls',
        schedule: 'R//P1D',
      });
    expect((await call('GET', '/v1/scheduler/jobs/search?name=job')).json()).toHaveLength(10);
    expect((await call('GET', '/v1/scheduler/jobs/search?name=JOB&limit=20')).json()).toHaveLength(12);
    expect((await call('GET', '/v1/scheduler/jobs/search?command=echo&limit=20')).json()).toHaveLength(6);
    expect(
      (await call('GET', '/v1/scheduler/jobs/search?name=job1&command=zzz&any=job11&limit=20')).json(),
    ).toHaveLength(1);
    // `any` rescues a job that the other filters refused
    expect(
      (await call('GET', '/v1/scheduler/jobs/search?name=job1&command=zzz&any=ls&limit=20')).json(),
    ).toHaveLength(6);
    expect((await call('GET', '/v1/scheduler/jobs/search?name=job&offset=10')).json()).toHaveLength(2);
  });

  it('exports the graph as csv and dot', async () => {
    await call('POST', '/v1/scheduler/iso8601', {
      name: 'a',
      command: 'true',
      schedule: 'R//P1D',
      disabled: true,
    });
    await call('POST', '/v1/scheduler/dependency', { name: 'b', command: 'true', parents: ['a'] });
    const csv = await call('GET', '/v1/scheduler/graph/csv');
    expect(csv.type).toContain('text/plain');
    expect(csv.text).toBe('node,a,fresh,idle\nnode,b,fresh,idle\nlink,a,b\n');
    const dot = await call('GET', '/v1/scheduler/graph/dot');
    expect(dot.text).toBe('digraph G {\n  1 [ label="a" ];\n  2 [ label="b" ];\n  1 -> 2;\n}\n');
  });

  it('answers /ping, /metrics, the leader, and nothing outside /v1/scheduler as the API', async () => {
    expect((await call('GET', '/ping')).text).toBe('pong\n');
    expect((await call('GET', '/metrics')).json()).toHaveProperty('gauges');
    expect((await call('GET', '/v1/scheduler/leader')).json()).toEqual({ leader: 'chronos:4400' });
    expect((await call('GET', '/leader')).status).toBe(404);
    expect((await call('GET', '/jobs')).status).toBe(404);
    expect((await call('POST', '/iso8601', { name: 'x', schedule: 'R//PT1M' })).status).toBe(404);
    expect((await call('GET', '/v1/scheduler/iso8601')).status).toBe(405);
    expect((await call('GET', '/v1/scheduler/nada')).status).toBe(404);
    expect((await call('GET', '/v1/scheduler/jobs/')).status).toBe(200);
    expect((await call('GET', '/scheduler/jobs')).status).toBe(404);
    expect((await call('GET', '/')).text).toContain('Chronos');
  });

  it('reports run-time stats', async () => {
    env.master.outcome = () => ({ runMs: 4000, state: 'TASK_FINISHED' });
    await call('POST', '/v1/scheduler/iso8601', { name: 's', command: 'true', schedule: 'R2//PT1M' });
    env.clock.advance(3 * 60_000);
    const stat = (await call('GET', '/v1/scheduler/job/stat/s')).json();
    expect(stat.histogram.count).toBe(2);
    expect(stat.taskStatHistory).toEqual([]);
    const rows = (await call('GET', '/v1/scheduler/stats/99thPercentile')).json();
    expect(rows[0].jobNameLabel).toBe('s');
    expect(rows[0].time).toBeGreaterThanOrEqual(4);
  });
});

describe('framework and persistence', () => {
  it('registers as chronos and writes its znodes', async () => {
    expect(env.master.info).toMatchObject({
      name: 'chronos',
      user: 'root',
      hostname: 'chronos',
      checkpoint: true,
      failoverTimeoutSeconds: 604800,
      webuiUrl: 'http://chronos:4400',
    });
    const candidates = env.zk.children('/chronos/state/candidate');
    expect(candidates).toHaveLength(1);
    expect(candidates[0]).toMatch(/^_c_[0-9a-f-]{36}-latch-\d{10}$/);
    expect(new TextDecoder().decode(env.zk.getData(`/chronos/state/candidate/${candidates[0]}`))).toBe(
      'chronos:4400',
    );
    expect(env.zk.exists('/chronos/state/state/frameworkId')).toBe(true);
    await call('POST', '/v1/scheduler/iso8601', { name: 'z', command: 'true', schedule: 'R//P1D' });
    const entry = decodeEntry(env.zk.getData('/chronos/state/state/J_z')!)!;
    expect(entry.name).toBe('J_z');
    expect(JSON.parse(new TextDecoder().decode(entry.value)).name).toBe('z');
  });

  it('keeps jobs across a stop and start, and in a new instance on the same store', async () => {
    await call('POST', '/v1/scheduler/iso8601', {
      name: 'fica',
      command: 'true',
      schedule: `R/${iso(START + 30_000)}/PT1M`,
    });
    env.clock.advance(60_000);
    env.chronos.stop();
    expect(env.chronos.running).toBe(false);
    expect(env.zk.children('/chronos/state/candidate')).toEqual([]);
    env.clock.advance(5 * 60_000);
    const launchedWhileStopped = launchesOf('fica').length;
    env.chronos.start();
    env.clock.advance(1_000);
    expect(env.master.info?.id).toBe('M-0000');
    expect((await job('fica')).successCount).toBe(1);
    env.clock.advance(2 * 60_000);
    expect(launchesOf('fica').length).toBeGreaterThan(launchedWhileStopped);
    const again = createChronosWith()(env.ctx);
    env.chronos.stop();
    again.start();
    const res = await again.fetch(new Request('http://localhost:4400/v1/scheduler/jobs'));
    expect((await res.json()).map((j: { name: string }) => j.name)).toEqual(['fica']);
    again.stop();
  });
});
