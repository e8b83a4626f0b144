// The REST API of Marathon 1.3.6 (v2) over the scheduler core, as a Hono app. Response
// bodies, status codes and headers follow shared/specs/marathon-1.3.6.md.
import { Hono, type Context } from 'hono';
import { mountWebUi } from '../../web/index.ts';
import { isTerminal } from '../mesos/api.ts';
import { appIdOfTask, canonicalId, parentId, segments } from './ids.ts';
import { isoTime, stringify } from './json.ts';
import { appJson, type AppDefinition } from './model.ts';
import type { AppEmbed, Deployment, Marathon, TaskRecord } from './marathon.ts';
import { parseJsonBody, readApp, type ErrorBody } from './validate.ts';

const JSON_TYPE = 'application/json';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(stringify(body), { status, headers: { 'Content-Type': JSON_TYPE, ...headers } });
}

function message(status: number, text: string): Response {
  return json(status, { message: text });
}

const appNotFound = (id: string) => message(404, `App '${id}' does not exist`);

function boolParam(c: Context, name: string, dflt: boolean): boolean {
  const v = c.req.query(name);
  if (v === undefined) return dflt;
  return v === 'true' || v === '';
}

function lockedBody(ids: string[]): Response {
  return json(409, {
    message: `App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/${ids[0]}'.`,
    deployments: ids.map((id) => ({ id })),
  });
}

function deploymentResult(d: Deployment, status = 200, headers: Record<string, string> = {}): Response {
  return json(status, { version: isoTime(d.version), deploymentId: d.id }, headers);
}

/** embed=apps.tasks, app.tasks, tasks, ... (InfoEmbedResolver); unknown values are ignored. */
function parseEmbed(values: string[]): AppEmbed {
  const out: AppEmbed = {};
  for (const raw of values) {
    const v = raw.replace(/^apps?\./, '');
    if (v === 'tasks') out.tasks = out.deployments = true;
    else if (v === 'counts') out.counts = true;
    else if (v === 'deployments') out.deployments = true;
    else if (v === 'readiness') out.readiness = true;
    else if (v === 'lastTaskFailure') out.lastTaskFailure = true;
    else if (v === 'taskStats') out.taskStats = true;
    else if (v === 'failures') out.tasks = out.lastTaskFailure = out.deployments = true;
  }
  return out;
}

/** Kubernetes-style label selector of /v2/apps?label=. */
function labelMatch(labels: Record<string, string>, selector: string): boolean {
  const parts = selector.match(/([^,(]+(\([^)]*\))?)/g) ?? [];
  return parts.every((p) => {
    const s = p.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([^!=\s]+)\s*==\s*(.*)$/.exec(s))) return labels[m[1]] === m[2].trim();
    if ((m = /^([^!=\s]+)\s*!=\s*(.*)$/.exec(s))) return labels[m[1]] !== m[2].trim();
    if ((m = /^(\S+)\s+in\s*\((.*)\)$/.exec(s)))
      return m[2]
        .split(',')
        .map((x) => x.trim())
        .includes(labels[m[1]] ?? '\u0000');
    if ((m = /^(\S+)\s+notin\s*\((.*)\)$/.exec(s)))
      return !m[2]
        .split(',')
        .map((x) => x.trim())
        .includes(labels[m[1]] ?? '\u0000');
    return s === '' || labels[s] !== undefined;
  });
}

async function readBody(c: Context): Promise<{ ok: true; value: unknown } | { ok: false; res: Response }> {
  const text = await c.req.text();
  const parsed = parseJsonBody(text);
  if (!parsed.ok) return { ok: false, res: json(400, parsed.body) };
  return { ok: true, value: parsed.value };
}

function errorResponse(status: number, body: ErrorBody): Response {
  return json(status, body);
}

const JETTY_405 = (path: string) =>
  `<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>\n<title>Error 405 HTTP method GET is not supported by this URL</title>\n</head>\n<body><h2>HTTP ERROR 405</h2>\n<p>Problem accessing ${path}. Reason:\n<pre>    HTTP method GET is not supported by this URL</pre></p><hr><i><small>Powered by Jetty:// 9.3.z-SNAPSHOT</small></i><hr/>\n</body>\n</html>\n`;

