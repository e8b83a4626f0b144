// Reading and validating an app definition as Marathon 1.3.6 does, importable on its own (the
// course site's app definition checker runs it in the browser).
//
// Two stages, as in Marathon: play-json *reads* (wrong types, missing id: 400 "Invalid JSON")
// and wix-accord *validation* (semantic rules: 422 "Object is not valid"). Unknown fields are
// ignored, as the real server ignores them.
//
// Assumptions where the spec is silent (no real 1.3.6 at hand to compare):
// - read-error paths use play-json's JsPath syntax (`/healthChecks(0)/protocol`);
// - wix-accord prints the offending value in its Scala type: `got -3, expected 0 or more` for the
//   Int fields (instances, gpus), `got -3.0, expected 0.0 or more` for the Double ones;
// - a non-integer where an Int is expected is `error.expected.int`, a non-number `error.expected.jsnumber`.
import { ID_SEGMENT_PATTERN, canonicalId, parentId, segments, validIdSegments } from './ids.ts';
import { formatDouble, parseIsoTime } from './json.ts';
import {
  APP_DEFAULTS,
  CONSTRAINT_OPERATORS,
  HEALTH_DEFAULTS,
  type AppDefinition,
  type Constraint,
  type ConstraintOperator,
  type FetchUri,
  type HealthCheck,
  type HealthProtocol,
  type PortDefinition,
} from './model.ts';

export interface PathErrors {
  path: string;
  errors: string[];
}

export interface ErrorBody {
  message: string;
  details?: PathErrors[] | string;
}

export type ReadResult =
  | { ok: true; app: AppDefinition; rollbackVersion?: number }
  | { ok: false; status: 400 | 422; body: ErrorBody };

type Json = unknown;
type Obj = Record<string, Json>;

function isObj(v: Json): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Errors {
  private readonly map = new Map<string, string[]>();
  add(path: string, message: string): void {
    const list = this.map.get(path) ?? [];
    if (!list.includes(message)) list.push(message);
    this.map.set(path, list);
  }
  get empty(): boolean {
    return this.map.size === 0;
  }
  details(): PathErrors[] {
    return [...this.map].map(([path, errors]) => ({ path, errors }));
  }
}

const EXTRACT_SUFFIXES = ['.tgz', '.tar.gz', '.tbz2', '.tar.bz2', '.txz', '.tar.xz', '.zip'];

/** Reads helpers: each returns undefined when absent/null, records an error when mistyped. */
class Reader {
  constructor(readonly errors: Errors) {}

  str(o: Obj, key: string, path: string): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.errors.add(path, 'error.expected.jsstring');
      return undefined;
    }
    return v;
  }

  num(o: Obj, key: string, path: string): number | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.errors.add(path, 'error.expected.jsnumber');
      return undefined;
    }
    return v;
  }

  int(o: Obj, key: string, path: string): number | undefined {
    const v = this.num(o, key, path);
    if (v === undefined) return undefined;
    if (!Number.isInteger(v)) {
      this.errors.add(path, 'error.expected.int');
      return undefined;
    }
    return v;
  }

  bool(o: Obj, key: string, path: string): boolean | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') {
      this.errors.add(path, 'error.expected.jsboolean');
      return undefined;
    }
    return v;
  }

  strArray(o: Obj, key: string, path: string): string[] | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      this.errors.add(path, 'error.expected.jsarray');
      return undefined;
    }
    const out: string[] = [];
    v.forEach((x, i) => {
      if (typeof x !== 'string') this.errors.add(`${path}(${i})`, 'error.expected.jsstring');
      else out.push(x);
    });
    return out;
  }

  strMap(o: Obj, key: string, path: string): Record<string, string> | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (!isObj(v)) {
      this.errors.add(path, 'error.expected.jsobject');
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      if (typeof x !== 'string') this.errors.add(`${path}/${k}`, 'error.expected.jsstring');
      else out[k] = x;
    }
    return out;
  }
}

