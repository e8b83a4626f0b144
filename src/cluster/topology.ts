// The shape of the course's cluster, declared once and used by both backends
// (the compose file is tested against these values) and by the checks.

export type ServiceName =
  'zookeeper' | 'mesos-master' | 'mesos-agent-1' | 'mesos-agent-2' | 'marathon' | 'chronos';

export const SERVICE_NAMES: readonly ServiceName[] = [
  'zookeeper',
  'mesos-master',
  'mesos-agent-1',
  'mesos-agent-2',
  'marathon',
  'chronos',
];

export interface ServicePort {
  service: ServiceName;
  /** The `.env` variable that moves this port, the same for both backends. */
  envVar: string;
  defaultPort: number;
  /** What a student calls it, in Portuguese. */
  label: string;
}

export const SERVICE_PORTS: readonly ServicePort[] = [
  { service: 'zookeeper', envVar: 'ZK_PORT', defaultPort: 2181, label: 'ZooKeeper' },
  { service: 'mesos-master', envVar: 'MASTER_PORT', defaultPort: 5050, label: 'Mesos master' },
  { service: 'mesos-agent-1', envVar: 'AGENT1_PORT', defaultPort: 5151, label: 'agente Mesos 1' },
  { service: 'mesos-agent-2', envVar: 'AGENT2_PORT', defaultPort: 5152, label: 'agente Mesos 2' },
  { service: 'marathon', envVar: 'MARATHON_PORT', defaultPort: 8080, label: 'Marathon' },
  { service: 'chronos', envVar: 'CHRONOS_PORT', defaultPort: 4400, label: 'Chronos' },
];

export interface AgentSpec {
  service: 'mesos-agent-1' | 'mesos-agent-2';
  hostname: string;
  /** MESOS_RESOURCES, exactly as the compose file passes it to the agent. */
  resources: string;
  /** MESOS_ATTRIBUTES, exactly as the compose file passes it to the agent. */
  attributes: string;
  taskPorts: { begin: number; end: number };
}

export const AGENTS: readonly AgentSpec[] = [
  {
    service: 'mesos-agent-1',
    hostname: 'mesos-agent-1',
    resources: 'cpus:2;mem:1024;disk:2048;ports:[31000-31009]',
    attributes: 'rack:a',
    taskPorts: { begin: 31000, end: 31009 },
  },
  {
    service: 'mesos-agent-2',
    hostname: 'mesos-agent-2',
    resources: 'cpus:2;mem:1024;disk:2048;ports:[31010-31019]',
    attributes: 'rack:b',
    taskPorts: { begin: 31010, end: 31019 },
  },
];

export const CLUSTER_NAME = 'UFSC';
export const MASTER_HOSTNAME = 'mesos-master';

/** The only Host names the simulator answers to (besides loopback addresses). */
export const CLUSTER_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]', ...SERVICE_NAMES];

export type Ports = Record<ServiceName, number>;

/** Ports after applying `.env`-style overrides; a bad value falls back to the default. */
export function resolvePorts(env: Record<string, string | undefined> = {}): Ports {
  const ports = {} as Ports;
  for (const p of SERVICE_PORTS) {
    const raw = env[p.envVar];
    const n = raw === undefined ? NaN : Number(raw);
    ports[p.service] = Number.isInteger(n) && n > 0 && n < 65536 ? n : p.defaultPort;
  }
  return ports;
}