export function createMarathonApi(m: Marathon): Hono {
  const api = new Hono();

  // Headers of every response (CacheDisablingFilter, LeaderProxyFilter).
  api.use('*', async (c, next) => {
    await next();
    const h = c.res.headers;
    if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-cache, no-store, must-revalidate');
    h.set('Pragma', 'no-cache');
    h.set('Expires', '0');
    if (m.elected) h.set('X-Marathon-Leader', `http://${m.leader}`);
    h.set('Server', 'Jetty(9.3.z-SNAPSHOT)');
  });

  const clientIp = (c: Context) => c.req.header('x-forwarded-for')?.split(',')[0].trim() || '127.0.0.1';

  const appsListView = (app: AppDefinition, embed: AppEmbed) =>
    m.appInfoJson(app, { ...embed, counts: true, deployments: true });

  // ------------------------------------------------------------ /v2/apps
  api.get('/v2/apps', (c) => {
    const embed = parseEmbed(c.req.queries('embed') ?? []);
    const cmd = c.req.query('cmd')?.toLowerCase();
    const id = c.req.query('id')?.toLowerCase();
    const label = c.req.query('label');
    const apps = [...m.apps.values()]
      .filter((a) => (cmd ? (a.cmd ?? '').toLowerCase().includes(cmd) : true))
      .filter((a) => (id ? a.id.toLowerCase().includes(id) : true))
      .filter((a) => (label ? labelMatch(a.labels, label) : true))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    return json(200, { apps: apps.map((a) => appsListView(a, embed)) });
  });

  api.post('/v2/apps', async (c) => {
    const body = await readBody(c);
    if (!body.ok) return body.res;
    const now = m.now;
    const read = readApp(body.value, { now });
    if (!read.ok) return errorResponse(read.status, read.body);
    const submitted = read.app;
    if (m.apps.has(submitted.id)) return message(409, `An app with id [${submitted.id}] already exists.`);
    const target: AppDefinition = {
      ...m.assignServicePorts(submitted),
      versionInfo: { lastScalingAt: now, lastConfigChangeAt: now },
    };
    const result = m.deploy([{ appId: target.id, target }], boolParam(c, 'force', false), now);
    if ('locked' in result) return lockedBody(result.locked);
    m.events.publish('api_post_event', () => ({
      clientIp: clientIp(c),
      uri: '/v2/apps',
      appDefinition: appJson(target),
    }));
    const out = appJson(submitted, { withVersionInfo: false });
    Object.assign(out, {
      tasksStaged: 0,
      tasksRunning: 0,
      tasksHealthy: 0,
      tasksUnhealthy: 0,
      deployments: [{ id: result.deployment.id }],
      tasks: [],
    });
    const url = new URL(c.req.url);
    const location = `${url.protocol}//${url.host}/v2/apps${target.id}`;
    const res = json(201, out, { Location: location });
    m.drive();
    return res;
  });

  // /v2/apps/{id}[/tasks[/{taskId}]|/restart|/versions[/{v}]]: ids contain slashes, so one route parses them.
  api.all('/v2/apps/*', async (c) => {
    const rest = c.req.path.slice('/v2/apps/'.length);
    const segs = rest.split('/').filter((s) => s.length > 0);
    const method = c.req.method;
    const tail = segs[segs.length - 1];
    const beforeTail = segs[segs.length - 2];
    if (tail === 'tasks') return appTasks(c, '/' + segs.slice(0, -1).join('/'), method);
    if (beforeTail === 'tasks') return appTask(c, '/' + segs.slice(0, -2).join('/'), tail, method);
    if (tail === 'restart' && method === 'POST') return restart(c, '/' + segs.slice(0, -1).join('/'));
    if (tail === 'versions' && method === 'GET') return versions(c, '/' + segs.slice(0, -1).join('/'));
    if (beforeTail === 'versions' && method === 'GET')
      return version(c, '/' + segs.slice(0, -2).join('/'), tail);
    const id = canonicalId(segs.join('/'));
    if (method === 'GET') return getApp(c, id, rest);
    if (method === 'PUT') return putApp(c, id);
    if (method === 'DELETE') return deleteApp(c, id);
    return message(405, 'Method Not Allowed');
  });

  function getApp(c: Context, id: string, raw: string): Response {
    const embed = parseEmbed(c.req.queries('embed') ?? []);
    if (raw.endsWith('*')) {
      const groupId = canonicalId(raw.replace(/\*$/, ''));
      const apps = [...m.apps.values()].filter((a) => a.id.startsWith(groupId === '/' ? '/' : groupId + '/'));
      return json(200, { '*': apps.map((a) => appsListView(a, embed)) });
    }
    const app = m.apps.get(id);
    if (!app) return appNotFound(id);
    return json(200, {
      app: m.appInfoJson(app, {
        ...embed,
        counts: true,
        deployments: true,
        tasks: true,
        lastTaskFailure: true,
      }),
    });
  }

  async function putApp(c: Context, id: string): Promise<Response> {
    const body = await readBody(c);
    if (!body.ok) return body.res;
    const now = m.now;
    const force = boolParam(c, 'force', false);
    const current = m.apps.get(id);
    const read = readApp(body.value, { base: current, pathId: id, now });
    if (!read.ok) return errorResponse(read.status, read.body);
    let target: AppDefinition;
    if (read.rollbackVersion !== undefined && current) {
      const old = m.versions.get(id)?.get(read.rollbackVersion);
      if (!old) return appNotFound(id);
      target = { ...old, version: now };
    } else target = read.app;
    target = m.assignServicePorts(target, current);
    const scaleOnly =
      current !== undefined &&
      JSON.stringify({ ...current, instances: 0, version: 0, versionInfo: undefined }) ===
        JSON.stringify({ ...target, instances: 0, version: 0, versionInfo: undefined });
    target.versionInfo = {
      lastScalingAt: now,
      lastConfigChangeAt:
        scaleOnly && current ? (current.versionInfo?.lastConfigChangeAt ?? current.version) : now,
    };
    const result = m.deploy([{ appId: id, target }], force, now);
    if ('locked' in result) return lockedBody(result.locked);
    m.events.publish('api_post_event', () => ({
      clientIp: clientIp(c),
      uri: c.req.path,
      appDefinition: appJson(target),
    }));
    m.drive();
    if (!current) {
      // Jersey resolves the relative Location against the request path (spec §2.4, quirk kept).
      const url = new URL(c.req.url);
      return deploymentResult(result.deployment, 201, {
        Location: `${url.protocol}//${url.host}${c.req.path}${id}`,
      });
    }
    return deploymentResult(result.deployment);
  }

  function deleteApp(c: Context, id: string): Response {
    if (!m.apps.has(id)) return appNotFound(id);
    const result = m.deploy([{ appId: id, target: null }], boolParam(c, 'force', true), m.now);
    if ('locked' in result) return lockedBody(result.locked);
    m.drive();
    return deploymentResult(result.deployment);
  }

  async function restart(c: Context, id: string): Promise<Response> {
    const app = m.apps.get(canonicalId(id));
    if (!app) return appNotFound(canonicalId(id));
    const now = m.now;
    const target: AppDefinition = {
      ...app,
      version: now,
      versionInfo: {
        lastScalingAt: now,
        lastConfigChangeAt: app.versionInfo?.lastConfigChangeAt ?? app.version,
      },
    };
    const result = m.deploy([{ appId: app.id, target, restart: true }], boolParam(c, 'force', false), now);
    if ('locked' in result) return lockedBody(result.locked);
    m.drive();
    return deploymentResult(result.deployment);
  }

  function versions(_c: Context, rawId: string): Response {
    const id = canonicalId(rawId);
    if (!m.apps.has(id)) return appNotFound(id);
    const list = [...(m.versions.get(id)?.keys() ?? [])].sort((a, b) => b - a).map(isoTime);
    return json(200, { versions: list });
  }

  function version(_c: Context, rawId: string, v: string): Response {
    const id = canonicalId(rawId);
    if (!m.apps.has(id)) return appNotFound(id);
    const t = Date.parse(v);
    const app = Number.isNaN(t) ? undefined : m.versions.get(id)?.get(t);
    if (!app) return message(404, `App '${id}' does not exist in version ${v}`);
    return json(200, appJson(app));
  }

  function textTaskList(apps: AppDefinition[]): Response {
    // EndpointsHelper: app, service port, then host:port of each running task, tab-separated.
    let out = '';
    for (const app of apps) {
      if (app.ipAddress !== null) continue;
      const running = m.tasksOf(app.id).filter((t) => t.state === 'TASK_RUNNING' && !t.unreachable);
      app.portDefinitions.forEach((p, i) => {
        out += `${app.id.slice(1).split('/').join('_')}\t${p.port}\t`;
        for (const t of running) if (t.ports[i] !== undefined) out += `${t.host}:${t.ports[i]}\t`;
        out += '\n';
      });
    }
    return new Response(out, { status: 200, headers: { 'Content-Type': 'text/plain' } });
  }

  function wantsText(c: Context): boolean {
    const accept = c.req.header('accept') ?? '';
    return accept.includes('text/plain') && !accept.includes('application/json');
  }

  function appTasks(c: Context, rawId: string, method: string): Response {
    const id = canonicalId(rawId.replace(/\/\*$/, '').replace(/\*$/, ''));
    const group = rawId.endsWith('*');
    const apps = group
      ? [...m.apps.values()].filter((a) => a.id.startsWith(id === '/' ? '/' : id + '/'))
      : m.apps.has(id)
        ? [m.apps.get(id)!]
        : [];
    if (!group && apps.length === 0) return appNotFound(id);
    if (method === 'GET') {
      if (wantsText(c)) return textTaskList(apps);
      return json(200, {
        tasks: apps.flatMap((a) => m.tasksOf(a.id).map((t) => m.enrichedTaskJson(t, false))),
      });
    }
    if (method === 'DELETE') {
      const host = c.req.query('host');
      const scale = boolParam(c, 'scale', false);
      if (scale && boolParam(c, 'wipe', false))
        return message(400, 'You cannot use scale and wipe at the same time.');
      const app = apps[0];
      const tasks = m.tasksOf(app.id).filter((t) => host === undefined || host === '*' || t.host === host);
      return killTasks(c, app, tasks, scale, boolParam(c, 'force', false));
    }
    return message(405, 'Method Not Allowed');
  }

  function killTasks(
    c: Context,
    app: AppDefinition,
    tasks: TaskRecord[],
    scale: boolean,
    force: boolean,
  ): Response {
    if (!scale) {
      for (const t of tasks) m.killTask(t);
      m.drive();
      return json(200, { tasks: tasks.map((t) => m.taskJson(t)) });
    }
    if (m.tasksOf(app.id).length === 0) return appNotFound(app.id);
    const now = m.now;
    const target: AppDefinition = {
      ...app,
      instances: Math.max(0, app.instances - tasks.length),
      version: now,
      versionInfo: {
        lastScalingAt: now,
        lastConfigChangeAt: app.versionInfo?.lastConfigChangeAt ?? app.version,
      },
    };
    const result = m.deploy([{ appId: app.id, target, sentenced: tasks.map((t) => t.id) }], force, now);
    if ('locked' in result) return lockedBody(result.locked);
    m.drive();
    void c;
    return deploymentResult(result.deployment);
  }

  function appTask(c: Context, rawId: string, taskId: string, method: string): Response {
    const id = canonicalId(rawId);
    const app = m.apps.get(id);
    if (!app) return appNotFound(id);
    const task = m.tasks.get(taskId);
    // AppTasksResource serves only DELETE on a single task.
    if (method !== 'DELETE') return message(405, 'Method Not Allowed');
    const scale = boolParam(c, 'scale', false);
    if (scale && boolParam(c, 'wipe', false))
      return message(400, 'You cannot use scale and wipe at the same time.');
    if (!scale) {
      if (!task || task.appId !== id) return message(404, `Task '${taskId}' does not exist`);
      m.killTask(task);
      m.drive();
      return json(200, { task: m.taskJson(task) });
    }
    return killTasks(c, app, task && task.appId === id ? [task] : [], true, boolParam(c, 'force', false));
  }

  // ------------------------------------------------------------ /v2/tasks
  api.get('/v2/tasks', (c) => {
    const statuses = [...(c.req.queries('status') ?? []), ...(c.req.queries('status[]') ?? [])];
    const filters = statuses.filter((s) => s === 'running' || s === 'staging');
    const apps = [...m.apps.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    if (wantsText(c)) return textTaskList(apps);
    const tasks = [...m.tasks.values()].filter((t) => {
      if (filters.length === 0) return true;
      return filters.some((f) => (f === 'running' ? t.state === 'TASK_RUNNING' : t.state === 'TASK_STAGING'));
    });
    return json(200, { tasks: tasks.map((t) => m.enrichedTaskJson(t, true)) });
  });

  api.post('/v2/tasks/delete', async (c) => {
    const body = await readBody(c);
    if (!body.ok) return body.res;
    const v = body.value as { ids?: unknown };
    if (typeof v !== 'object' || v === null || !Array.isArray(v.ids))
      return json(400, {
        message: 'Invalid JSON',
        details: [{ path: '/ids', errors: ['error.path.missing'] }],
      });
    const ids = v.ids.map(String);
    for (const id of ids) if (!appIdOfTask(id)) return message(400, `Invalid task id '${id}'.`);
    const scale = boolParam(c, 'scale', false);
    if (scale && boolParam(c, 'wipe', false))
      return message(400, 'You cannot use scale and wipe at the same time.');
    const tasks = ids.map((id) => m.tasks.get(id)).filter((t): t is TaskRecord => t !== undefined);
    if (!scale) {
      for (const t of tasks) m.killTask(t);
      m.drive();
      return json(200, { tasks: tasks.map((t) => m.taskJson(t)) });
    }
    const byApp = new Map<string, TaskRecord[]>();
    for (const t of tasks) byApp.set(t.appId, [...(byApp.get(t.appId) ?? []), t]);
    const now = m.now;
    const changes = [...byApp].flatMap(([appId, list]) => {
      const app = m.apps.get(appId);
      if (!app) return [];
      return [
        {
          appId,
          target: {
            ...app,
            instances: Math.max(0, app.instances - list.length),
            version: now,
            versionInfo: {
              lastScalingAt: now,
              lastConfigChangeAt: app.versionInfo?.lastConfigChangeAt ?? app.version,
            },
          },
          sentenced: list.map((t) => t.id),
        },
      ];
    });
    const result = m.deploy(changes, boolParam(c, 'force', false), now);
    if ('locked' in result) return lockedBody(result.locked);
    m.drive();
    return deploymentResult(result.deployment);
  });

  // ------------------------------------------------------------ /v2/deployments
  api.get('/v2/deployments', () =>
    json(
      200,
      [...m.deployments.values()].map((d) => m.deploymentJson(d)),
    ),
  );

  api.delete('/v2/deployments/:id', (c) => {
    const id = c.req.param('id');
    const d = m.deployments.get(id);
    if (!d) return message(404, `DeploymentPlan ${id} does not exist`);
    if (boolParam(c, 'force', false)) {
      m.cancelDeployment(d, true);
      m.drive();
      return new Response(null, { status: 202 });
    }
    const result = m.rollback(d);
    if ('locked' in result) return lockedBody(result.locked);
    m.drive();
    return deploymentResult(result.deployment);
  });

  // ------------------------------------------------------------ /v2/groups
  const groupView = (c: Context) => {
    const embed = c.req.queries('embed') ?? [];
    const e = parseEmbed(embed.map((x) => x.replace(/^group\./, '')));
    const any = Object.keys(e).length > 0;
    return (a: AppDefinition) => (any ? m.appInfoJson(a, e) : appJson(a));
  };

  api.get('/v2/groups', (c) => json(200, m.groupJson('/', m.apps, { appView: groupView(c) })));

  api.all('/v2/groups/*', async (c) => {
    const rest = c.req.path.slice('/v2/groups'.length);
    const method = c.req.method;
    if (method === 'GET' && rest.endsWith('/versions')) {
      const gid = canonicalId(rest.slice(0, -'/versions'.length));
      if (!m.allGroupIds().has(gid)) return message(404, `Group '${gid}' does not exist`);
      return json(200, [
        isoTime(gid === '/' ? m.rootVersion : (m.groups.get(gid)?.version ?? m.rootVersion)),
      ]);
    }
    const gid = canonicalId(rest);
    if (method === 'GET') {
      if (!m.allGroupIds().has(gid)) return message(404, `Group '${gid}' does not exist`);
      return json(200, m.groupJson(gid, m.apps, { appView: groupView(c) }));
    }
    if (method === 'DELETE') return deleteGroup(c, gid);
    if (method === 'POST' || method === 'PUT') return upsertGroup(c, gid, method);
    return message(405, 'Method Not Allowed');
  });

  api.post('/v2/groups', async (c) => upsertGroup(c, undefined, 'POST'));
  api.put('/v2/groups', async (c) => upsertGroup(c, '/', 'PUT'));
  api.delete('/v2/groups', (c) => deleteGroup(c, '/'));

  function deleteGroup(c: Context, gid: string): Response {
    if (!m.allGroupIds().has(gid)) return message(404, `Group '${gid}' does not exist`);
    const prefix = gid === '/' ? '/' : gid + '/';
    const apps = [...m.apps.keys()].filter((id) => id.startsWith(prefix));
    const now = m.now;
    const result = m.deploy(
      apps.map((appId) => ({ appId, target: null })),
      boolParam(c, 'force', false),
      now,
    );
    if ('locked' in result) return lockedBody(result.locked);
    if (gid !== '/') m.deleteGroupRecords(gid);
    m.drive();
    return deploymentResult(result.deployment);
  }

  async function upsertGroup(c: Context, pathId: string | undefined, method: string): Promise<Response> {
    const body = await readBody(c);
    if (!body.ok) return body.res;
    const v = body.value as Record<string, unknown>;
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      return json(400, {
        message: 'Invalid JSON',
        details: [{ path: '', errors: ['error.expected.jsobject'] }],
      });
    let gid: string;
    if (pathId !== undefined && pathId !== '/') gid = pathId;
    else if (typeof v.id === 'string') gid = canonicalId(v.id, pathId ?? '/');
    else if (pathId === '/') gid = '/';
    else
      return json(400, {
        message: 'Invalid JSON',
        details: [{ path: '/id', errors: ['error.path.missing'] }],
      });
    if (method === 'POST' && gid !== '/' && m.allGroupIds().has(gid))
      return message(409, `Group ${gid} is already created. Use PUT to change this group.`);
    const now = m.now;
    const changes: { appId: string; target: AppDefinition }[] = [];
    const errors: { path: string; errors: string[] }[] = [];
    const collect = (group: Record<string, unknown>, base: string, pathPrefix: string) => {
      const apps = Array.isArray(group.apps) ? group.apps : [];
      apps.forEach((a, i) => {
        const rawId = typeof (a as { id?: unknown })?.id === 'string' ? (a as { id: string }).id : undefined;
        const id = rawId ? canonicalId(rawId, base) : undefined;
        const current = id ? m.apps.get(id) : undefined;
        const read = readApp(a, { now, base: current, pathId: id });
        if (!read.ok) {
          const details = Array.isArray(read.body.details) ? read.body.details : [];
          for (const d of details)
            errors.push({
              path: `${pathPrefix}/apps(${i})${d.path === '/' ? '' : d.path}`,
              errors: d.errors,
            });
          return;
        }
        const target = m.assignServicePorts(read.app, current);
        target.versionInfo = { lastScalingAt: now, lastConfigChangeAt: now };
        changes.push({ appId: target.id, target });
      });
      const groups = Array.isArray(group.groups) ? group.groups : [];
      groups.forEach((g, i) => {
        if (typeof g === 'object' && g !== null) {
          const gg = g as Record<string, unknown>;
          const sub = typeof gg.id === 'string' ? canonicalId(gg.id, base) : base;
          m.saveGroup({ id: sub, version: now, dependencies: [] });
          collect(gg, sub, `${pathPrefix}/groups(${i})`);
        }
      });
    };
    collect(v, gid, '');
    if (errors.length > 0) return json(422, { message: 'Object is not valid', details: errors });
    if (typeof v.scaleBy === 'number') {
      const prefix = gid === '/' ? '/' : gid + '/';
      for (const app of m.apps.values())
        if (app.id.startsWith(prefix))
          changes.push({
            appId: app.id,
            target: {
              ...app,
              instances: Math.ceil(app.instances * (v.scaleBy as number)),
              version: now,
              versionInfo: {
                lastScalingAt: now,
                lastConfigChangeAt: app.versionInfo?.lastConfigChangeAt ?? app.version,
              },
            },
          });
    }
    const result = m.deploy(changes, boolParam(c, 'force', false), now);
    if ('locked' in result) return lockedBody(result.locked);
    if (gid !== '/') {
      m.saveGroup({
        id: gid,
        version: now,
        dependencies: Array.isArray(v.dependencies)
          ? v.dependencies.map((d) => canonicalId(String(d), parentId(gid)))
          : [],
      });
    }
    m.drive();
    if (method === 'POST') {
      const url = new URL(c.req.url);
      return deploymentResult(result.deployment, 201, {
        Location: `${url.protocol}//${url.host}/v2/groups${gid}`,
      });
    }
    return deploymentResult(result.deployment);
  }

  // ------------------------------------------------------------ /v2/queue
  api.get('/v2/queue', () => {
    const queue = [...m.launchNeeds()].map(([appId, count]) => ({
      app: appJson(m.apps.get(appId)!),
      count,
      delay: m.delayOf(appId),
    }));
    return json(200, { queue });
  });

  api.delete('/v2/queue/*', (c) => {
    const rest = c.req.path.slice('/v2/queue'.length);
    if (!rest.endsWith('/delay')) return message(404, `URI not found: ${c.req.path}`);
    const id = canonicalId(rest.slice(0, -'/delay'.length));
    if (!m.launchNeeds().has(id)) return message(404, `Application ${id} not found in tasks queue.`);
    m.resetDelay(id);
    m.drive();
    return new Response(null, { status: 204 });
  });

  // ------------------------------------------------------------ info, leader, ping, metrics
  api.get('/v2/info', () =>
    json(200, {
      name: 'marathon',
      version: '1.3.6',
      buildref: '35d6f37a3f50c8b9cac20f78c9af224271be438e',
      elected: m.elected,
      leader: m.elected ? m.leader : null,
      frameworkId: m.frameworkId,
      marathon_config: {
        master: m.masterUrl,
        failover_timeout: 604800,
        framework_name: 'marathon',
        ha: true,
        checkpoint: true,
        local_port_min: 10000,
        local_port_max: 20000,
        executor: '//cmd',
        hostname: m.hostname,
        webui_url: null,
        mesos_role: null,
        task_launch_timeout: 300000,
        task_reservation_timeout: 20000,
        reconciliation_initial_delay: 15000,
        reconciliation_interval: 600000,
        mesos_user: 'root',
        leader_proxy_connection_timeout_ms: 5000,
        leader_proxy_read_timeout_ms: 10000,
        features: [],
        mesos_leader_ui_url: 'http://mesos-master:5050/',
      },
      zookeeper_config: {
        zk: m.zkUrl,
        zk_timeout: 10000,
        zk_session_timeout: 10000,
        zk_max_versions: 25,
      },
      event_subscriber: null,
      http_config: { http_port: m.httpPort, https_port: 8443 },
    }),
  );

  api.get('/v2/leader', () =>
    m.elected ? json(200, { leader: m.leader }) : message(404, 'There is no leader'),
  );
  api.delete('/v2/leader', () => message(200, 'Leadership abdicated'));

  api.get('/ping', (c) => {
    const headers: Record<string, string> = {
      'Content-Type': 'text/plain;charset=ISO-8859-1',
      'Cache-Control': 'must-revalidate,no-cache,no-store',
      'Access-Control-Allow-Credentials': 'true',
    };
    const origin = c.req.header('origin');
    if (origin) headers['Access-Control-Allow-Origin'] = origin;
    return new Response('pong\n', { status: 200, headers });
  });

  api.get('/metrics', () => {
    const tasks = [...m.tasks.values()];
    const gauge = (value: number) => ({ value });
    return json(200, {
      version: '3.0.0',
      gauges: {
        'service.mesosphere.marathon.app.count': gauge(m.apps.size),
        'service.mesosphere.marathon.group.count': gauge(m.allGroupIds().size),
        'service.mesosphere.marathon.task.running.count': gauge(
          tasks.filter((t) => t.state === 'TASK_RUNNING' && !t.unreachable).length,
        ),
        'service.mesosphere.marathon.task.staged.count': gauge(
          tasks.filter((t) => !t.hasStatus || t.state === 'TASK_STAGING').length,
        ),
        'service.mesosphere.marathon.uptime': gauge(m.running ? m.now - m.startedAt : 0),
      },
      counters: {},
      histograms: {},
      meters: {},
      timers: {},
    });
  });

  // ------------------------------------------------------------ /v2/events (SSE)
  api.get('/v2/events', (c) => {
    if (c.req.header('accept') !== 'text/event-stream')
      return new Response(JETTY_405(c.req.path), {
        status: 405,
        headers: { 'Content-Type': 'text/html;charset=ISO-8859-1' },
      });
    const enc = new TextEncoder();
    const remoteAddress = clientIp(c);
    let detach: (() => void) | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        let closed = false;
        const write = (text: string) => {
          if (closed) return;
          try {
            controller.enqueue(enc.encode(text));
          } catch {
            detach?.();
          }
        };
        const send = (eventType: string, payload: unknown) => {
          // --event_stream_max_outstanding_messages (50): a slow reader loses events.
          if (controller.desiredSize !== null && controller.desiredSize < -50) return;
          write(`event: ${eventType}\r\ndata: ${stringify(payload)}\r\n\r\n`);
        };
        send('event_stream_attached', {
          remoteAddress,
          eventType: 'event_stream_attached',
          timestamp: isoTime(m.now),
        });
        const unsubscribe = m.events.subscribe((e) => send(e.eventType, e.payload));
        // Jetty's EventSourceServlet heartbeat: a bare CRLF every 10 s (SSE clients ignore it).
        const heartbeat = m.clock.setInterval(() => write('\r\n'), 10_000);
        const close = () => {
          detach?.();
          try {
            controller.close();
          } catch {
            // already closed
          }
        };
        detach = () => {
          if (closed) return;
          closed = true;
          heartbeat.cancel();
          unsubscribe();
          m.streams.delete(close);
        };
        m.streams.add(close);
      },
      cancel() {
        detach?.();
        m.events.publish('event_stream_detached', () => ({ remoteAddress }));
      },
    });
    return new Response(stream, {
      status: 200,
      headers: {
        'Content-Type': 'text/event-stream;charset=UTF-8',
        'Cache-Control': 'no-cache, no-store, must-revalidate',
        Connection: 'close',
      },
    });
  });

  api.all('/v2/events', () => message(405, 'Method Not Allowed'));

  // Known resources with a method they do not serve: Jersey's 405.
  for (const path of [
    '/v2/apps',
    '/v2/tasks',
    '/v2/deployments',
    '/v2/queue',
    '/v2/info',
    '/v2/leader',
    '/ping',
    '/metrics',
  ])
    api.all(path, () => message(405, 'Method Not Allowed'));

  mountWebUi(api, 'marathon');
  api.notFound((c) => message(404, `URI not found: ${c.req.path}`));
  api.onError((err) => message(500, err instanceof Error ? err.message : String(err)));

  return api;
}

export function isActiveTask(t: TaskRecord): boolean {
  return !isTerminal(t.state);
}

export { segments };
