// An agent's HTTP API (ports 5151 / 5152), as Mesos 1.1.0 answers it: the `slave(1)`
// process (src/slave/http.cpp), `/files/*` (src/files/files.cpp), `/metrics/snapshot`, `/version`.
// No Host/Origin guard here: the orchestrator wraps the app with src/sim/http/guard.ts.
import { Hono } from 'hono';
import { MASTER_HOSTNAME } from '../../../cluster/topology.ts';
import type { SandboxEntry } from '../executor.ts';
import type { Agent, ExecutorRun } from './agent.ts';
import { isTerminal } from './api.ts';
import {
  emptyOk,
  metricsResponse,
  notFound,
  route,
  systemMetrics,
  type Handler,
  type ProcessRoutes,
} from './http-common.ts';
import type { MesosCluster } from './index.ts';
import { dbl, jsonResponse, type MesosJson } from './json.ts';
import { agentFlags } from './model.ts';
import { sumResources } from './resources.ts';
import { agentState, versionJson } from './views.ts';

/** libprocess reads at most 16 pages per /files/read call (src/files/files.cpp). */
const MAX_READ_LENGTH = 4096 * 16;

/** The command executor's own share, added to its task's resources (src/slave/constants.hpp). */
const EXECUTOR_CPUS = 0.1;
const EXECUTOR_MEM_MB = 32;

export function createAgentApp(cluster: MesosCluster, agent: Agent): Hono {
  const flags = () =>
    agentFlags({
      port: agent.port,
      hostname: agent.hostname,
      resources: agent.spec.resources,
      attributes: agent.spec.attributes,
      workDir: agent.workDir,
    });

  const state: Handler = (req) => {
    const m = cluster.currentMaster();
    const registered = m !== undefined && agent.registeredWith === m.id;
    return jsonResponse(req, agentState(agent, flags(), registered ? MASTER_HOSTNAME : undefined));
  };

  const statistics: Handler = (req) => {
    const now = cluster.clock.now() / 1000;
    const out: MesosJson[] = [];
    for (const fw of agent.frameworks.values()) {
      for (const run of fw.executors.values()) {
        if (isTerminal(run.task.state)) continue;
        const elapsed = Math.max(0, now - (run.task.statuses[0]?.timestamp ?? now));
        out.push({
          executor_id: run.executorId,
          executor_name: `Command Executor (Task: ${run.task.taskId})`,
          framework_id: run.frameworkId,
          source: run.task.taskId,
          statistics: {
            cpus_limit: dbl(run.resources.cpus + EXECUTOR_CPUS),
            cpus_system_time_secs: dbl(Math.round(elapsed * 2) / 1000),
            cpus_user_time_secs: dbl(Math.round(elapsed * 5) / 1000),
            mem_limit_bytes: Math.round((run.resources.mem + EXECUTOR_MEM_MB) * 1024 * 1024),
            mem_rss_bytes: 2 * 1024 * 1024,
            timestamp: dbl(now),
          },
        });
      }
    }
    return jsonResponse(req, out);
  };

  const metrics: Handler = (req) => metricsResponse(req, agentMetrics(cluster, agent));

  const slave: Record<string, Handler> = {
    state,
    'state.json': state,
    flags: (req) => jsonResponse(req, { flags: flags() }),
    health: () => emptyOk(),
    'monitor/statistics': statistics,
    'monitor/statistics.json': statistics,
  };
  const files: Record<string, Handler> = {
    browse: (req, url) => browse(agent, req, url),
    'browse.json': (req, url) => browse(agent, req, url),
    read: (req, url) => read(agent, req, url),
    'read.json': (req, url) => read(agent, req, url),
    download: (req, url) => download(agent, url),
    'download.json': (req, url) => download(agent, url),
  };
  const routes: ProcessRoutes = {
    delegate: 'slave(1)',
    processes: {
      'slave(1)': slave,
      metrics: { snapshot: metrics },
      files,
      version: {},
    },
  };

  const app = new Hono();
  app.all('*', (c) => {
    if (!agent.running) return new Response(null, { status: 503 });
    const url = new URL(c.req.url);
    if (url.pathname === '/version' || url.pathname === '/version/')
      return jsonResponse(c.req.raw, versionJson());
    return route(routes, c.req.raw);
  });
  return app;
}

// ------------------------------------------------------------------ /files

