// Shared records of the simulated Mesos master and agents, and the constants they follow
// (Mesos 1.1.0 defaults from src/master/constants.hpp, src/master/flags.cpp, src/slave/flags.cpp).
import type { FrameworkInfo, Resources, TaskState } from './api.ts';

export const MESOS_VERSION = '1.1.0';
/** Build facts of the Mesosphere 1.1.0-2.0.107 package (assumed; the package builds from the 1.1.0 tag). */
export const BUILD = {
  gitSha: 'a44b077ea0df54b77f05550979e1e97f39b15873',
  gitTag: '1.1.0',
  date: '2016-11-16 01:30:59',
  time: 1479259859,
  user: 'root',
};

export const ALLOCATION_INTERVAL_MS = 1000;
/** Filters.refuse_seconds default (include/mesos/mesos.proto). */
export const DEFAULT_REFUSE_SECONDS = 5;
/** --agent_ping_timeout (15secs) × --max_agent_ping_timeouts (5): the agent is then marked unreachable. */
export const AGENT_PING_TIMEOUT_MS = 15_000;
export const MAX_AGENT_PING_TIMEOUTS = 5;
export const MAX_COMPLETED_TASKS_PER_FRAMEWORK = 1000;
export const MAX_COMPLETED_FRAMEWORKS = 50;
/** --zk_session_timeout: a killed master's znode stays until its ZooKeeper session expires. */
export const ZK_SESSION_TIMEOUT_MS = 10_000;
/** The agent's own retention of completed frameworks/executors/tasks (src/slave/constants.hpp). */
export const MAX_COMPLETED_FRAMEWORKS_AGENT = 50;
export const MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK = 150;
export const MAX_COMPLETED_TASKS_PER_EXECUTOR = 200;

/** Simulated delays (ms) between a process start and what it does next. */
export const DELAYS = {
  masterElection: 200,
  agentRegistration: 150,
  agentRegistrationJitter: 250,
  frameworkRegistration: 100,
  message: 2,
};

export interface StatusEntry {
  state: TaskState;
  /** Seconds since the epoch (a double). */
  timestamp: number;
  healthy?: boolean;
  /** The agent's address for TASK_RUNNING (ContainerStatus.network_infos). */
  ip?: string;
}

/** A task as the master and agents record it (mesos::Task). */
export interface TaskRecord {
  taskId: string;
  name: string;
  frameworkId: string;
  agentId: string;
  /** "" for tasks run by the command executor (all tasks here). */
  executorId: string;
  state: TaskState;
  resources: Resources;
  statuses: StatusEntry[];
  user?: string;
  labels?: Record<string, string>;
}

export function cloneTask(t: TaskRecord): TaskRecord {
  return {
    ...t,
    resources: { ...t.resources, ports: t.resources.ports.map((p) => ({ ...p })) },
    statuses: t.statuses.map((s) => ({ ...s })),
    labels: t.labels ? { ...t.labels } : undefined,
  };
}

export type RegisteredFrameworkInfo = FrameworkInfo & { id: string };

/** Master flags as /master/flags shows them for the course's compose file (every value a string). */
export function masterFlags(opts: {
  port: number;
  hostname: string;
  cluster: string;
}): Record<string, string> {
  return {
    agent_ping_timeout: '15secs',
    agent_reregister_timeout: '10mins',
    allocation_interval: '1secs',
    allocator: 'HierarchicalDRF',
    authenticate_agents: 'false',
    authenticate_frameworks: 'false',
    authenticate_http_frameworks: 'false',
    authenticate_http_readonly: 'false',
    authenticate_http_readwrite: 'false',
    authenticators: 'crammd5',
    authorizers: 'local',
    cluster: opts.cluster,
    framework_sorter: 'drf',
    help: 'false',
    hostname: opts.hostname,
    hostname_lookup: 'true',
    http_authenticators: 'basic',
    initialize_driver_logging: 'true',
    log_auto_initialize: 'true',
    log_dir: '/var/log/mesos',
    logbufsecs: '0',
    logging_level: 'INFO',
    max_agent_ping_timeouts: '5',
    max_completed_frameworks: '50',
    max_completed_tasks_per_framework: '1000',
    port: String(opts.port),
    quiet: 'false',
    quorum: '1',
    recovery_agent_removal_limit: '100%',
    registry: 'in_memory',
    registry_fetch_timeout: '1mins',
    registry_gc_interval: '15mins',
    registry_max_agent_age: '2weeks',
    registry_max_agent_count: '102400',
    registry_store_timeout: '20secs',
    registry_strict: 'false',
    root_submissions: 'true',
    user_sorter: 'drf',
    version: 'false',
    webui_dir: '/usr/share/mesos/webui',
    work_dir: '/var/lib/mesos-master',
    zk: 'zk://zookeeper:2181/mesos',
    zk_session_timeout: '10secs',
  };
}

