// The master's HTTP API on port 5050, as Mesos 1.1.0 answers it (src/master/http.cpp).
// No Host/Origin guard here: the orchestrator wraps the app with src/sim/http/guard.ts.
import { Hono } from 'hono';
import { mountWebUi } from '../../web/index.ts';
import { CLUSTER_NAME, MASTER_HOSTNAME } from '../../../cluster/topology.ts';
import { isTerminal } from './api.ts';
import {
  emptyOk,
  metricsResponse,
  route,
  systemMetrics,
  type Handler,
  type ProcessRoutes,
} from './http-common.ts';
import type { MesosCluster } from './index.ts';
import { dbl, jsonResponse, rawJsonResponse, stringify } from './json.ts';
import type { Master } from './master.ts';
import { masterFlags, type TaskRecord } from './model.ts';
import {
  frameworkJson,
  masterState,
  resourcesFullJson,
  slaveJson,
  stateSummary,
  taskJson,
  versionJson,
} from './views.ts';

export function createMasterApp(cluster: MesosCluster): Hono {
  const port = (): number => {
    const m = cluster.currentMaster();
    return m ? Number(m.pid.split(':').pop()) : 5050;
  };
  const flags = () => masterFlags({ port: port(), hostname: MASTER_HOSTNAME, cluster: CLUSTER_NAME });

  /** Read-only endpoints answer from this master's own view, elected or not (a non-leading
   *  master serves /state too: the web UI reads `leader_info` there to find the leader). Only
   *  /master/redirect needs a leader. */
  const leading =
    (fn: (m: Master, request: Request, url: URL) => Response): Handler =>
    (request, url) => {
      const m = cluster.currentMaster();
      if (!m) return new Response(null, { status: 503 });
      return fn(m, request, url);
    };

  // The state body is rebuilt only when the master's revision changed since the last request.
  let cached: { master: Master; revision: number; body: string } | undefined;
  const state = leading((m, req) => {
    if (!cached || cached.master !== m || cached.revision !== m.revision) {
      cached = {
        master: m,
        revision: m.revision,
        body: stringify(masterState(m, flags(), MASTER_HOSTNAME, CLUSTER_NAME)),
      };
    }
    return rawJsonResponse(req, cached.body);
  });

  const slaves = leading((m, req) =>
    jsonResponse(req, {
      slaves: [...m.agents.values()].map((a) => ({
        ...slaveJson(m, a),
        reserved_resources_full: {},
        used_resources_full: resourcesFullJson(m.agentUsed(a)),
        offered_resources_full: resourcesFullJson(m.agentOffered(a)),
      })),
    }),
  );

  const frameworks = leading((m, req) =>
    jsonResponse(req, {
      frameworks: [...m.frameworks.values()].map((f) => frameworkJson(m, f)),
      completed_frameworks: m.completedFrameworks.map((f) => frameworkJson(m, f)),
      unregistered_frameworks: m.unregisteredFrameworks(),
    }),
  );

  const tasks = leading((m, req, url) => {
    // limit (default 100), offset (default 0), order des|asc (default des); bad numbers fall back.
    const int = (name: string, fallback: number) => {
      const raw = url.searchParams.get(name);
      const n = raw === null ? NaN : Number(raw);
      return Number.isInteger(n) && n >= 0 ? n : fallback;
    };
    const limit = int('limit', 100);
    const offset = int('offset', 0);
    const ascending = url.searchParams.get('order') === 'asc';
    const all: TaskRecord[] = [];
    for (const f of [...m.frameworks.values(), ...m.completedFrameworks]) {
      all.push(...f.tasks.values(), ...f.completedTasks);
    }
    // TaskComparator: by the first status's timestamp; tasks without statuses sort first
    // ascending and last descending.
    const first = (t: TaskRecord) => (t.statuses.length > 0 ? t.statuses[0].timestamp : undefined);
    all.sort((a, b) => {
      const x = first(a);
      const y = first(b);
      if (x === undefined && y === undefined) return 0;
      if (x === undefined) return ascending ? -1 : 1;
      if (y === undefined) return ascending ? 1 : -1;
      return ascending ? x - y : y - x;
    });
    return jsonResponse(req, { tasks: all.slice(offset, offset + limit).map(taskJson) });
  });

  const redirect: Handler = () => {
    const m = cluster.currentMaster();
    if (!m || !m.elected) return new Response('No leader elected', { status: 503 });
    return new Response(null, { status: 307, headers: { Location: `//${MASTER_HOSTNAME}:${port()}` } });
  };

  // Optional here: the `*` role with its frameworks and their used resources (a JSON::Object in
  // 1.1, so keys sorted; resources and weight are doubles).
  const roles = leading((m, req) => {
    const used = [...m.frameworks.values()].filter((f) => (f.info.role ?? '*') === '*');
    let cpus = 0;
    let mem = 0;
    let disk = 0;
    for (const f of used) {
      const r = m.frameworkUsed(f);
      cpus += r.cpus;
      mem += r.mem;
      disk += r.disk;
    }
    return jsonResponse(req, {
      roles: [
        {
          frameworks: used.map((f) => f.id),
          name: '*',
          resources: { cpus: dbl(cpus), disk: dbl(disk), gpus: dbl(0), mem: dbl(mem) },
          weight: dbl(1),
        },
      ],
    });
  });

  const metrics: Handler = (req) => metricsResponse(req, masterMetrics(cluster.currentMaster()));

  const master: Record<string, Handler> = {
    state,
    'state.json': state,
    'state-summary': leading((m, req) => jsonResponse(req, stateSummary(m, MASTER_HOSTNAME, CLUSTER_NAME))),
    slaves,
    frameworks,
    tasks,
    'tasks.json': tasks,
    flags: (req) => jsonResponse(req, { flags: flags() }),
    health: () => emptyOk(),
    redirect,
    roles,
    'roles.json': roles,
  };
  const routes: ProcessRoutes = {
    delegate: 'master',
    processes: {
      master,
      version: { '': (req) => jsonResponse(req, versionJson()) },
      metrics: { snapshot: metrics },
    },
  };
  // `/version` is the whole path of the version process.
  const versionHandler: Handler = (req) => jsonResponse(req, versionJson());

  const app = new Hono();
  mountWebUi(app, 'mesos');
  app.all('*', (c) => {
    if (!cluster.masterRunning()) return new Response(null, { status: 503 });
    const url = new URL(c.req.url);
    if (url.pathname === '/version' || url.pathname === '/version/') return versionHandler(c.req.raw, url);
    return route(routes, c.req.raw);
  });
  return app;
}

