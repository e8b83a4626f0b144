// The app definition as Marathon 1.3.6 keeps it (state/AppDefinition.scala) and writes it
// (Formats RunSpecWrites / ExtendedAppInfoWrites): defaults, field order, double fields.
import { dbl, isoTime } from './json.ts';

export type ConstraintOperator = 'UNIQUE' | 'LIKE' | 'CLUSTER' | 'GROUP_BY' | 'UNLIKE' | 'MAX_PER';
/** Java enum order of Protos.Constraint.Operator, used in the "must be one of" message. */
export const CONSTRAINT_OPERATORS: readonly ConstraintOperator[] = [
  'UNIQUE',
  'LIKE',
  'CLUSTER',
  'GROUP_BY',
  'UNLIKE',
  'MAX_PER',
];

export type Constraint = [string, ConstraintOperator] | [string, ConstraintOperator, string];

export type HealthProtocol = 'HTTP' | 'HTTPS' | 'TCP' | 'COMMAND';

export interface HealthCheck {
  path?: string;
  protocol: HealthProtocol;
  portIndex?: number;
  command?: { value: string };
  gracePeriodSeconds: number;
  intervalSeconds: number;
  timeoutSeconds: number;
  maxConsecutiveFailures: number;
  ignoreHttp1xx: boolean;
  port?: number;
}

export interface PortDefinition {
  port: number;
  protocol: string;
  name?: string;
  labels: Record<string, string>;
}

export interface FetchUri {
  uri: string;
  extract: boolean;
  executable: boolean;
  cache: boolean;
  outputFile?: string;
}

export interface VersionInfo {
  lastScalingAt: number;
  lastConfigChangeAt: number;
}

/** A normalised app. Times are epoch milliseconds. Opaque parts (container, readiness checks,
 *  ipAddress, residency, secrets) are kept as the JSON they were given in. */
export interface AppDefinition {
  id: string;
  cmd: string | null;
  args: string[] | null;
  user: string | null;
  env: Record<string, string>;
  instances: number;
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
  executor: string;
  constraints: Constraint[];
  fetch: FetchUri[];
  storeUrls: string[];
  backoffSeconds: number;
  backoffFactor: number;
  maxLaunchDelaySeconds: number;
  container: unknown;
  healthChecks: HealthCheck[];
  readinessChecks: unknown[];
  dependencies: string[];
  upgradeStrategy: { minimumHealthCapacity: number; maximumOverCapacity: number };
  labels: Record<string, string>;
  acceptedResourceRoles: string[] | null;
  ipAddress: unknown;
  version: number;
  residency: unknown;
  secrets: Record<string, unknown>;
  taskKillGracePeriodSeconds: number | null;
  portDefinitions: PortDefinition[];
  requirePorts: boolean;
  versionInfo?: VersionInfo;
}

export const APP_DEFAULTS = {
  instances: 1,
  cpus: 1.0,
  mem: 128.0,
  disk: 0.0,
  gpus: 0,
  backoffSeconds: 1,
  backoffFactor: 1.15,
  maxLaunchDelaySeconds: 3600,
  upgradeStrategy: { minimumHealthCapacity: 1.0, maximumOverCapacity: 1.0 },
} as const;

export const HEALTH_DEFAULTS = {
  protocol: 'HTTP' as HealthProtocol,
  gracePeriodSeconds: 300,
  intervalSeconds: 60,
  timeoutSeconds: 20,
  maxConsecutiveFailures: 3,
  ignoreHttp1xx: false,
};

export function servicePorts(app: AppDefinition): number[] {
  return app.portDefinitions.map((p) => p.port);
}

export function healthCheckJson(hc: HealthCheck): Record<string, unknown> {
  return {
    path: hc.path,
    protocol: hc.protocol,
    portIndex: hc.portIndex,
    command: hc.command,
    gracePeriodSeconds: hc.gracePeriodSeconds,
    intervalSeconds: hc.intervalSeconds,
    timeoutSeconds: hc.timeoutSeconds,
    maxConsecutiveFailures: hc.maxConsecutiveFailures,
    ignoreHttp1xx: hc.ignoreHttp1xx,
    port: hc.port,
  };
}

const jsonCache = new WeakMap<AppDefinition, Record<string, unknown>>();

/** Fields 1–34 of the app JSON, in Marathon's order (§3.2 of the spec). Stored apps are not
 *  mutated, so the JSON is built once per app object; callers get a shallow copy. */
export function appJson(
  app: AppDefinition,
  options: { withVersionInfo?: boolean } = {},
): Record<string, unknown> {
  if (options.withVersionInfo === false) return buildAppJson(app, false);
  let cached = jsonCache.get(app);
  if (!cached) {
    cached = buildAppJson(app, true);
    jsonCache.set(app, cached);
  }
  return { ...cached };
}

function buildAppJson(app: AppDefinition, withVersionInfo: boolean): Record<string, unknown> {
  const hasIp = app.ipAddress !== null && app.ipAddress !== undefined;
  const out: Record<string, unknown> = {
    id: app.id,
    cmd: app.cmd,
    args: app.args,
    user: app.user,
    env: app.env,
    instances: app.instances,
    cpus: dbl(app.cpus),
    mem: dbl(app.mem),
    disk: dbl(app.disk),
    gpus: app.gpus,
    executor: app.executor,
    constraints: app.constraints,
    uris: app.fetch.map((f) => f.uri),
    fetch: app.fetch.map((f) => ({
      uri: f.uri,
      extract: f.extract,
      executable: f.executable,
      cache: f.cache,
      outputFile: f.outputFile,
    })),
    storeUrls: app.storeUrls,
    backoffSeconds: app.backoffSeconds,
    backoffFactor: dbl(app.backoffFactor),
    maxLaunchDelaySeconds: app.maxLaunchDelaySeconds,
    container: app.container,
    healthChecks: app.healthChecks.map(healthCheckJson),
    readinessChecks: app.readinessChecks,
    dependencies: app.dependencies,
    upgradeStrategy: {
      minimumHealthCapacity: dbl(app.upgradeStrategy.minimumHealthCapacity),
      maximumOverCapacity: dbl(app.upgradeStrategy.maximumOverCapacity),
    },
    labels: app.labels,
    acceptedResourceRoles: app.acceptedResourceRoles,
    ipAddress: app.ipAddress,
    version: isoTime(app.version),
    residency: app.residency,
    secrets: app.secrets,
    taskKillGracePeriodSeconds: app.taskKillGracePeriodSeconds,
  };
  if (!hasIp) {
    out.ports = servicePorts(app);
    out.portDefinitions = app.portDefinitions.map((p) => ({
      port: p.port,
      protocol: p.protocol,
      name: p.name,
      labels: p.labels,
    }));
    out.requirePorts = app.requirePorts;
  } else {
    out.portDefinitions = [];
  }
  if (withVersionInfo && app.versionInfo) {
    out.versionInfo = {
      lastScalingAt: isoTime(app.versionInfo.lastScalingAt),
      lastConfigChangeAt: isoTime(app.versionInfo.lastConfigChangeAt),
    };
  }
  return out;
}

/** Everything but versions and instances: a change here is a config change (isUpgrade). */
export function configKey(app: AppDefinition): string {
  const rest: Partial<AppDefinition> = { ...app };
  delete rest.version;
  delete rest.versionInfo;
  delete rest.instances;
  return JSON.stringify(rest);
}

export function cloneApp(app: AppDefinition): AppDefinition {
  return JSON.parse(JSON.stringify(app)) as AppDefinition;
}