interface Resolved {
  run: ExecutorRun;
  /** Path inside the sandbox, '' for its root. */
  sub: string;
}

/** Only executor sandboxes are attached: by their real directory and by the virtual
 *  `/frameworks/<fw>/executors/<ex>/runs/latest` path (src/slave/paths.cpp). */
function resolve(agent: Agent, rawPath: string): Resolved | 'inaccessible' | undefined {
  const path = rawPath.replace(/\/+$/, '') || '/';
  const runs = agent.allRuns();
  for (const run of runs) {
    const roots = [run.directory, `/frameworks/${run.frameworkId}/executors/${run.executorId}/runs/latest`];
    for (const root of roots) {
      if (path === root) return { run, sub: '' };
      if (path.startsWith(root + '/')) {
        const sub = path.slice(root.length + 1);
        if (sub.split('/').includes('..')) return 'inaccessible';
        return { run, sub };
      }
    }
  }
  return undefined;
}

function badRequest(text: string): Response {
  return new Response(text, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

function basename(p: string): string {
  const parts = p.split('/').filter((s) => s !== '');
  return parts[parts.length - 1] ?? '';
}

function entryJson(parent: string, e: SandboxEntry): { [key: string]: MesosJson } {
  // A std::map in files.cpp, so the keys come out sorted; mtime is a time_t (integer seconds).
  const mtime = e.mtime > 1e11 ? Math.floor(e.mtime / 1000) : Math.floor(e.mtime);
  return {
    gid: e.gid,
    mode: e.mode,
    mtime,
    nlink: e.nlink,
    path: `${parent.replace(/\/+$/, '')}/${basename(e.path)}`,
    size: e.size,
    uid: e.uid,
  };
}

async function browse(agent: Agent, req: Request, url: URL): Promise<Response> {
  const path = url.searchParams.get('path');
  if (!path) return badRequest("Expecting 'path=value' in query.\n");
  const r = resolve(agent, path);
  if (r === 'inaccessible') return badRequest(`'${path}' is inaccessible.\n`);
  if (!r) return notFound();
  const entries = await agent.listFiles(r.run.sandbox, r.sub);
  if (!entries) {
    const file = await agent.readFile(r.run.sandbox, r.sub);
    if (!file) return notFound();
    return jsonResponse(req, []);
  }
  const list = entries.map((e) => entryJson(path, e));
  list.sort((a, b) => (String(a.path) < String(b.path) ? -1 : 1));
  return jsonResponse(req, list);
}

async function read(agent: Agent, req: Request, url: URL): Promise<Response> {
  const path = url.searchParams.get('path');
  if (!path) return badRequest("Expecting 'path=value' in query.\n");
  let offset = -1;
  let length = -1;
  const rawOffset = url.searchParams.get('offset');
  if (rawOffset !== null) {
    if (!/^-?\d+$/.test(rawOffset.trim()))
      return badRequest(`Failed to parse offset: Failed to convert '${rawOffset}' to number.\n`);
    offset = Number(rawOffset);
  }
  const rawLength = url.searchParams.get('length');
  if (rawLength !== null) {
    if (!/^-?\d+$/.test(rawLength.trim()))
      return badRequest(`Failed to parse length: Failed to convert '${rawLength}' to number.\n`);
    length = Number(rawLength);
  }
  if (offset < -1) return badRequest(`Negative offset provided: ${offset}.\n`);
  if (length < -1) return badRequest(`Negative length provided: ${length}.\n`);
  const r = resolve(agent, path);
  if (r === 'inaccessible') return badRequest(`'${path}' is inaccessible.\n`);
  if (!r) return notFound();
  const data = await agent.readFile(r.run.sandbox, r.sub);
  if (!data) {
    const dir = await agent.listFiles(r.run.sandbox, r.sub);
    return dir ? badRequest('Cannot read a directory.\n') : notFound();
  }
  const size = data.length;
  // offset -1 (absent) asks for the file's size: the answer carries no data.
  if (offset === -1) offset = size;
  if (length === -1) length = size - offset;
  length = Math.min(length, MAX_READ_LENGTH);
  if (offset >= size) return jsonResponse(req, { data: '', offset: size });
  const chunk = data.subarray(offset, offset + length);
  return jsonResponse(req, { data: new TextDecoder().decode(chunk), offset });
}

async function download(agent: Agent, url: URL): Promise<Response> {
  const path = url.searchParams.get('path');
  if (!path) return badRequest("Expecting 'path=value' in query.\n");
  const r = resolve(agent, path);
  if (r === 'inaccessible') return badRequest(`'${path}' is inaccessible.\n`);
  if (!r) return notFound();
  const data = await agent.readFile(r.run.sandbox, r.sub);
  if (!data) {
    const dir = await agent.listFiles(r.run.sandbox, r.sub);
    return dir ? badRequest('Cannot download a directory.\n') : notFound();
  }
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  const type =
    (dot > 0 ? MIME_TYPES[name.slice(dot).toLowerCase()] : undefined) ?? 'application/octet-stream';
  return new Response(data.slice(), {
    status: 200,
    headers: { 'Content-Type': type, 'Content-Disposition': `attachment; filename=${name}` },
  });
}

/** A few of libprocess's extension → MIME type pairs (3rdparty/libprocess/include/process/mime.hpp);
 *  files without a known extension (stdout, stderr) are application/octet-stream. */
const MIME_TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.css': 'text/css',
  '.js': 'application/javascript',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.csv': 'text/csv',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.gz': 'application/x-gzip',
  '.tgz': 'application/x-gzip',
  '.tar': 'application/x-tar',
  '.zip': 'application/zip',
};

// ------------------------------------------------------------------ metrics

function agentMetrics(cluster: MesosCluster, agent: Agent): Record<string, number> {
  const m = cluster.currentMaster();
  const live = agent.liveTasks().filter((t) => !isTerminal(t.state));
  const count = (s: string) => live.filter((t) => t.state === s).length;
  const used = sumResources(live.map((t) => t.resources));
  const total = agent.total;
  const pct = (u: number, t: number) => (t > 0 ? u / t : 0);
  let executorsRunning = 0;
  for (const fw of agent.frameworks.values()) executorsRunning += fw.executors.size;
  return {
    ...systemMetrics(),
    'slave/uptime_secs': cluster.clock.now() / 1000 - agent.startTime,
    'slave/registered': m !== undefined && agent.registeredWith === m.id ? 1 : 0,
    'slave/recovery_errors': 0,
    'slave/frameworks_active': [...agent.frameworks.values()].filter((f) => f.executors.size > 0).length,
    'slave/tasks_staging': count('TASK_STAGING'),
    'slave/tasks_starting': count('TASK_STARTING'),
    'slave/tasks_running': count('TASK_RUNNING'),
    'slave/tasks_killing': count('TASK_KILLING'),
    'slave/tasks_finished': agent.counters.tasksFinished,
    'slave/tasks_failed': agent.counters.tasksFailed,
    'slave/tasks_killed': agent.counters.tasksKilled,
    'slave/tasks_lost': agent.counters.tasksLost,
    'slave/tasks_gone': 0,
    'slave/executors_registering': 0,
    'slave/executors_running': executorsRunning,
    'slave/executors_terminating': 0,
    'slave/executors_terminated': agent.counters.executorsTerminated,
    'slave/executors_preempted': 0,
    'slave/valid_status_updates': agent.counters.validStatusUpdates,
    'slave/invalid_status_updates': 0,
    'slave/valid_framework_messages': 0,
    'slave/invalid_framework_messages': 0,
    'slave/container_launch_errors': 0,
    'slave/executor_directory_max_allowed_age_secs': 604800,
    'slave/cpus_total': total.cpus,
    'slave/cpus_used': used.cpus,
    'slave/cpus_percent': pct(used.cpus, total.cpus),
    'slave/mem_total': total.mem,
    'slave/mem_used': used.mem,
    'slave/mem_percent': pct(used.mem, total.mem),
    'slave/disk_total': total.disk,
    'slave/disk_used': used.disk,
    'slave/disk_percent': pct(used.disk, total.disk),
    'slave/gpus_total': 0,
    'slave/gpus_used': 0,
    'slave/gpus_percent': 0,
    'slave/cpus_revocable_total': 0,
    'slave/cpus_revocable_used': 0,
    'slave/cpus_revocable_percent': 0,
    'slave/mem_revocable_total': 0,
    'slave/mem_revocable_used': 0,
    'slave/mem_revocable_percent': 0,
    'slave/disk_revocable_total': 0,
    'slave/disk_revocable_used': 0,
    'slave/disk_revocable_percent': 0,
    'containerizer/mesos/container_destroy_errors': 0,
  };
}
