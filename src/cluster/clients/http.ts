// The one place where the kit's clients talk HTTP to the cluster. Isomorphic (fetch only), with a
// timeout on every request, and every failure to reach a service turned into an AmbienteError: a
// Portuguese sentence that says the cluster (not the student's work) is the problem.
import { resolvePorts, type Ports, type ServiceName, SERVICE_PORTS } from '../topology.ts';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** The cluster is not ready or not reachable: a check that meets this answers "ambiente". */
export class AmbienteError extends Error {
  constructor(
    /** Portuguese: what happened and what to do. */
    message: string,
    /** Original text (an English error), for whoever helps the student. */
    readonly details?: string,
  ) {
    super(message);
    this.name = 'AmbienteError';
  }
}

/** The service answered, with a status the caller did not expect (e.g. 404 for a missing app). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
    readonly body: string,
  ) {
    super(`HTTP ${status} em ${url}`);
    this.name = 'HttpError';
  }
}

export interface ServiceEndpoint {
  service: ServiceName;
  /** Portuguese label: "Marathon", "agente Mesos 1". */
  label: string;
  /** e.g. http://127.0.0.1:8080 (no trailing slash) */
  baseUrl: string;
}

export interface ClusterAddresses {
  host: string;
  ports: Ports;
  master: ServiceEndpoint;
  agents: ServiceEndpoint[];
  marathon: ServiceEndpoint;
  chronos: ServiceEndpoint;
  zookeeper: { host: string; port: number };
}

/** Addresses of the course cluster, with `.env`-style port overrides applied. */
export function clusterAddresses(
  env: Record<string, string | undefined> = {},
  host = '127.0.0.1',
  ports: Ports = resolvePorts(env),
): ClusterAddresses {
  const endpoint = (service: ServiceName): ServiceEndpoint => ({
    service,
    label: SERVICE_PORTS.find((p) => p.service === service)!.label,
    baseUrl: `http://${host}:${ports[service]}`,
  });
  return {
    host,
    ports,
    master: endpoint('mesos-master'),
    agents: [endpoint('mesos-agent-1'), endpoint('mesos-agent-2')],
    marathon: endpoint('marathon'),
    chronos: endpoint('chronos'),
    zookeeper: { host, port: ports.zookeeper },
  };
}

export interface HttpOptions {
  /** Defaults to globalThis.fetch; in-process tests pass the simulator's handlers. */
  fetch?: FetchLike;
  /** Per request; defaults to 5 s. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 5000;

function where(endpoint: ServiceEndpoint): string {
  return endpoint.baseUrl.replace(/^https?:\/\//, '');
}

/** Base of every typed client: one service, one timeout, errors in Portuguese. */
export class ServiceClient {
  constructor(
    readonly endpoint: ServiceEndpoint,
    protected readonly options: HttpOptions = {},
  ) {}

  /** Raw request; throws AmbienteError when the service cannot be reached or answers 5xx. */
  async request(
    path: string,
    init: { method?: string; body?: unknown; accept?: string; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const url = this.endpoint.baseUrl + path;
    const doFetch = this.options.fetch ?? ((input: string, i?: RequestInit) => globalThis.fetch(input, i));
    const timeoutMs = init.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const signals = [AbortSignal.timeout(timeoutMs)];
    if (init.signal) signals.push(init.signal);
    const headers: Record<string, string> = { Accept: init.accept ?? 'application/json' };
    let body: string | undefined;
    if (init.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    }
    let response: Response;
    try {
      response = await doFetch(url, {
        method: init.method ?? 'GET',
        headers,
        body,
        signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals),
      });
    } catch (error) {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new AmbienteError(
        timedOut
          ? `O ${this.endpoint.label} não respondeu em ${where(this.endpoint)} dentro de ${Math.round(timeoutMs / 1000)} s. ` +
              'Veja se o cluster está de pé com `npm run cluster -- status`.'
          : `O ${this.endpoint.label} não respondeu em ${where(this.endpoint)}. ` +
              'Suba o cluster com `npm run cluster -- up` (ou veja `npm run cluster -- status`).',
        text,
      );
    }
    if (response.status >= 500) {
      const text = await response.text().catch(() => '');
      throw new AmbienteError(
        `O ${this.endpoint.label} respondeu com erro ${response.status} em ${where(this.endpoint)}: ele ainda não está pronto. ` +
          'Espere alguns segundos e tente de novo.',
        text.slice(0, 300),
      );
    }
    return response;
  }

  /** GET (or other method) expecting 2xx JSON; throws HttpError for 4xx. */
  async json<T>(
    path: string,
    init: { method?: string; body?: unknown; timeoutMs?: number } = {},
  ): Promise<T> {
    const response = await this.request(path, init);
    const text = await response.text();
    if (response.status >= 400) throw new HttpError(response.status, this.endpoint.baseUrl + path, text);
    try {
      return (text === '' ? undefined : JSON.parse(text)) as T;
    } catch (error) {
      throw new AmbienteError(
        `O ${this.endpoint.label} respondeu algo que não é JSON em ${path}.`,
        `${String(error)}: ${text.slice(0, 200)}`,
      );
    }
  }

  /** Like json(), but a 404 (or 400 for Chronos's "not found") gives undefined. */
  async jsonOrMissing<T>(path: string, missingStatuses: number[] = [404]): Promise<T | undefined> {
    try {
      return await this.json<T>(path);
    } catch (error) {
      if (error instanceof HttpError && missingStatuses.includes(error.status)) return undefined;
      throw error;
    }
  }

  async text(path: string, accept = 'text/plain'): Promise<string> {
    const response = await this.request(path, { accept });
    const text = await response.text();
    if (response.status >= 400) throw new HttpError(response.status, this.endpoint.baseUrl + path, text);
    return text;
  }
}
