import { describe, expect, it } from 'vitest';
import { ID_SEGMENT_PATTERN } from './ids.ts';
import { makeHarness, type Harness } from './test-helpers.ts';

interface App {
  id: string;
  [k: string]: unknown;
}

async function started(): Promise<Harness> {
  const h = makeHarness();
  h.service.start();
  await h.advance(100);
  return h;
}

async function allRunning(h: Harness, appId: string, n: number): Promise<boolean> {
  return h.until(
    () =>
      h.core.tasksOf(appId).filter((t) => t.state === 'TASK_RUNNING').length === n &&
      h.core.deployments.size === 0,
    30_000,
  );
}

describe('POST /v2/apps', () => {
  it('answers 201 with Location, the app as submitted plus defaults, and a deployment', async () => {
    const h = await started();
    const res = await h.request('POST', '/v2/apps', { id: 'web', cmd: 'sleep 1000' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('http://localhost:8080/v2/apps/web');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(res.headers.get('expires')).toBe('0');
    expect(res.headers.get('x-marathon-leader')).toBe('http://marathon:8080');
    expect(res.headers.get('marathon-deployment-id')).toBeNull();
    const text = await res.text();
    // Doubles keep their decimal point, fields come in Marathon's order.
    expect(text).toContain('"instances":1,"cpus":1.0,"mem":128.0,"disk":0.0,"gpus":0,"executor":""');
    expect(text).toContain('"backoffSeconds":1,"backoffFactor":1.15,"maxLaunchDelaySeconds":3600');
    expect(text).toContain('"upgradeStrategy":{"minimumHealthCapacity":1.0,"maximumOverCapacity":1.0}');
    const body = JSON.parse(text) as App;
    expect(Object.keys(body)).toEqual([
      'id',
      'cmd',
      'args',
      'user',
      'env',
      'instances',
      'cpus',
      'mem',
      'disk',
      'gpus',
      'executor',
      'constraints',
      'uris',
      'fetch',
      'storeUrls',
      'backoffSeconds',
      'backoffFactor',
      'maxLaunchDelaySeconds',
      'container',
      'healthChecks',
      'readinessChecks',
      'dependencies',
      'upgradeStrategy',
      'labels',
      'acceptedResourceRoles',
      'ipAddress',
      'version',
      'residency',
      'secrets',
      'taskKillGracePeriodSeconds',
      'ports',
      'portDefinitions',
      'requirePorts',
      'tasksStaged',
      'tasksRunning',
      'tasksHealthy',
      'tasksUnhealthy',
      'deployments',
      'tasks',
    ]);
    expect(body.id).toBe('/web');
    expect(body.ports).toEqual([0]);
    expect(body.portDefinitions).toEqual([{ port: 0, protocol: 'tcp', labels: {} }]);
    expect(body.tasks).toEqual([]);
    expect((body.deployments as { id: string }[])[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.version).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('assigns service ports from 10000 and shows versionInfo on GET', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', { id: '/a', cmd: 'sleep 1' });
    await h.request('POST', '/v2/apps', { id: '/b', cmd: 'sleep 1', ports: [0, 0] });
    const { body } = await h.json<{ app: App }>('GET', '/v2/apps/b');
    expect(body.app.ports).toEqual([10001, 10002]);
    expect(body.app.versionInfo).toEqual({
      lastScalingAt: body.app.version,
      lastConfigChangeAt: body.app.version,
    });
    expect(Object.keys(body.app).slice(-8)).toEqual([
      'requirePorts',
      'versionInfo',
      'tasksStaged',
      'tasksRunning',
      'tasksHealthy',
      'tasksUnhealthy',
      'deployments',
      'tasks',
    ]);
  });

  it('409 for an existing id', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', { id: '/a', cmd: 'sleep 1' });
    const r = await h.json('POST', '/v2/apps', { id: 'a', cmd: 'sleep 1' });
    expect(r.status).toBe(409);
    expect(r.body).toEqual({ message: 'An app with id [/a] already exists.' });
  });

  it('400 for broken and empty JSON, and for wrong types', async () => {
    const h = await started();
    const broken = await h.json<{ message: string; details: string }>('POST', '/v2/apps', '{"id": ');
    expect(broken.status).toBe(400);
    expect(broken.body.message).toBe('Invalid JSON');
    expect(typeof broken.body.details).toBe('string');
    const empty = await h.json('POST', '/v2/apps', '');
    expect(empty.body).toEqual({
      message: 'Please specify data in JSON format',
      details: 'No content to map due to end-of-input\n at [Source: ; line: 1, column: 0]',
    });
    const noId = await h.json('POST', '/v2/apps', { cmd: 'x' });
    expect(noId.status).toBe(400);
    expect(noId.body).toEqual({
      message: 'Invalid JSON',
      details: [{ path: '/id', errors: ['error.path.missing'] }],
    });
    const frac = await h.json('POST', '/v2/apps', { id: 'x', cmd: 'x', instances: 0.5 });
    expect(frac.status).toBe(400);
  });

  it('422 Object is not valid with path/errors', async () => {
    const h = await started();
    const upper = await h.json('POST', '/v2/apps', { id: '/My_App', cmd: 'x' });
    expect(upper.status).toBe(422);
    expect(upper.body).toEqual({
      message: 'Object is not valid',
      details: [{ path: '/id', errors: [`must fully match regular expression '${ID_SEGMENT_PATTERN}'`] }],
    });
    const raw = await (await h.request('POST', '/v2/apps', { id: '/My_App', cmd: 'x' })).text();
    expect(raw).toContain("'^(([a-z0-9]|[a-z0-9][a-z0-9\\\\-]*[a-z0-9])\\\\.)*");
    const nocmd = await h.json('POST', '/v2/apps', { id: '/x' });
    expect(nocmd.body).toEqual({
      message: 'Object is not valid',
      details: [
        {
          path: '/',
          errors: ["AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'."],
        },
      ],
    });
    const neg = await h.json<{ details: { path: string; errors: string[] }[] }>('POST', '/v2/apps', {
      id: '/x',
      cmd: 'x',
      instances: -3,
      upgradeStrategy: { minimumHealthCapacity: 1.2 },
      constraints: [
        ['hostname', 'UNIQUE', 'x'],
        ['rack', 'CLUSTER'],
      ],
    });
    expect(neg.status).toBe(422);
    const byPath = Object.fromEntries(neg.body.details.map((d) => [d.path, d.errors]));
    expect(byPath['/instances']).toEqual(['got -3, expected 0 or more']);
    expect(byPath['/upgradeStrategy/minimumHealthCapacity']).toEqual([
      'got 1.2, expected between 0.0 and 1.0',
    ]);
    expect(byPath['/constraints']).toEqual(['Value specified but not used', 'Missing value']);
    expect(h.core.apps.size).toBe(0);
  });

  it('publishes api_post_event and runs the two-step plan to completion', async () => {
    const h = await started();
    const types: string[] = [];
    h.core.events.subscribe((e) => types.push(e.eventType));
    await h.request('POST', '/v2/apps', { id: '/a', cmd: 'sleep 1000', instances: 2 });
    expect(await allRunning(h, '/a', 2)).toBe(true);
    expect(types.slice(0, 2).sort()).toEqual(['api_post_event', 'group_change_success']);
    expect(types.filter((t) => t === 'deployment_info')).toHaveLength(2);
    expect(types.filter((t) => t === 'deployment_step_success')).toHaveLength(2);
    expect(types[types.length - 1]).toBe('deployment_success');
    expect(types.filter((t) => t === 'status_update_event')).toHaveLength(4);
  });
});

describe('GET /v2/apps and /v2/apps/{id}', () => {
  it('lists with counts and deployments always; tasks only with embed', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', { id: '/a', cmd: 'sleep 1000', labels: { tier: 'web' } });
    await h.request('POST', '/v2/apps', { id: '/b', cmd: 'python -m http.server' });
    await allRunning(h, '/a', 1);
    const plain = await h.json<{ apps: App[] }>('GET', '/v2/apps');
    expect(plain.body.apps.map((a) => a.id)).toEqual(['/a', '/b']);
    expect(plain.body.apps[0]).toMatchObject({
      tasksRunning: 1,
      tasksStaged: 0,
      tasksHealthy: 0,
      tasksUnhealthy: 0,
      deployments: [],
    });
    expect(plain.body.apps[0].tasks).toBeUndefined();
    const embedded = await h.json<{ apps: App[] }>(
      'GET',
      '/v2/apps?embed=apps.tasks&embed=apps.lastTaskFailure',
    );
    expect((embedded.body.apps[0].tasks as unknown[]).length).toBe(1);
    expect((await h.json<{ apps: App[] }>('GET', '/v2/apps?cmd=PYTHON')).body.apps.map((a) => a.id)).toEqual([
      '/b',
    ]);
    expect(
      (await h.json<{ apps: App[] }>('GET', '/v2/apps?label=tier==web')).body.apps.map((a) => a.id),
    ).toEqual(['/a']);
    expect((await h.json<{ apps: App[] }>('GET', '/v2/apps?id=b')).body.apps.map((a) => a.id)).toEqual([
      '/b',
    ]);
  });

  it('GET one app includes tasks with the task fields in order; 404 with the exact text', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', { id: '/a', cmd: 'sleep 1000' });
    await allRunning(h, '/a', 1);
    const { body } = await h.json<{ app: App }>('GET', '/v2/apps/a/');
    const task = (body.app.tasks as Record<string, unknown>[])[0];
    expect(Object.keys(task)).toEqual([
      'id',
      'slaveId',
      'host',
      'state',
      'startedAt',
      'stagedAt',
      'ports',
      'version',
      'appId',
    ]);
    expect(task.id).toMatch(/^a\.[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(task.state).toBe('TASK_RUNNING');
    expect(['mesos-agent-1', 'mesos-agent-2']).toContain(task.host);
    const missing = await h.json('GET', '/v2/apps/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: "App '/nope' does not exist" });
  });

  it('unknown URIs answer 404 URI not found', async () => {
    const h = await started();
    const r = await h.json('GET', '/v2/whatever');
    expect(r).toMatchObject({ status: 404, body: { message: 'URI not found: /v2/whatever' } });
  });
});

describe('PUT, DELETE, restart, versions', () => {
  it('PUT scale-only keeps lastConfigChangeAt; a config change bumps it; both answer {version, deploymentId}', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', { id: '/a', cmd: 'sleep 1000' });
    await allRunning(h, '/a', 1);
    const before = (await h.json<{ app: App }>('GET', '/v2/apps/a')).body.app;
    await h.advance(1000);
    const scale = await h.json<Record<string, string>>('PUT', '/v2/apps/a', { instances: 2 });
    expect(scale.status).toBe(200);
    expect(Object.keys(scale.body)).toEqual(['version', 'deploymentId']);
    const deps = (await h.json<{ steps: { actions: { action: string }[] }[] }[]>('GET', '/v2/deployments'))
      .body;
    expect(deps[0].steps.map((s) => s.actions[0].action)).toEqual(['ScaleApplication']);
    await allRunning(h, '/a', 2);
    const after = (await h.json<{ app: App }>('GET', '/v2/apps/a')).body.app;
    const vi = after.versionInfo as { lastScalingAt: string; lastConfigChangeAt: string };
    expect(vi.lastConfigChangeAt).toBe(
      (before.versionInfo as { lastConfigChangeAt: string }).lastConfigChangeAt,
    );
    expect(vi.lastScalingAt).toBe(scale.body.version);
    await h.advance(1000);
    const change = await h.json<Record<string, string>>('PUT', '/v2/apps/a', { cmd: 'sleep 2000' });
    const plan = (await h.json<{ steps: { actions: { action: string }[] }[] }[]>('GET', '/v2/deployments'))
      .body;
    expect(plan[0].steps.map((s) => s.actions[0].action)).toEqual(['RestartApplication']);
    await allRunning(h, '/a', 2);
    const changed = (await h.json<{ app: App }>('GET', '/v2/apps/a')).body.app;
    expect((changed.versionInfo as { lastConfigChangeAt: string }).lastConfigChangeAt).toBe(
      change.body.version,
    );
    expect((changed.tasks as { version: string }[]).every((t) => t.version === change.body.version)).toBe(
      true,
    );
    const versions = (await h.json<{ versions: string[] }>('GET', '/v2/apps/a/versions')).body.versions;
    expect(versions).toHaveLength(3);
    expect(versions[0]).toBe(change.body.version);
    const old = await h.json<App>('GET', `/v2/apps/a/versions/${versions[2]}`);
    expect(old.body.cmd).toBe('sleep 1000');
    expect(old.body.tasksRunning).toBeUndefined();
  });

  it('PUT on a missing app creates it with 201 and Location', async () => {
    const h = await started();
    const res = await h.request('PUT', '/v2/apps/novo', { cmd: 'sleep 1' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('http://localhost:8080/v2/apps/novo/novo');
    expect(h.core.apps.has('/novo')).toBe(true);
  });

  it('409 while locked, force overrides; DELETE is forceful by default and 404s at once', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', {
      id: '/u',
      cmd: 'sleep 1000',
      instances: 3,
      constraints: [['hostname', 'UNIQUE']],
    });
    await h.advance(5000);
    const depId = [...h.core.deployments.keys()][0];
    const locked = await h.json('PUT', '/v2/apps/u', { cmd: 'sleep 5' });
    expect(locked.status).toBe(409);
    expect(locked.body).toEqual({
      message: `App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/${depId}'.`,
      deployments: [{ id: depId }],
    });
    const restart = await h.json('POST', '/v2/apps/u/restart');
    expect(restart.status).toBe(409);
    const forced = await h.json('PUT', '/v2/apps/u?force=true', { instances: 2 });
    expect(forced.status).toBe(200);
    expect(h.core.deployments.has(depId)).toBe(false);
    const del = await h.json('DELETE', '/v2/apps/u');
    expect(del.status).toBe(200);
    expect((await h.json('GET', '/v2/apps/u')).status).toBe(404);
    expect(await h.until(() => h.core.tasks.size === 0 && h.core.deployments.size === 0, 10_000)).toBe(true);
    expect((await h.json('DELETE', '/v2/apps/u')).body).toEqual({ message: "App '/u' does not exist" });
  });

  it('restart replaces every task and keeps lastConfigChangeAt', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', { id: '/r', cmd: 'sleep 1000', instances: 2 });
    await allRunning(h, '/r', 2);
    const oldIds = h.core.tasksOf('/r').map((t) => t.id);
    const res = await h.json<{ version: string }>('POST', '/v2/apps/r/restart');
    expect(res.status).toBe(200);
    await allRunning(h, '/r', 2);
    const newIds = h.core.tasksOf('/r').map((t) => t.id);
    expect(newIds.some((id) => oldIds.includes(id))).toBe(false);
    const app = (await h.json<{ app: App }>('GET', '/v2/apps/r')).body.app;
    expect(app.version).toBe(res.body.version);
    const vi = app.versionInfo as { lastScalingAt: string; lastConfigChangeAt: string };
    expect(vi.lastScalingAt).toBe(res.body.version);
    expect(vi.lastConfigChangeAt).not.toBe(res.body.version);
  });
});

describe('tasks endpoints', () => {
  it('kill without scale answers {task} and a replacement starts; with scale it is a deployment', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', { id: '/k', cmd: 'sleep 1000', instances: 2 });
    await allRunning(h, '/k', 2);
    const [t1, t2] = h.core.tasksOf('/k').map((t) => t.id);
    const kill = await h.json<{ task: Record<string, unknown> }>('DELETE', `/v2/apps/k/tasks/${t1}`);
    expect(kill.status).toBe(200);
    expect(kill.body.task.id).toBe(t1);
    expect(kill.body.task.appId).toBeUndefined();
    expect(await h.until(() => !h.core.tasks.has(t1) && h.core.liveTasks('/k').length === 2, 10_000)).toBe(
      true,
    );
    const scaled = await h.json<Record<string, string>>('DELETE', `/v2/apps/k/tasks/${t2}?scale=true`);
    expect(Object.keys(scaled.body)).toEqual(['version', 'deploymentId']);
    expect(await allRunning(h, '/k', 1)).toBe(true);
    expect(h.core.apps.get('/k')!.instances).toBe(1);
    expect(h.core.tasks.has(t2)).toBe(false);
    const bad = await h.json('DELETE', `/v2/apps/k/tasks/k.nope`);
    expect(bad.body).toEqual({ message: "Task 'k.nope' does not exist" });
    const both = await h.json('DELETE', `/v2/apps/k/tasks/${t2}?scale=true&wipe=true`);
    expect(both).toMatchObject({
      status: 400,
      body: { message: 'You cannot use scale and wipe at the same time.' },
    });
  });

  it('/v2/tasks adds servicePorts and filters by status; text/plain lists endpoints', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', { id: '/t', cmd: 'sleep 1000' });
    await allRunning(h, '/t', 1);
    const { body } = await h.json<{ tasks: Record<string, unknown>[] }>('GET', '/v2/tasks?status=running');
    expect(body.tasks).toHaveLength(1);
    expect(body.tasks[0].servicePorts).toEqual([10000]);
    expect((await h.json<{ tasks: unknown[] }>('GET', '/v2/tasks?status=staging')).body.tasks).toHaveLength(
      0,
    );
    const text = await (await h.request('GET', '/v2/tasks', undefined, { Accept: 'text/plain' })).text();
    const task = h.core.tasksOf('/t')[0];
    expect(text).toBe(`t\t10000\t${task.host}:${task.ports[0]}\t\n`);
    const del = await h.json<{ tasks: unknown[] }>('POST', '/v2/tasks/delete', { ids: [task.id] });
    expect(del.body.tasks).toHaveLength(1);
    expect((await h.json('POST', '/v2/tasks/delete', { ids: ['semponto'] })).body).toEqual({
      message: "Invalid task id 'semponto'.",
    });
  });
});