function readConstraints(r: Reader, o: Obj): Constraint[] | undefined {
  const v = o.constraints;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    r.errors.add('/constraints', 'error.expected.jsarray');
    return undefined;
  }
  const out: Constraint[] = [];
  v.forEach((c, i) => {
    const path = `/constraints(${i})`;
    if (!Array.isArray(c) || c.length < 2 || c.length > 3 || !c.every((x) => typeof x === 'string')) {
      r.errors.add(
        path,
        'Constraint definition must be an array of strings in format: <key>, <operator>[, value]',
      );
      return;
    }
    const [field, op, value] = c as string[];
    if (!CONSTRAINT_OPERATORS.includes(op as ConstraintOperator)) {
      r.errors.add(
        path,
        `Constraint operator must be one of the following: [${CONSTRAINT_OPERATORS.join(', ')}]`,
      );
      return;
    }
    out.push(
      value === undefined ? [field, op as ConstraintOperator] : [field, op as ConstraintOperator, value],
    );
  });
  return out;
}

function readHealthChecks(r: Reader, o: Obj): HealthCheck[] | undefined {
  const v = o.healthChecks;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    r.errors.add('/healthChecks', 'error.expected.jsarray');
    return undefined;
  }
  const out: HealthCheck[] = [];
  v.forEach((h, i) => {
    const base = `/healthChecks(${i})`;
    if (!isObj(h)) {
      r.errors.add(base, 'error.expected.jsobject');
      return;
    }
    const protocolRaw = r.str(h, 'protocol', `${base}/protocol`);
    let protocol: HealthProtocol = HEALTH_DEFAULTS.protocol;
    if (protocolRaw !== undefined) {
      if (['HTTP', 'HTTPS', 'TCP', 'COMMAND'].includes(protocolRaw)) protocol = protocolRaw as HealthProtocol;
      else r.errors.add(`${base}/protocol`, `${protocolRaw} is not a valid protocol`);
    }
    let command: { value: string } | undefined;
    if (h.command !== undefined && h.command !== null) {
      if (isObj(h.command) && typeof h.command.value === 'string') command = { value: h.command.value };
      else r.errors.add(`${base}/command/value`, 'error.expected.jsstring');
    }
    const hc: HealthCheck = {
      path: r.str(h, 'path', `${base}/path`),
      protocol,
      portIndex: r.int(h, 'portIndex', `${base}/portIndex`),
      command,
      gracePeriodSeconds:
        r.int(h, 'gracePeriodSeconds', `${base}/gracePeriodSeconds`) ?? HEALTH_DEFAULTS.gracePeriodSeconds,
      intervalSeconds:
        r.int(h, 'intervalSeconds', `${base}/intervalSeconds`) ?? HEALTH_DEFAULTS.intervalSeconds,
      timeoutSeconds: r.int(h, 'timeoutSeconds', `${base}/timeoutSeconds`) ?? HEALTH_DEFAULTS.timeoutSeconds,
      maxConsecutiveFailures:
        r.int(h, 'maxConsecutiveFailures', `${base}/maxConsecutiveFailures`) ??
        HEALTH_DEFAULTS.maxConsecutiveFailures,
      ignoreHttp1xx: r.bool(h, 'ignoreHttp1xx', `${base}/ignoreHttp1xx`) ?? HEALTH_DEFAULTS.ignoreHttp1xx,
      port: r.int(h, 'port', `${base}/port`),
    };
    out.push(hc);
  });
  return out;
}

function readPortDefinitions(r: Reader, o: Obj): PortDefinition[] | undefined {
  const v = o.portDefinitions;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    r.errors.add('/portDefinitions', 'error.expected.jsarray');
    return undefined;
  }
  const out: PortDefinition[] = [];
  v.forEach((p, i) => {
    const base = `/portDefinitions(${i})`;
    if (!isObj(p)) {
      r.errors.add(base, 'error.expected.jsobject');
      return;
    }
    const port = r.int(p, 'port', `${base}/port`);
    if (port === undefined && (p.port === undefined || p.port === null))
      r.errors.add(`${base}/port`, 'error.path.missing');
    const name = r.str(p, 'name', `${base}/name`);
    out.push({
      port: port ?? 0,
      protocol: r.str(p, 'protocol', `${base}/protocol`) ?? 'tcp',
      name,
      labels: r.strMap(p, 'labels', `${base}/labels`) ?? {},
    });
  });
  return out;
}

function readPorts(r: Reader, o: Obj): number[] | undefined {
  const v = o.ports;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    r.errors.add('/ports', 'error.expected.jsarray');
    return undefined;
  }
  const out: number[] = [];
  v.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isInteger(x)) r.errors.add(`/ports(${i})`, 'error.expected.int');
    else out.push(x);
  });
  return out;
}