/** Agent flags as the agent's /flags shows them for the course's compose file. */
export function agentFlags(opts: {
  port: number;
  hostname: string;
  resources: string;
  attributes: string;
  workDir: string;
}): Record<string, string> {
  return {
    appc_simple_discovery_uri_prefix: 'http://',
    appc_store_dir: '/tmp/mesos/store/appc',
    attributes: opts.attributes,
    authenticate_http_readonly: 'false',
    authenticate_http_readwrite: 'false',
    authenticatee: 'crammd5',
    authentication_backoff_factor: '1secs',
    authorizer: 'local',
    cgroups_cpu_enable_pids_and_tids_count: 'false',
    cgroups_enable_cfs: 'false',
    cgroups_hierarchy: '/sys/fs/cgroup',
    cgroups_limit_swap: 'false',
    cgroups_root: 'mesos',
    container_disk_watch_interval: '15secs',
    containerizers: 'mesos',
    default_role: '*',
    disk_watch_interval: '1mins',
    docker: 'docker',
    docker_kill_orphans: 'true',
    docker_registry: 'https://registry-1.docker.io',
    docker_remove_delay: '6hrs',
    docker_socket: '/var/run/docker.sock',
    docker_stop_timeout: '0ns',
    docker_store_dir: '/tmp/mesos/store/docker',
    docker_volume_checkpoint_dir: '/var/run/mesos/isolators/docker/volume',
    enforce_container_disk_quota: 'false',
    executor_registration_timeout: '5mins',
    executor_shutdown_grace_period: '5secs',
    fetcher_cache_dir: '/tmp/mesos/fetch',
    fetcher_cache_size: '2GB',
    frameworks_home: '',
    gc_delay: '1weeks',
    gc_disk_headroom: '0.1',
    hadoop_home: '',
    help: 'false',
    hostname: opts.hostname,
    hostname_lookup: 'true',
    http_authenticators: 'basic',
    http_command_executor: 'false',
    image_provisioner_backend: 'copy',
    initialize_driver_logging: 'true',
    isolation: 'posix/cpu,posix/mem',
    launcher: 'posix',
    launcher_dir: '/usr/libexec/mesos',
    log_dir: '/var/log/mesos',
    logbufsecs: '0',
    logging_level: 'INFO',
    master: 'zk://zookeeper:2181/mesos',
    oversubscribed_resources_interval: '15secs',
    perf_duration: '10secs',
    perf_interval: '1mins',
    port: String(opts.port),
    qos_correction_interval_min: '0ns',
    quiet: 'false',
    recover: 'reconnect',
    recovery_timeout: '15mins',
    registration_backoff_factor: '1secs',
    resources: opts.resources,
    revocable_cpu_low_priority: 'true',
    runtime_dir: '/var/run/mesos',
    sandbox_directory: '/mnt/mesos/sandbox',
    strict: 'true',
    switch_user: 'true',
    systemd_enable_support: 'false',
    systemd_runtime_directory: '/run/systemd/system',
    version: 'false',
    work_dir: opts.workDir,
  };
}