describe('deployments, groups, queue, info, leader, ping, metrics', () => {
  it('GET /v2/deployments is a bare array with 1-based currentStep; DELETE rolls back or, forced, 202', async () => {
    const h = await started();
    const post = await h.json<{ deployments: { id: string }[] }>('POST', '/v2/apps', {
      id: '/d',
      cmd: 'sleep 1000',
      instances: 3,
      constraints: [['hostname', 'UNIQUE']],
    });
    await h.advance(5000);
    const list = await h.json<Record<string, unknown>[]>('GET', '/v2/deployments');
    expect(Array.isArray(list.body)).toBe(true);
    expect(Object.keys(list.body[0])).toEqual([
      'id',
      'version',
      'affectedApps',
      'steps',
      'currentActions',
      'currentStep',
      'totalSteps',
    ]);
    expect(list.body[0]).toMatchObject({
      id: post.body.deployments[0].id,
      affectedApps: ['/d'],
      steps: [
        { actions: [{ action: 'StartApplication', app: '/d' }] },
        { actions: [{ action: 'ScaleApplication', app: '/d' }] },
      ],
      currentActions: [{ action: 'ScaleApplication', app: '/d', readinessCheckResults: [] }],
      currentStep: 2,
      totalSteps: 2,
    });
    const rollback = await h.json<{ deploymentId: string }>(
      'DELETE',
      `/v2/deployments/${post.body.deployments[0].id}`,
    );
    expect(rollback.status).toBe(200);
    expect(await h.until(() => h.core.deployments.size === 0 && h.core.tasks.size === 0, 10_000)).toBe(true);
    expect(h.core.apps.has('/d')).toBe(false);
    expect((await h.json('DELETE', '/v2/deployments/nope')).body).toEqual({
      message: 'DeploymentPlan nope does not exist',
    });

    const again = await h.json<{ deployments: { id: string }[] }>('POST', '/v2/apps', {
      id: '/d',
      cmd: 'sleep 1000',
      instances: 3,
      constraints: [['hostname', 'UNIQUE']],
    });
    await h.advance(5000);
    const forced = await h.request('DELETE', `/v2/deployments/${again.body.deployments[0].id}?force=true`);
    expect(forced.status).toBe(202);
    expect(await forced.text()).toBe('');
    expect(h.core.apps.get('/d')!.instances).toBe(3);
  });

  it('groups: the root tree, nested groups from app ids, 404 for unknown ones', async () => {
    const h = await started();
    const empty = await h.json<Record<string, unknown>>('GET', '/v2/groups');
    expect(Object.keys(empty.body)).toEqual(['id', 'dependencies', 'version', 'apps', 'groups']);
    await h.request('POST', '/v2/apps', { id: '/prod/web', cmd: 'sleep 1' });
    const root = await h.json<{ groups: { id: string; apps: App[] }[] }>('GET', '/v2/groups');
    expect(root.body.groups[0].id).toBe('/prod');
    expect(root.body.groups[0].apps[0].id).toBe('/prod/web');
    expect(root.body.groups[0].apps[0].tasksRunning).toBeUndefined();
    expect((await h.json('GET', '/v2/groups/prod')).status).toBe(200);
    expect((await h.json('GET', '/v2/groups/nada')).body).toEqual({
      message: "Group '/nada' does not exist",
    });
    const created = await h.json('POST', '/v2/groups', { id: '/lab', apps: [{ id: 'x', cmd: 'sleep 1' }] });
    expect(created.status).toBe(201);
    expect(h.core.apps.has('/lab/x')).toBe(true);
    const dup = await h.json('POST', '/v2/groups', { id: '/lab' });
    expect(dup.body).toEqual({ message: 'Group /lab is already created. Use PUT to change this group.' });
  });

  it('queue shows what cannot be placed, with the delay; DELETE delay answers 204', async () => {
    const h = await started();
    await h.request('POST', '/v2/apps', {
      id: '/q',
      cmd: 'sleep 1000',
      instances: 3,
      constraints: [['hostname', 'UNIQUE']],
    });
    await h.advance(10_000);
    const { body } = await h.json<{ queue: { app: App; count: number; delay: unknown }[] }>(
      'GET',
      '/v2/queue',
    );
    expect(body.queue).toHaveLength(1);
    expect(Object.keys(body.queue[0])).toEqual(['app', 'count', 'delay']);
    expect(body.queue[0].count).toBe(1);
    expect(body.queue[0].delay).toEqual({ timeLeftSeconds: 0, overdue: true });
    expect((await h.request('DELETE', '/v2/queue/q/delay')).status).toBe(204);
    expect((await h.json('DELETE', '/v2/queue/zzz/delay')).body).toEqual({
      message: 'Application /zzz not found in tasks queue.',
    });
  });

  it('info, leader, ping and metrics', async () => {
    const h = await started();
    const info = await h.json<Record<string, unknown>>('GET', '/v2/info');
    expect(info.body).toMatchObject({
      name: 'marathon',
      version: '1.3.6',
      elected: true,
      leader: 'marathon:8080',
      frameworkId: 'fw-0001',
    });
    expect(Object.keys(info.body)).toEqual([
      'name',
      'version',
      'buildref',
      'elected',
      'leader',
      'frameworkId',
      'marathon_config',
      'zookeeper_config',
      'event_subscriber',
      'http_config',
    ]);
    expect((await h.json('GET', '/v2/leader')).body).toEqual({ leader: 'marathon:8080' });
    const ping = await h.request('GET', '/ping');
    expect(await ping.text()).toBe('pong\n');
    expect(ping.headers.get('cache-control')).toBe('must-revalidate,no-cache,no-store');
    const metrics = await h.json<Record<string, unknown>>('GET', '/metrics');
    expect(Object.keys(metrics.body)).toEqual([
      'version',
      'gauges',
      'counters',
      'histograms',
      'meters',
      'timers',
    ]);
  });

  it('events: heartbeat CRLF every 10 s, and the stream ends when Marathon stops', async () => {
    const h = await started();
    const res = await h.request('GET', '/v2/events', undefined, { Accept: 'text/event-stream' });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    expect(dec.decode((await reader.read()).value)).toMatch(/^event: event_stream_attached\r\n/);
    h.clock.advance(10_000);
    expect(dec.decode((await reader.read()).value)).toBe('\r\n');
    h.service.stop();
    expect((await reader.read()).done).toBe(true);
    expect(h.core.streams.size).toBe(0);
  });

  it('events: 405 HTML without Accept: text/event-stream', async () => {
    const h = await started();
    const res = await h.request('GET', '/v2/events');
    expect(res.status).toBe(405);
    expect(await res.text()).toContain('HTTP method GET is not supported by this URL');
    const wrong = await h.request('GET', '/v2/events', undefined, { Accept: 'application/json' });
    expect(wrong.status).toBe(405);
  });
});