function readFetch(r: Reader, o: Obj): FetchUri[] | undefined {
  const v = o.fetch;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    r.errors.add('/fetch', 'error.expected.jsarray');
    return undefined;
  }
  const out: FetchUri[] = [];
  v.forEach((f, i) => {
    const base = `/fetch(${i})`;
    if (!isObj(f)) {
      r.errors.add(base, 'error.expected.jsobject');
      return;
    }
    const uri = r.str(f, 'uri', `${base}/uri`);
    if (uri === undefined) {
      r.errors.add(`${base}/uri`, 'error.path.missing');
      return;
    }
    out.push({
      uri,
      extract: r.bool(f, 'extract', `${base}/extract`) ?? true,
      executable: r.bool(f, 'executable', `${base}/executable`) ?? false,
      cache: r.bool(f, 'cache', `${base}/cache`) ?? false,
      outputFile: r.str(f, 'outputFile', `${base}/outputFile`),
    });
  });
  return out;
}

function invalidJson(errors: Errors): ReadResult {
  return { ok: false, status: 400, body: { message: 'Invalid JSON', details: errors.details() } };
}

/** A `Reads.filter` failure: play-json puts it on the path the filter was applied to. */
function readFilterError(path: string, message: string): ReadResult {
  return {
    ok: false,
    status: 400,
    body: { message: 'Invalid JSON', details: [{ path, errors: [message] }] },
  };
}

/** The top-level fields `readApp` reads; Marathon 1.3.6 ignores any other field without a word. */
export const APP_FIELDS: readonly string[] = [
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
];

export interface ReadOptions {
  /** The app being updated (PUT): fields absent from the body keep its values. */
  base?: AppDefinition;
  /** The id from the URL (PUT): it overrides any id in the body. */
  pathId?: string;
  /** The version to stamp on the result (epoch ms). */
  now?: number;
}

/**
 * Reads an app definition (POST body, or a PUT body merged over `base`) and validates it.
 * Returns the normalised app, or the status and body Marathon 1.3.6 answers with.
 */
