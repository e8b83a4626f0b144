// Routing as libprocess does it for a master or agent process (3rdparty/libprocess/src/process.cpp):
// a request whose first path segment is not a known process goes to the delegate process
// (`master` or `slave(1)`), and within a process the longest matching endpoint prefix wins
// (`/master/state/x` is answered by `state`). Unknown paths get a bare 404 with no body.
import { dbl, jsonResponse, type MesosJson } from './json.ts';

export type Handler = (request: Request, url: URL) => Response | Promise<Response>;

export interface ProcessRoutes {
  /** Process id → endpoint name → handler, e.g. { master: { state: … }, metrics: { snapshot: … } }. */
  processes: Record<string, Record<string, Handler>>;
  delegate: string;
}

export function notFound(): Response {
  return new Response(null, { status: 404 });
}

export function route(routes: ProcessRoutes, request: Request): Response | Promise<Response> {
  const url = new URL(request.url);
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return new Response(null, { status: 400 });
  }
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.length === 0) return notFound();
  let processId = segments[0];
  let rest = segments.slice(1);
  if (!(processId in routes.processes)) {
    processId = routes.delegate;
    rest = segments;
  }
  const endpoints = routes.processes[processId];
  for (let n = rest.length; n > 0; n--) {
    const name = rest.slice(0, n).join('/');
    const handler = endpoints[name];
    if (handler) return handler(request, url);
  }
  return notFound();
}

/** `/metrics/snapshot`: a flat object of doubles, keys sorted (a std::map in libprocess). */
export function metricsResponse(request: Request, values: Record<string, number>): Response {
  const out: { [key: string]: MesosJson } = {};
  for (const key of Object.keys(values).sort()) out[key] = dbl(values[key]);
  return jsonResponse(request, out);
}

/** Host figures libprocess adds to every snapshot (system/*): a fixed, plausible machine. */
export function systemMetrics(): Record<string, number> {
  return {
    'system/cpus_total': 2,
    'system/load_15min': 0.1,
    'system/load_1min': 0.1,
    'system/load_5min': 0.1,
    'system/mem_free_bytes': 4 * 1024 * 1024 * 1024,
    'system/mem_total_bytes': 8 * 1024 * 1024 * 1024,
  };
}

export function emptyOk(): Response {
  return new Response(null, { status: 200 });
}
