// What the simulator's orchestrator hands to each simulated service, and what a framework
// service (Marathon, Chronos) gives back. The orchestrator (src/sim/node/) owns ports and
// processes; services own their HTTP handlers and their state.
import type { Clock } from './clock.ts';
import type { FrameworkInfo, Scheduler, SchedulerDriver } from './mesos/api.ts';

/** The master as a framework sees it. Registration survives master restarts: while the
 *  master is stopped the framework is told `disconnected()`, and it is registered again
 *  (same framework id, `registered(id, true)`) when the master comes back. */
export interface MasterConnection {
  registerFramework(info: FrameworkInfo, scheduler: Scheduler): SchedulerDriver;
}

/** Durable key/value state: what the real stack keeps in ZooKeeper. Values are JSON-serialisable.
 *  The Node adapter writes it to disk atomically; `cluster reset` wipes it. */
export interface Store {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /** Keys that start with prefix, sorted. */
  keys(prefix: string): string[];
}

/** The ZooKeeper data tree as services use it directly (no client session). */
export interface ZkAccess {
  /** Creates a node (and missing parents as persistent empty nodes); returns the actual path. */
  create(path: string, data: Uint8Array, options?: { ephemeralOwner?: string; sequential?: boolean }): string;
  setData(path: string, data: Uint8Array): void;
  getData(path: string): Uint8Array | undefined;
  children(path: string): string[];
  delete(path: string): void;
  exists(path: string): boolean;
  /** Removes every ephemeral node owned by this owner (a session or a simulated service). */
  expireOwner(owner: string): void;
}

/** Probes real processes for health checks (Marathon HTTP/TCP/COMMAND checks). The Node
 *  implementation is src/sim/node/probe.ts; without one (model executor, browser) checks pass. */
export interface Prober {
  /** The HTTP status code, or undefined when the connection failed or timed out. */
  http(url: string, timeoutMs: number): Promise<number | undefined>;
  tcp(host: string, port: number, timeoutMs: number): Promise<boolean>;
  /** Runs a COMMAND check (`sh -c`) with the task's environment: the exit code, or undefined on timeout. */
  command?(command: string, env: Record<string, string>, timeoutMs: number): Promise<number | undefined>;
}

export interface ServiceContext {
  clock: Clock;
  master: MasterConnection;
  zk: ZkAccess;
  store: Store;
  /** Appends a line to this service's log (what `cluster logs <service>` shows). */
  log(line: string): void;
  /** Health-check prober (optional). */
  probe?: Prober;
}

/** A web-standard request handler: Hono's `app.fetch` fits. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface FrameworkService {
  readonly name: 'marathon' | 'chronos';
  /** Starts (or restarts after stop) the framework: registers, loads state from the store. */
  start(): void;
  /** Like `docker compose stop`: the framework goes away, its tasks keep running on the agents. */
  stop(): void;
  readonly running: boolean;
  /** The HTTP API and pages; the orchestrator answers 'connection refused' while stopped. */
  fetch: FetchHandler;
}

export type FrameworkFactory = (context: ServiceContext) => FrameworkService;