export function readApp(json: unknown, options: ReadOptions = {}): ReadResult {
  const errors = new Errors();
  const r = new Reader(errors);
  if (!isObj(json)) {
    errors.add('', 'error.expected.jsobject');
    return invalidJson(errors);
  }
  const o = json;
  const base = options.base;

  // id
  let rawId: string | undefined;
  if (options.pathId !== undefined) rawId = options.pathId;
  else if (o.id === undefined || o.id === null) errors.add('/id', 'error.path.missing');
  else if (typeof o.id !== 'string') errors.add('/id', 'error.expected.jsstring');
  else if (o.id.length === 0) errors.add('/id', 'error.minLength');
  // PathId reads: `read[PathId].filterNot(_.isRoot)` gives play-json's default error.
  else if (segments(o.id).length === 0) errors.add('/id', 'error.invalid');
  else rawId = o.id;

  const cmdRaw = o.cmd;
  let cmd: string | null | undefined;
  if (cmdRaw === null) cmd = null;
  else if (cmdRaw !== undefined) {
    if (typeof cmdRaw !== 'string') errors.add('/cmd', 'error.expected.jsstring');
    else if (cmdRaw.length < 1) errors.add('/cmd', 'error.minLength');
    else cmd = cmdRaw;
  }
  const args = o.args === null ? null : r.strArray(o, 'args', '/args');
  const user = o.user === null ? null : r.str(o, 'user', '/user');
  const env = readEnv(r, o);
  const instances = r.int(o, 'instances', '/instances');
  const cpus = r.num(o, 'cpus', '/cpus');
  const mem = r.num(o, 'mem', '/mem');
  const disk = r.num(o, 'disk', '/disk');
  const gpus = r.int(o, 'gpus', '/gpus');
  const executor = r.str(o, 'executor', '/executor');
  const constraints = readConstraints(r, o);
  const uris = r.strArray(o, 'uris', '/uris');
  let fetch = readFetch(r, o);
  const storeUrls = r.strArray(o, 'storeUrls', '/storeUrls');
  const backoffSeconds = r.int(o, 'backoffSeconds', '/backoffSeconds');
  const backoffFactor = r.num(o, 'backoffFactor', '/backoffFactor');
  const maxLaunchDelaySeconds = r.int(o, 'maxLaunchDelaySeconds', '/maxLaunchDelaySeconds');
  const healthChecks = readHealthChecks(r, o);
  let readinessChecks: unknown[] | undefined;
  if (o.readinessChecks !== undefined && o.readinessChecks !== null) {
    if (Array.isArray(o.readinessChecks)) readinessChecks = o.readinessChecks;
    else errors.add('/readinessChecks', 'error.expected.jsarray');
  }
  const dependencies = r.strArray(o, 'dependencies', '/dependencies');
  let upgradeStrategy: { minimumHealthCapacity: number; maximumOverCapacity: number } | undefined;
  if (o.upgradeStrategy !== undefined && o.upgradeStrategy !== null) {
    if (!isObj(o.upgradeStrategy)) errors.add('/upgradeStrategy', 'error.expected.jsobject');
    else {
      const u = o.upgradeStrategy;
      upgradeStrategy = {
        minimumHealthCapacity:
          r.num(u, 'minimumHealthCapacity', '/upgradeStrategy/minimumHealthCapacity') ??
          APP_DEFAULTS.upgradeStrategy.minimumHealthCapacity,
        maximumOverCapacity:
          r.num(u, 'maximumOverCapacity', '/upgradeStrategy/maximumOverCapacity') ??
          APP_DEFAULTS.upgradeStrategy.maximumOverCapacity,
      };
    }
  }
  const labels = r.strMap(o, 'labels', '/labels');
  const acceptedResourceRoles =
    o.acceptedResourceRoles === null
      ? null
      : r.strArray(o, 'acceptedResourceRoles', '/acceptedResourceRoles');
  let container: unknown = undefined;
  if (o.container !== undefined) {
    if (o.container !== null && !isObj(o.container)) errors.add('/container', 'error.expected.jsobject');
    else container = o.container;
  }
  let ipAddress: unknown = undefined;
  if (o.ipAddress !== undefined) {
    if (o.ipAddress !== null && !isObj(o.ipAddress)) errors.add('/ipAddress', 'error.expected.jsobject');
    else ipAddress = o.ipAddress;
  }
  const residency = o.residency === undefined ? undefined : o.residency;
  let secrets: Record<string, unknown> | undefined;
  if (o.secrets !== undefined && o.secrets !== null) {
    if (isObj(o.secrets)) secrets = o.secrets;
    else errors.add('/secrets', 'error.expected.jsobject');
  }
  const taskKillGracePeriodSeconds =
    o.taskKillGracePeriodSeconds === null
      ? null
      : r.int(o, 'taskKillGracePeriodSeconds', '/taskKillGracePeriodSeconds');
  const requirePorts = r.bool(o, 'requirePorts', '/requirePorts');
  const ports = readPorts(r, o);
  let portDefinitions = readPortDefinitions(r, o);
  let rollbackVersion: number | undefined;
  if (options.base && o.version !== undefined && o.version !== null) {
    if (typeof o.version !== 'string') errors.add('/version', 'error.expected.jsstring');
    else {
      const t = parseIsoTime(o.version);
      if (t === undefined) errors.add('/version', 'error.expected.date.isoformat');
      else rollbackVersion = t;
    }
  }

  if (!errors.empty) return invalidJson(errors);

  // Cross-field read rules (400 from reads in Marathon).
  if (uris !== undefined && fetch !== undefined && uris.length > 0 && fetch.length > 0)
    return readFilterError('', 'You cannot specify both uris and fetch fields');
  if (fetch === undefined && uris !== undefined)
    fetch = uris.map((uri) => ({
      uri,
      extract: EXTRACT_SUFFIXES.some((s) => uri.endsWith(s)),
      executable: false,
      cache: false,
    }));
  if (ports !== undefined && portDefinitions !== undefined) {
    const same =
      ports.length === portDefinitions.length && ports.every((p, i) => p === portDefinitions![i].port);
    if (!same) return readFilterError('', 'You cannot specify both ports and port definitions');
  }
  if (portDefinitions === undefined && ports !== undefined)
    portDefinitions = ports.map((port) => ({ port, protocol: 'tcp', labels: {} }));
  if (ports !== undefined) {
    // `(__ \ "ports").readNullable[Seq[Int]](uniquePorts)`
    const nonZero = ports.filter((p) => p !== 0);
    if (new Set(nonZero).size !== nonZero.length) return readFilterError('/ports', 'Ports must be unique.');
  }
  const effectiveIp = ipAddress !== undefined ? ipAddress : base?.ipAddress;
  if (effectiveIp !== null && effectiveIp !== undefined && (ports?.length || portDefinitions?.length))
    return readFilterError('', 'You cannot specify both an IP address and ports');

  const id = canonicalId(rawId!);
  const now = options.now ?? 0;
  const pick = <T>(v: T | undefined, b: T | undefined, d: T): T =>
    v !== undefined ? v : b !== undefined ? b : d;
  const app: AppDefinition = {
    id,
    cmd: pick(cmd, base?.cmd, null),
    args: pick(args, base?.args, null),
    user: pick(user, base?.user, null),
    env: pick(env, base?.env, {}),
    instances: pick(instances, base?.instances, APP_DEFAULTS.instances),
    cpus: pick(cpus, base?.cpus, APP_DEFAULTS.cpus),
    mem: pick(mem, base?.mem, APP_DEFAULTS.mem),
    disk: pick(disk, base?.disk, APP_DEFAULTS.disk),
    gpus: pick(gpus, base?.gpus, APP_DEFAULTS.gpus),
    executor: pick(executor, base?.executor, ''),
    constraints: pick(constraints, base?.constraints, []),
    fetch: pick(fetch, base?.fetch, []),
    storeUrls: pick(storeUrls, base?.storeUrls, []),
    backoffSeconds: pick(backoffSeconds, base?.backoffSeconds, APP_DEFAULTS.backoffSeconds),
    backoffFactor: pick(backoffFactor, base?.backoffFactor, APP_DEFAULTS.backoffFactor),
    maxLaunchDelaySeconds: pick(
      maxLaunchDelaySeconds,
      base?.maxLaunchDelaySeconds,
      APP_DEFAULTS.maxLaunchDelaySeconds,
    ),
    container: pick(container, base?.container, null),
    healthChecks: pick(healthChecks, base?.healthChecks, []),
    readinessChecks: pick(readinessChecks, base?.readinessChecks, []),
    dependencies: (dependencies ?? base?.dependencies ?? []).map((d) => canonicalId(d, parentId(id))),
    upgradeStrategy: pick(upgradeStrategy, base?.upgradeStrategy, { ...APP_DEFAULTS.upgradeStrategy }),
    labels: pick(labels, base?.labels, {}),
    acceptedResourceRoles: pick(acceptedResourceRoles, base?.acceptedResourceRoles, null),
    ipAddress: pick(ipAddress, base?.ipAddress, null),
    version: now,
    residency: pick(residency, base?.residency, null),
    secrets: pick(secrets, base?.secrets, {}),
    taskKillGracePeriodSeconds: pick(taskKillGracePeriodSeconds, base?.taskKillGracePeriodSeconds, null),
    portDefinitions: pick(portDefinitions, base?.portDefinitions, [{ port: 0, protocol: 'tcp', labels: {} }]),
    requirePorts: pick(requirePorts, base?.requirePorts, false),
  };
  if (app.ipAddress !== null && portDefinitions === undefined && !base) app.portDefinitions = [];
  // A non-COMMAND health check without port/portIndex gets portIndex 0 when the app has ports.
  app.healthChecks = app.healthChecks.map((hc) =>
    hc.protocol !== 'COMMAND' &&
    hc.port === undefined &&
    hc.portIndex === undefined &&
    app.portDefinitions.length > 0
      ? { ...hc, portIndex: 0 }
      : hc,
  );

  const invalid = validateApp(app, rawId!);
  if (invalid) return { ok: false, status: 422, body: { message: 'Object is not valid', details: invalid } };
  return { ok: true, app, rollbackVersion };
}

