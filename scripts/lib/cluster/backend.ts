// One interface, two clusters: the real stack under Docker Compose and the embedded simulator.
// `npm run cluster` and the labs talk to a Backend and never to Docker or the simulator directly.
import type { ServiceName } from '../../../src/cluster/topology.ts';

export type BackendName = 'docker' | 'sim';

export type ServiceState = 'rodando' | 'parado' | 'iniciando' | 'com falha' | 'ausente';

export interface ServiceStatus {
  service: ServiceName;
  state: ServiceState;
  /** 127.0.0.1 address a student can open, e.g. http://127.0.0.1:5050 */
  address: string;
  /** One short Portuguese line of detail (a task count, a health result), optional. */
  detail?: string;
}

export interface ProgressOptions {
  /** Called with short Portuguese progress lines ("ZooKeeper respondeu", ...). */
  progress?: (line: string) => void;
}

export interface UpOptions extends ProgressOptions {
  /** Give up waiting for readiness after this many ms. */
  timeoutMs?: number;
}

export interface Backend {
  readonly name: BackendName;
  /** Starts everything and resolves once the cluster is ready (see DESIGN.md: "ready"). */
  up(options?: UpOptions): Promise<void>;
  /** Stops and removes everything, keeping persisted state. Harmless when nothing runs. */
  down(options?: ProgressOptions): Promise<void>;
  /** down, and also wipes what the cluster keeps (Marathon apps, Chronos jobs, ZooKeeper data). */
  reset(options?: ProgressOptions): Promise<void>;
  stop(service: ServiceName): Promise<void>;
  start(service: ServiceName): Promise<void>;
  status(): Promise<ServiceStatus[]>;
  /** Recent log lines of one service (or all). */
  logs(service?: ServiceName, lines?: number): Promise<string>;
}

/** A problem a student can act on: printed as Portuguese text, never as a stack trace. */
export class LabError extends Error {
  constructor(
    message: string,
    /** The original text (an English error, a log line), shown after "detalhes:". */
    readonly details?: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'LabError';
  }
}