function masterMetrics(m: Master | undefined): Record<string, number> {
  const out: Record<string, number> = { ...systemMetrics() };
  if (!m) return out;
  const agents = [...m.agents.values()];
  const frameworks = [...m.frameworks.values()];
  const live: TaskRecord[] = [];
  for (const f of frameworks) for (const t of f.tasks.values()) if (!isTerminal(t.state)) live.push(t);
  const count = (s: string) => live.filter((t) => t.state === s).length;
  const total = m.clusterTotal();
  let used = { cpus: 0, mem: 0, disk: 0 };
  for (const a of agents) {
    const u = m.agentUsed(a);
    used = { cpus: used.cpus + u.cpus, mem: used.mem + u.mem, disk: used.disk + u.disk };
  }
  const pct = (u: number, t: number) => (t > 0 ? u / t : 0);
  Object.assign(out, {
    'master/uptime_secs': m.uptimeSecs(),
    'master/elected': m.elected ? 1 : 0,
    'master/slaves_connected': agents.filter((a) => a.connected).length,
    'master/slaves_disconnected': agents.filter((a) => !a.connected).length,
    'master/slaves_active': agents.filter((a) => a.active).length,
    'master/slaves_inactive': agents.filter((a) => !a.active).length,
    'master/slaves_unreachable': m.unreachable.size,
    'master/frameworks_connected': frameworks.filter((f) => f.connected).length,
    'master/frameworks_disconnected': frameworks.filter((f) => !f.connected).length,
    'master/frameworks_active': frameworks.filter((f) => f.active).length,
    'master/frameworks_inactive': frameworks.filter((f) => !f.active).length,
    'master/outstanding_offers': m.offers.size,
    'master/tasks_staging': count('TASK_STAGING'),
    'master/tasks_starting': count('TASK_STARTING'),
    'master/tasks_running': count('TASK_RUNNING'),
    'master/tasks_killing': count('TASK_KILLING'),
    'master/tasks_unreachable': 0,
    'master/tasks_finished': m.metrics.tasksFinished,
    'master/tasks_failed': m.metrics.tasksFailed,
    'master/tasks_killed': m.metrics.tasksKilled,
    'master/tasks_lost': m.metrics.tasksLost,
    'master/tasks_error': m.metrics.tasksError,
    'master/tasks_dropped': 0,
    'master/tasks_gone': 0,
    'master/tasks_gone_by_operator': 0,
    'master/cpus_total': total.cpus,
    'master/cpus_used': used.cpus,
    'master/cpus_percent': pct(used.cpus, total.cpus),
    'master/mem_total': total.mem,
    'master/mem_used': used.mem,
    'master/mem_percent': pct(used.mem, total.mem),
    'master/disk_total': total.disk,
    'master/disk_used': used.disk,
    'master/disk_percent': pct(used.disk, total.disk),
    'master/gpus_total': 0,
    'master/gpus_used': 0,
    'master/gpus_percent': 0,
    'master/cpus_revocable_total': 0,
    'master/cpus_revocable_used': 0,
    'master/cpus_revocable_percent': 0,
    'master/mem_revocable_total': 0,
    'master/mem_revocable_used': 0,
    'master/mem_revocable_percent': 0,
    'master/disk_revocable_total': 0,
    'master/disk_revocable_used': 0,
    'master/disk_revocable_percent': 0,
    'master/gpus_revocable_total': 0,
    'master/gpus_revocable_used': 0,
    'master/gpus_revocable_percent': 0,
    'master/slave_registrations': m.metrics.slaveRegistrations,
    'master/slave_reregistrations': m.metrics.slaveReregistrations,
    'master/slave_removals': m.metrics.slaveRemovals,
    'master/slave_removals/reason_registered': 0,
    'master/slave_removals/reason_unhealthy': m.metrics.slaveRemovalsUnhealthy,
    'master/slave_removals/reason_unregistered': 0,
    'master/slave_shutdowns_scheduled': 0,
    'master/slave_shutdowns_completed': 0,
    'master/slave_shutdowns_canceled': 0,
    'master/slave_unreachable_scheduled': m.metrics.slaveUnreachableScheduled,
    'master/slave_unreachable_completed': m.metrics.slaveUnreachableCompleted,
    'master/slave_unreachable_canceled': 0,
    'master/recovery_slave_removals': 0,
    'master/dropped_messages': 0,
    'master/event_queue_messages': 0,
    'master/event_queue_dispatches': 0,
    'master/event_queue_http_requests': 0,
    'master/messages_register_framework': m.metrics.messagesRegisterFramework,
    'master/messages_reregister_framework': m.metrics.messagesReregisterFramework,
    'master/messages_unregister_framework': m.metrics.messagesUnregisterFramework,
    'master/messages_deactivate_framework': 0,
    'master/messages_launch_tasks': m.metrics.messagesLaunchTasks,
    'master/messages_decline_offers': m.metrics.messagesDeclineOffers,
    'master/messages_revive_offers': m.metrics.messagesReviveOffers,
    'master/messages_suppress_offers': m.metrics.messagesSuppressOffers,
    'master/messages_kill_task': m.metrics.messagesKillTask,
    'master/messages_reconcile_tasks': m.metrics.messagesReconcileTasks,
    'master/messages_register_slave': m.metrics.messagesRegisterSlave,
    'master/messages_reregister_slave': m.metrics.messagesReregisterSlave,
    'master/messages_unregister_slave': 0,
    'master/messages_status_update': m.metrics.messagesStatusUpdate,
    'master/messages_status_update_acknowledgement': m.metrics.validStatusUpdates,
    'master/messages_resource_request': 0,
    'master/messages_framework_to_executor': 0,
    'master/messages_executor_to_framework': 0,
    'master/messages_exited_executor': 0,
    'master/messages_update_slave': 0,
    'master/messages_authenticate': 0,
    'master/valid_status_updates': m.metrics.validStatusUpdates,
    'master/invalid_status_updates': m.metrics.invalidStatusUpdates,
    'master/valid_status_update_acknowledgements': m.metrics.validStatusUpdates,
    'master/invalid_status_update_acknowledgements': 0,
    'master/valid_framework_to_executor_messages': 0,
    'master/invalid_framework_to_executor_messages': 0,
    'master/valid_executor_to_framework_messages': 0,
    'master/invalid_executor_to_framework_messages': 0,
    'registrar/queued_operations': 0,
    'registrar/registry_size_bytes': 0,
    'registrar/state_fetch_ms': 0,
    'registrar/state_store_ms': 0,
    'allocator/event_queue_dispatches': 0,
    'allocator/mesos/allocation_runs': m.metrics.allocationRuns,
    'allocator/mesos/event_queue_dispatches': 0,
    'allocator/mesos/resources/cpus/total': total.cpus,
    'allocator/mesos/resources/mem/total': total.mem,
    'allocator/mesos/resources/disk/total': total.disk,
    'allocator/mesos/resources/cpus/offered_or_allocated': used.cpus,
    'allocator/mesos/resources/mem/offered_or_allocated': used.mem,
    'allocator/mesos/resources/disk/offered_or_allocated': used.disk,
  });
  for (const [key, value] of m.metrics.reasonCounters) out[key] = value;
  return out;
}
