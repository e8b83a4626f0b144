// Chronos 3.0.1 jobs: what the REST API accepts (JobDeserializer), how a job is written back
// (JobSerializer: fixed key order, doubles for cpus/disk/mem) and the validation messages.
import { formatInstant, isValidSchedule } from './iso8601.ts';

export interface FetchUri {
  uri: string;
  executable: boolean;
  cache: boolean;
  extract: boolean;
}

export interface EnvironmentVariable {
  name: string;
  value: string;
}

export interface ContainerVolume {
  hostPath?: string;
  containerPath: string;
  mode?: string;
}

export interface Container {
  type: string;
  image: string;
  network: string;
  networkName?: string;
  networkInfos: unknown[];
  volumes: ContainerVolume[];
  forcePullImage: boolean;
  parameters: { key: string; value: string }[];
}

/** A job as Chronos keeps it. Exactly one of `parents` (dependent) or `schedule` (scheduled) is set. */
export interface Job {
  name: string;
  command: string;
  shell: boolean;
  executor: string;
  executorFlags: string;
  taskInfoData: string;
  retries: number;
  owner: string;
  ownerName: string;
  description: string;
  successCount: number;
  errorCount: number;
  lastSuccess: string;
  lastError: string;
  cpus: number;
  disk: number;
  mem: number;
  disabled: boolean;
  softError: boolean;
  dataProcessingJobType: boolean;
  errorsSinceLastSuccess: number;
  fetch: FetchUri[];
  uris: string[];
  environmentVariables: EnvironmentVariable[];
  arguments: string[];
  highPriority: boolean;
  runAsUser: string;
  concurrent: boolean;
  container?: Container;
  constraints: [string, string, string][];
  parents?: string[];
  schedule?: string;
  scheduleTimeZone?: string;
}

export function isDependent(job: Job): boolean {
  return job.parents !== undefined;
}

/** Chronos' defaults (`SchedulerConfiguration`): --mesos_task_cpu/mem/disk and --user. */
export const DEFAULTS = { cpus: 0.1, mem: 128, disk: 256, user: 'root', retries: 2 } as const;

/** Java `\w` is ASCII only: `[A-Za-z0-9_]`. The whole name must match. */
export const JOB_NAME_PATTERN = /^[\w.-]+$/;
export const INVALID_NAME_MESSAGE = "the job's name is invalid. Allowed names: '([\\w\\.-]+)'";

export function isValidJobName(name: string): boolean {
  return JOB_NAME_PATTERN.test(name);
}

/**
 * The `message` of a Chronos error answered from a caught exception. The real one is the whole
 * Java stack trace (`ExceptionUtils.getStackTrace`); we give its first line, which is the part that
 * carries meaning (frames would be invented), followed by a newline as a stack trace has.
 */
export function javaException(className: string, text: string): string {
  return `${className}: ${text}\n`;
}

export function requirementFailed(text: string): string {
  return javaException('java.lang.IllegalArgumentException', `requirement failed: ${text}`);
}

