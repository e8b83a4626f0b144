// All clients of one cluster, built from its addresses. Checks receive this and nothing else.
import { ChronosClient } from './chronos.ts';
import { clusterAddresses, type ClusterAddresses, type HttpOptions } from './http.ts';
import { MarathonClient } from './marathon.ts';
import { MesosAgentClient, MesosMasterClient } from './mesos.ts';

/** Read access to the ZooKeeper tree (Node: a real client; in-process: the simulator's database). */
export interface ZkReader {
  /** Child names of a znode (not full paths), or undefined when the znode does not exist. */
  children(path: string): Promise<string[] | undefined>;
  /** Data of a znode as UTF-8 text, or undefined when it does not exist. */
  getData(path: string): Promise<string | undefined>;
}

export interface ClusterClients {
  addresses: ClusterAddresses;
  master: MesosMasterClient;
  agents: MesosAgentClient[];
  marathon: MarathonClient;
  chronos: ChronosClient;
  /** Absent where no ZooKeeper access is available (then a check that needs it answers "ambiente"). */
  zk?: ZkReader;
  /** GET on any address (a task's port); same timeout and error rules as the clients. */
  fetch?: HttpOptions['fetch'];
}

export function createClusterClients(
  addresses: ClusterAddresses = clusterAddresses(),
  options: HttpOptions & { zk?: ZkReader } = {},
): ClusterClients {
  return {
    addresses,
    master: new MesosMasterClient(addresses.master, options),
    agents: addresses.agents.map((a) => new MesosAgentClient(a, options)),
    marathon: new MarathonClient(addresses.marathon, options),
    chronos: new ChronosClient(addresses.chronos, options),
    zk: options.zk,
    fetch: options.fetch,
  };
}

// Named re-exports (not `export *`): an .mts entry point importing this CommonJS-compiled module
// sees only names it can detect statically.
export { AmbienteError, clusterAddresses, DEFAULT_TIMEOUT_MS, HttpError, ServiceClient } from './http.ts';
export type { ClusterAddresses, FetchLike, HttpOptions, ServiceEndpoint } from './http.ts';
export { MesosAgentClient, MesosMasterClient } from './mesos.ts';
export type {
  AgentExecutor,
  AgentFramework,
  AgentState,
  MasterState,
  MesosAgent,
  MesosFramework,
  MesosOffer,
  MesosResources,
  MesosTask,
  MesosTaskStatus,
  SandboxFile,
} from './mesos.ts';
export { MarathonClient } from './marathon.ts';
export type {
  MarathonApp,
  MarathonDeployment,
  MarathonEvent,
  MarathonHealthCheck,
  MarathonHealthResult,
  MarathonInfo,
  MarathonQueueItem,
  MarathonTask,
} from './marathon.ts';
export { ChronosClient, parseGraphCsv } from './chronos.ts';
export type { ChronosGraph, ChronosJob, ChronosJobSummary } from './chronos.ts';