function readEnv(r: Reader, o: Obj): Record<string, string> | undefined {
  const v = o.env;
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) {
    r.errors.add('/env', 'error.expected.jsobject');
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    // 1.3 also accepts secret references ({"secret": "name"}); they are kept out of the task env.
    if (typeof x === 'string') out[k] = x;
    else if (!(isObj(x) && typeof x.secret === 'string'))
      r.errors.add(`/env/${k}`, 'error.expected.jsstring');
  }
  return out;
}

function isValidRegex(v: string): boolean {
  try {
    new RegExp(`^(?:${v})$`);
    return true;
  } catch {
    return false;
  }
}

/** wix-accord rules of AppDefinition (422). Returns the grouped details, or undefined when valid. */
export function validateApp(app: AppDefinition, rawId: string = app.id): PathErrors[] | undefined {
  const errors = new Errors();
  if (!validIdSegments(rawId))
    errors.add('/id', `must fully match regular expression '${ID_SEGMENT_PATTERN}'`);
  const hasCmd = app.cmd !== null;
  const hasArgs = app.args !== null;
  if (!(hasCmd !== hasArgs || app.container !== null))
    errors.add('/', "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.");
  if (app.instances < 0) errors.add('/instances', `got ${app.instances}, expected 0 or more`);
  if (app.gpus < 0) errors.add('/gpus', `got ${app.gpus}, expected 0 or more`);
  for (const k of ['cpus', 'mem', 'disk'] as const)
    if (app[k] < 0) errors.add(`/${k}`, `got ${formatDouble(app[k])}, expected 0.0 or more`);
  for (const k of ['minimumHealthCapacity', 'maximumOverCapacity'] as const) {
    const v = app.upgradeStrategy[k];
    if (v < 0 || v > 1)
      errors.add(`/upgradeStrategy/${k}`, `got ${formatDouble(v)}, expected between 0.0 and 1.0`);
  }
  for (const c of app.constraints) {
    const [, op, value] = c;
    switch (op) {
      case 'UNIQUE':
        if (value !== undefined && value !== '') errors.add('/constraints', 'Value specified but not used');
        break;
      case 'CLUSTER':
        if (value === undefined || value === '') errors.add('/constraints', 'Missing value');
        break;
      case 'GROUP_BY':
        if (value !== undefined && !/^\d+$/.test(value))
          errors.add('/constraints', 'Value was specified but is not a number');
        break;
      case 'MAX_PER':
        if (value === undefined || !/^\d+$/.test(value))
          errors.add('/constraints', 'Value was specified but is not a number');
        break;
      case 'LIKE':
      case 'UNLIKE':
        if (value === undefined) errors.add('/constraints', 'A regular expression value must be provided');
        else if (!isValidRegex(value))
          errors.add('/constraints', `'${value}' is not a valid regular expression`);
        break;
    }
  }
  for (const hc of app.healthChecks) {
    if (hc.portIndex !== undefined && (hc.portIndex < 0 || hc.portIndex >= app.portDefinitions.length))
      errors.add(
        '/',
        'Health check port indices must address an element of the ports array or container port mappings.',
      );
    if (hc.protocol === 'COMMAND' && !hc.command)
      errors.add('/healthChecks', 'Health check of type COMMAND needs a command');
  }
  const nonZero = app.portDefinitions.map((p) => p.port).filter((p) => p !== 0);
  if (new Set(nonZero).size !== nonZero.length) errors.add('/portDefinitions', 'Ports must be unique.');
  for (const d of app.dependencies)
    if (!validIdSegments(d))
      errors.add('/dependencies', `must fully match regular expression '${ID_SEGMENT_PATTERN}'`);
  return errors.empty ? undefined : errors.details();
}

