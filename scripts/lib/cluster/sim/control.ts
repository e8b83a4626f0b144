// The control endpoint of the background simulator: how `npm run cluster` talks to it.
// It listens on 127.0.0.1 on a random port and answers only requests that carry the token kept in
// `.lab/` (readable by the student's user only). It sends no CORS headers and refuses any request
// that comes from a web page (an Origin header) or names another host, so a page cannot drive it.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { SERVICE_NAMES, type Ports, type ServiceName } from '../../../../src/cluster/topology.ts';
import type { ClusterReadiness } from '../../../../src/sim/node/sim-cluster.ts';

export interface ControlService {
  service: ServiceName;
  running: boolean;
  port: number;
  /** Whether the core considers it up (an agent active in the master, a framework registered). */
  healthy: boolean;
  detail?: string;
}

export interface ControlStatus {
  pid: number;
  ports: Ports;
  readiness: ClusterReadiness;
  services: ControlService[];
}

export interface ControlHandlers {
  status(): Promise<ControlStatus>;
  stop(service: ServiceName): Promise<void>;
  start(service: ServiceName): Promise<void>;
  /** Called after the answer is sent. */
  shutdown(): void;
}

export interface ControlResult<T = unknown> {
  ok: boolean;
  value?: T;
  error?: { message: string; details?: string };
}

export function isServiceName(s: string): s is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(s);
}

export function newToken(): string {
  return randomBytes(32).toString('hex');
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer ([0-9a-f]+)$/.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, body: ControlResult): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(text);
}

export async function startControlServer(
  token: string,
  handlers: ControlHandlers,
  isServiceName: (s: string) => s is ServiceName,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const host = (req.headers.host ?? '').replace(/:\d+$/, '');
      if (req.headers.origin !== undefined || !['127.0.0.1', 'localhost'].includes(host)) {
        return send(res, 403, { ok: false, error: { message: 'forbidden' } });
      }
      if (!tokenMatches(req.headers.authorization, token)) {
        return send(res, 401, { ok: false, error: { message: 'unauthorized' } });
      }
      req.resume();
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      try {
        if (req.method === 'GET' && url.pathname === '/v1/status') {
          return send(res, 200, { ok: true, value: await handlers.status() });
        }
        const m = /^\/v1\/services\/([a-z0-9-]+)\/(stop|start)$/.exec(url.pathname);
        if (req.method === 'POST' && m && isServiceName(m[1])) {
          await (m[2] === 'stop' ? handlers.stop(m[1]) : handlers.start(m[1]));
          return send(res, 200, { ok: true });
        }
        if (req.method === 'POST' && url.pathname === '/v1/shutdown') {
          send(res, 200, { ok: true });
          res.on('finish', () => handlers.shutdown());
          return;
        }
        return send(res, 404, { ok: false, error: { message: 'not found' } });
      } catch (e) {
        const err = e as Error & { details?: string };
        return send(res, 500, { ok: false, error: { message: err.message, details: err.details } });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** One request to the control endpoint; rejects when the simulator does not answer. */
export function controlRequest<T>(
  target: { controlPort: number; token: string },
  method: 'GET' | 'POST',
  path: string,
  timeoutMs = 10_000,
): Promise<ControlResult<T>> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: target.controlPort,
        method,
        path,
        headers: { authorization: `Bearer ${target.token}` },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ControlResult<T>);
          } catch (e) {
            reject(e);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('control request timed out')));
    req.on('error', reject);
    req.end();
  });
}
