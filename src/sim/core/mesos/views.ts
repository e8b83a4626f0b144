// JSON views of master and agent state, field by field as Mesos 1.1.0 writes them
// (src/master/http.cpp, src/common/http.cpp, src/slave/http.cpp). Doubles go through dbl().
import type { Agent, AgentFramework, ExecutorRun } from './agent.ts';
import { isTerminal } from './api.ts';
import { dbl, type MesosJson } from './json.ts';
import type { Master, MasterAgent, MasterFramework } from './master.ts';
import { TASK_STATE_COUNTS } from './master.ts';
import { BUILD, MESOS_VERSION, type StatusEntry, type TaskRecord } from './model.ts';
import { addResources, resourcesFullJson, resourcesJson } from './resources.ts';

type Obj = { [key: string]: MesosJson };

export function versionFields(): Obj {
  return {
    version: MESOS_VERSION,
    git_sha: BUILD.gitSha,
    git_tag: BUILD.gitTag,
    build_date: BUILD.date,
    build_time: dbl(BUILD.time),
    build_user: BUILD.user,
  };
}

/** `/version` builds a JSON::Object (a std::map), so its keys come out sorted (src/version/version.hpp). */
export function versionJson(): Obj {
  const fields = versionFields();
  const out: Obj = {};
  for (const key of Object.keys(fields).sort()) out[key] = fields[key];
  return out;
}

function labelsJson(labels: Record<string, string>): MesosJson {
  return Object.entries(labels).map(([key, value]) => ({ key, value }));
}

export function statusJson(s: StatusEntry): Obj {
  const out: Obj = { state: s.state, timestamp: dbl(s.timestamp) };
  if (s.ip) out.container_status = { network_infos: [{ ip_addresses: [{ ip_address: s.ip }] }] };
  if (s.healthy !== undefined) out.healthy = s.healthy;
  return out;
}

export function taskJson(t: TaskRecord): Obj {
  const out: Obj = {
    id: t.taskId,
    name: t.name,
    framework_id: t.frameworkId,
    executor_id: t.executorId,
    slave_id: t.agentId,
    state: t.state,
    resources: resourcesJson(t.resources),
    statuses: t.statuses.map(statusJson),
  };
  if (t.user !== undefined) out.user = t.user;
  if (t.labels) out.labels = labelsJson(t.labels);
  return out;
}

function attributesJson(attrs: Record<string, string>): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(attrs)) {
    // Scalar attributes are numbers in Mesos, text ones strings.
    out[k] = /^-?\d+(\.\d+)?$/.test(v) ? dbl(Number(v)) : v;
  }
  return out;
}

export function slaveJson(m: Master, a: MasterAgent): Obj {
  const out: Obj = {
    id: a.id,
    pid: a.agent.pid,
    hostname: a.agent.hostname,
    registered_time: dbl(a.registeredTime),
  };
  if (a.reregisteredTime !== undefined) out.reregistered_time = dbl(a.reregisteredTime);
  out.resources = resourcesJson(a.agent.total);
  out.used_resources = resourcesJson(m.agentUsed(a));
  out.offered_resources = resourcesJson(m.agentOffered(a));
  out.reserved_resources = {};
  out.unreserved_resources = resourcesJson(a.agent.total);
  out.attributes = attributesJson(a.agent.attributes);
  out.active = a.active;
  out.version = MESOS_VERSION;
  return out;
}

function frameworkSummaryFields(m: Master, f: MasterFramework): Obj {
  const out: Obj = { id: f.id, name: f.info.name };
  if (f.link) out.pid = f.link.pid;
  out.used_resources = resourcesJson(m.frameworkUsed(f));
  out.offered_resources = resourcesJson(m.frameworkOffered(f));
  out.capabilities = f.info.capabilities ?? [];
  out.hostname = f.info.hostname;
  out.webui_url = f.info.webuiUrl ?? '';
  out.active = f.active;
  return out;
}

export function frameworkJson(m: Master, f: MasterFramework): Obj {
  const out = frameworkSummaryFields(m, f);
  out.user = f.info.user;
  out.failover_timeout = dbl(f.info.failoverTimeoutSeconds);
  out.checkpoint = f.info.checkpoint;
  out.role = f.info.role ?? '*';
  out.registered_time = dbl(f.registeredTime);
  out.unregistered_time = dbl(f.unregisteredTime);
  out.resources = resourcesJson(addResources(m.frameworkUsed(f), m.frameworkOffered(f)));
  if (f.reregisteredTime !== f.registeredTime) out.reregistered_time = dbl(f.reregisteredTime);
  out.tasks = [...f.tasks.values()].map(taskJson);
  out.completed_tasks = f.completedTasks.map(taskJson);
  out.offers = [...f.offers]
    .map((id) => m.offers.get(id))
    .filter((o) => o !== undefined)
    .map((o) => ({
      id: o.offer.id,
      framework_id: o.frameworkId,
      slave_id: o.agentId,
      resources: resourcesJson(o.resources),
    }));
  out.executors = [];
  return out;
}

function countStates(tasks: Iterable<TaskRecord>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of TASK_STATE_COUNTS) counts[s] = 0;
  for (const t of tasks) if (t.state in counts) counts[t.state]++;
  return counts;
}