/** Thrown while reading a job body; `status` is the HTTP status the real server answers. */
export class JobInputError extends Error {
  constructor(
    readonly status: 400 | 500,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

function has(node: Json, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(node, key) && node[key] !== null && node[key] !== undefined;
}

// Jackson's asText/asBoolean/asInt/asDouble are lenient; these follow them closely enough.
function text(node: Json, key: string, fallback: string): string {
  if (!has(node, key)) return fallback;
  const v = node[key];
  return typeof v === 'string' ? v : typeof v === 'object' ? '' : String(v);
}

function bool(node: Json, key: string, fallback: boolean): boolean {
  if (!has(node, key)) return fallback;
  const v = node[key];
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.trim().toLowerCase() === 'true';
  if (typeof v === 'number') return v !== 0;
  return fallback;
}

function num(node: Json, key: string, fallback: number, integer: boolean): number {
  if (!has(node, key)) return fallback;
  const v = node[key];
  const n =
    typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : typeof v === 'boolean' ? +v : NaN;
  if (!Number.isFinite(n)) return typeof v === 'string' ? 0 : fallback;
  return integer ? Math.trunc(n) : n;
}

function list(node: Json, key: string): unknown[] {
  return has(node, key) && Array.isArray(node[key]) ? (node[key] as unknown[]) : [];
}

const OPERATORS = ['EQUALS', 'LIKE', 'UNLIKE'];

/**
 * Reads a job body as Chronos 3.0.1's JobDeserializer does. `now` gives the default schedule of
 * a body with neither `parents` nor `schedule` (`R1/<now>/PT24H`, run once now).
 * `epsilon` and `async` (removed in 3.0.0) are ignored.
 */
export function readJob(body: unknown, now: number): Job {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new JobInputError(
      400,
      javaException(
        'com.fasterxml.jackson.databind.JsonMappingException',
        'Can not deserialize instance of BaseJob',
      ),
    );
  }
  const node = body as Json;
  if (!has(node, 'name')) {
    // JobDeserializer calls node.get("name").asText on a missing node (spec: expect a 5xx).
    throw new JobInputError(500, javaException('java.lang.NullPointerException', 'null'));
  }
  const positive = (v: number, fallback: number) => (v > 0 ? v : fallback);
  const fetch: FetchUri[] = list(node, 'fetch')
    .filter((f): f is Json => typeof f === 'object' && f !== null)
    .map((f) => ({
      uri: text(f, 'uri', ''),
      executable: bool(f, 'executable', false),
      cache: bool(f, 'cache', false),
      extract: bool(f, 'extract', true),
    }));
  const constraints = list(node, 'constraints')
    .filter((c): c is unknown[] => Array.isArray(c) && c.length >= 3)
    .map((c) => [String(c[0]), String(c[1]), String(c[2])] as [string, string, string])
    .filter((c) => OPERATORS.includes(c[1]));
  const job: Job = {
    name: text(node, 'name', ''),
    command: text(node, 'command', ''),
    shell: bool(node, 'shell', true),
    executor: text(node, 'executor', ''),
    executorFlags: text(node, 'executorFlags', ''),
    taskInfoData: text(node, 'taskInfoData', ''),
    retries: num(node, 'retries', DEFAULTS.retries, true),
    owner: text(node, 'owner', ''),
    ownerName: text(node, 'ownerName', ''),
    description: text(node, 'description', ''),
    successCount: num(node, 'successCount', 0, true),
    errorCount: num(node, 'errorCount', 0, true),
    lastSuccess: text(node, 'lastSuccess', ''),
    lastError: text(node, 'lastError', ''),
    cpus: positive(num(node, 'cpus', 0, false), DEFAULTS.cpus),
    disk: positive(num(node, 'disk', 0, false), DEFAULTS.disk),
    mem: positive(num(node, 'mem', 0, false), DEFAULTS.mem),
    disabled: bool(node, 'disabled', false),
    softError: bool(node, 'softError', false),
    dataProcessingJobType: bool(node, 'dataProcessingJobType', false),
    errorsSinceLastSuccess: num(node, 'errorsSinceLastSuccess', 0, true),
    fetch,
    uris: list(node, 'uris').map((u) => String(u)),
    environmentVariables: list(node, 'environmentVariables')
      .filter((e): e is Json => typeof e === 'object' && e !== null)
      .map((e) => ({ name: text(e, 'name', ''), value: text(e, 'value', '') })),
    arguments: list(node, 'arguments').map((a) => String(a)),
    highPriority: bool(node, 'highPriority', false),
    runAsUser: text(node, 'runAsUser', DEFAULTS.user),
    concurrent: bool(node, 'concurrent', false),
    constraints,
  };
  const container = readContainer(node);
  if (container) job.container = container;
  if (has(node, 'parents')) {
    job.parents = [...new Set(list(node, 'parents').map((p) => String(p)))];
  } else {
    job.schedule = has(node, 'schedule') ? text(node, 'schedule', '') : `R1/${formatInstant(now)}/PT24H`;
    job.scheduleTimeZone = text(node, 'scheduleTimeZone', '');
  }
  return job;
}

function readContainer(node: Json): Container | undefined {
  if (!has(node, 'container') || typeof node.container !== 'object') return undefined;
  const c = node.container as Json;
  if (!has(c, 'image')) return undefined;
  const volumes = list(c, 'volumes')
    .filter((v): v is Json => typeof v === 'object' && v !== null)
    .map((v) => {
      const out: ContainerVolume = { containerPath: text(v, 'containerPath', '') };
      if (has(v, 'hostPath')) out.hostPath = text(v, 'hostPath', '');
      if (has(v, 'mode')) out.mode = text(v, 'mode', 'RW').toUpperCase();
      return out;
    });
  const container: Container = {
    type: text(c, 'type', 'DOCKER').toUpperCase(),
    image: text(c, 'image', ''),
    network: text(c, 'network', 'HOST').toUpperCase(),
    networkInfos: list(c, 'networkInfos'),
    volumes,
    forcePullImage: bool(c, 'forcePullImage', false),
    parameters: list(c, 'parameters')
      .filter((p): p is Json => typeof p === 'object' && p !== null)
      .map((p) => ({ key: text(p, 'key', ''), value: text(p, 'value', '') })),
  };
  if (has(c, 'networkName')) container.networkName = text(c, 'networkName', '');
  return container;
}

/** A JSON number as Jackson writes a Scala Double: always with a decimal point (`128.0`). */
function double(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  const s = String(n);
  return /[.eE]/.test(s) ? (s.includes('e') ? s.replace('e', 'E') : s) : `${s}.0`;
}

const str = (s: string) => JSON.stringify(s);

/**
 * Writes a job as Chronos' JobSerializer does: every key, in its order, cpus/disk/mem as doubles.
 * With `mirrorFetch` (only `GET /jobs`), `fetch` and `uris` mirror each other.
 */
export function writeJob(job: Job, mirrorFetch = false): string {
  let fetch = job.fetch;
  let uris = job.uris;
  if (mirrorFetch) {
    if (fetch.length === 0)
      fetch = uris.map((uri) => ({ uri, executable: false, cache: false, extract: true }));
    else uris = fetch.map((f) => f.uri);
  }
  const parts: string[] = [
    `"name":${str(job.name)}`,
    `"command":${str(job.command)}`,
    `"shell":${job.shell}`,
    `"executor":${str(job.executor)}`,
    `"executorFlags":${str(job.executorFlags)}`,
    `"taskInfoData":${str(job.taskInfoData)}`,
    `"retries":${job.retries}`,
    `"owner":${str(job.owner)}`,
    `"ownerName":${str(job.ownerName)}`,
    `"description":${str(job.description)}`,
    `"successCount":${job.successCount}`,
    `"errorCount":${job.errorCount}`,
    `"lastSuccess":${str(job.lastSuccess)}`,
    `"lastError":${str(job.lastError)}`,
    `"cpus":${double(job.cpus)}`,
    `"disk":${double(job.disk)}`,
    `"mem":${double(job.mem)}`,
    `"disabled":${job.disabled}`,
    `"softError":${job.softError}`,
    `"dataProcessingJobType":${job.dataProcessingJobType}`,
    `"errorsSinceLastSuccess":${job.errorsSinceLastSuccess}`,
    `"fetch":[${fetch
      .map(
        (f) => `{"uri":${str(f.uri)},"executable":${f.executable},"cache":${f.cache},"extract":${f.extract}}`,
      )
      .join(',')}]`,
    `"uris":[${uris.map(str).join(',')}]`,
    `"environmentVariables":[${job.environmentVariables
      .map((e) => `{"name":${str(e.name)},"value":${str(e.value)}}`)
      .join(',')}]`,
    `"arguments":[${job.arguments.map(str).join(',')}]`,
    `"highPriority":${job.highPriority}`,
    `"runAsUser":${str(job.runAsUser)}`,
    `"concurrent":${job.concurrent}`,
  ];
  if (job.container) parts.push(`"container":${writeContainer(job.container)}`);
  parts.push(`"constraints":[${job.constraints.map((c) => `[${c.map(str).join(',')}]`).join(',')}]`);
  if (job.parents !== undefined) {
    parts.push(`"parents":[${job.parents.map(str).join(',')}]`);
  } else {
    parts.push(
      `"schedule":${str(job.schedule ?? '')}`,
      `"scheduleTimeZone":${str(job.scheduleTimeZone ?? '')}`,
    );
  }
  return `{${parts.join(',')}}`;
}

function writeContainer(c: Container): string {
  const parts = [`"type":${str(c.type)}`, `"image":${str(c.image)}`, `"network":${str(c.network)}`];
  if (c.networkName !== undefined) parts.push(`"networkName":${str(c.networkName)}`);
  parts.push(
    `"networkInfos":${JSON.stringify(c.networkInfos)}`,
    `"volumes":[${c.volumes
      .map((v) => {
        const vp: string[] = [];
        if (v.hostPath !== undefined) vp.push(`"hostPath":${str(v.hostPath)}`);
        vp.push(`"containerPath":${str(v.containerPath)}`);
        if (v.mode !== undefined) vp.push(`"mode":${str(v.mode)}`);
        return `{${vp.join(',')}}`;
      })
      .join(',')}]`,
    `"forcePullImage":${c.forcePullImage}`,
    `"parameters":[${c.parameters.map((p) => `{"key":${str(p.key)},"value":${str(p.value)}}`).join(',')}]`,
  );
  return `{${parts.join(',')}}`;
}

/** Whether the schedule of a scheduled job can be parsed (dependent jobs have none). */
export function hasValidSchedule(job: Job): boolean {
  return job.schedule !== undefined && isValidSchedule(job.schedule, job.scheduleTimeZone ?? '');
}