/**
 * For the course site's app definition checker: the app as Marathon would store it, or the
 * error Marathon would answer (400 for malformed JSON fields, 422 for rule violations).
 */
export function checkAppDefinition(json: unknown): ReadResult {
  return readApp(json, { now: 0 });
}

/** Parses request text as Marathon's Jackson would, giving the 400 bodies for empty and broken JSON. */
export function parseJsonBody(text: string): { ok: true; value: unknown } | { ok: false; body: ErrorBody } {
  if (text.trim().length === 0)
    return {
      ok: false,
      body: {
        message: 'Please specify data in JSON format',
        details: 'No content to map due to end-of-input\n at [Source: ; line: 1, column: 0]',
      },
    };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, body: { message: 'Invalid JSON', details: jacksonLikeMessage(text, e) } };
  }
}

function jacksonLikeMessage(text: string, e: unknown): string {
  // Jackson's text cannot be reproduced exactly; keep its shape: what went wrong and where.
  const m = /position (\d+)/.exec(String(e));
  const pos = m ? Number(m[1]) : text.length;
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  const ch = text[pos];
  const what =
    ch === undefined
      ? 'Unexpected end-of-input'
      : `Unexpected character ('${ch}' (code ${ch.charCodeAt(0)}))`;
  return `${what}\n at [Source: ${text.slice(0, 200)}; line: ${line}, column: ${column}]`;
}