function allTasksOfAgent(m: Master, agentId: string): TaskRecord[] {
  const out: TaskRecord[] = [];
  for (const f of [...m.frameworks.values(), ...m.completedFrameworks]) {
    for (const t of f.tasks.values()) if (t.agentId === agentId) out.push(t);
    for (const t of f.completedTasks) if (t.agentId === agentId) out.push(t);
  }
  for (const t of m.orphanTasks()) if (t.agentId === agentId) out.push(t);
  return out;
}

export function stateSummary(m: Master, hostname: string, cluster: string): Obj {
  return {
    hostname,
    cluster,
    slaves: [...m.agents.values()].map((a) => {
      const tasks = allTasksOfAgent(m, a.id);
      return {
        ...slaveJson(m, a),
        ...countStates(tasks),
        framework_ids: [...new Set(tasks.filter((t) => !isTerminal(t.state)).map((t) => t.frameworkId))],
      };
    }),
    frameworks: [...m.frameworks.values()].map((f) => {
      const tasks = [...f.tasks.values(), ...f.completedTasks];
      return {
        ...frameworkSummaryFields(m, f),
        ...countStates(tasks),
        slave_ids: [...new Set([...f.tasks.values()].map((t) => t.agentId))],
      };
    }),
  };
}

export function masterState(
  m: Master,
  flags: Record<string, string>,
  hostname: string,
  cluster: string,
): Obj {
  const out: Obj = {
    ...versionFields(),
    start_time: dbl(m.startTime),
  };
  if (m.elected && m.electedTime !== undefined) out.elected_time = dbl(m.electedTime);
  out.id = m.id;
  out.pid = m.pid;
  out.hostname = hostname;
  out.activated_slaves = [...m.agents.values()].filter((a) => a.active).length;
  out.deactivated_slaves = [...m.agents.values()].filter((a) => !a.active).length;
  if (m.elected) {
    out.leader = m.pid;
    out.leader_info = { id: m.id, pid: m.pid, port: Number(flags.port), hostname: hostname };
  }
  out.cluster = cluster;
  out.log_dir = flags.log_dir;
  out.flags = { ...flags };
  out.slaves = [...m.agents.values()].map((a) => slaveJson(m, a));
  out.frameworks = [...m.frameworks.values()].map((f) => frameworkJson(m, f));
  out.completed_frameworks = m.completedFrameworks.map((f) => frameworkJson(m, f));
  out.orphan_tasks = m.orphanTasks().map(taskJson);
  out.unregistered_frameworks = m.unregisteredFrameworks();
  return out;
}

// ------------------------------------------------------------------ agent

function executorJson(run: ExecutorRun): Obj {
  const live = !run.completed;
  return {
    id: run.executorId,
    name: `Command Executor (Task: ${run.task.taskId}) (Command: sh -c '${truncateCommand(run)}')`,
    source: run.task.taskId,
    container: run.containerId,
    directory: run.directory,
    // The command executor's own 0.1 cpus and 32 MB are added to its task's (src/slave/constants.hpp).
    resources: resourcesJson(
      addResources(run.resources, { cpus: 0.1, mem: 32, disk: 0, gpus: 0, ports: [] }),
    ),
    // A task is queued only until its command executor registers (well under a second); after
    // that it is a launched task, TASK_STAGING until the executor reports TASK_RUNNING.
    tasks: live ? [taskJson(run.task)] : [],
    queued_tasks: [],
    completed_tasks: live ? [] : [taskJson(run.task)],
  };
}

/** The command executor's name embeds the command, cut at 15 characters (src/slave/slave.cpp). */
function truncateCommand(run: ExecutorRun): string {
  const c = run.command;
  return c.length > 15 ? `${c.slice(0, 12)}...` : c;
}

function agentFrameworkJson(fw: AgentFramework): Obj {
  return {
    id: fw.info.id,
    name: fw.info.name,
    user: fw.info.user,
    failover_timeout: dbl(fw.info.failoverTimeoutSeconds),
    checkpoint: fw.info.checkpoint,
    role: fw.info.role ?? '*',
    hostname: fw.info.hostname,
    executors: [...fw.executors.values()].map((r) => executorJson(r)),
    completed_executors: fw.completedExecutors.map((r) => executorJson(r)),
  };
}

export function agentState(
  agent: Agent,
  flags: Record<string, string>,
  masterHostnameIfRegistered: string | undefined,
): Obj {
  const out: Obj = {
    ...versionFields(),
    start_time: dbl(agent.startTime),
  };
  out.id = agent.id ?? '';
  out.pid = agent.pid;
  out.hostname = agent.hostname;
  out.resources = resourcesJson(agent.total);
  out.reserved_resources = {};
  out.unreserved_resources = resourcesJson(agent.total);
  out.reserved_resources_full = {};
  out.attributes = attributesJson(agent.attributes);
  if (masterHostnameIfRegistered) out.master_hostname = masterHostnameIfRegistered;
  out.log_dir = flags.log_dir;
  out.flags = { ...flags };
  out.frameworks = [...agent.frameworks.values()]
    .filter((fw) => fw.executors.size > 0 || !agent.frameworkRemoved.has(fw.info.id))
    .map((fw) => agentFrameworkJson(fw));
  out.completed_frameworks = agent.completedFrameworks.map((fw) => agentFrameworkJson(fw));
  return out;
}

export { resourcesFullJson };
