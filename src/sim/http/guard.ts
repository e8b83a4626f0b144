// Laptop safety for every simulated service: a web page of another site must not be able to
// drive the cluster (DNS rebinding through Host, cross-site requests through Origin).
// curl sends no Origin, so command-line use is unaffected.
import type { MiddlewareHandler } from 'hono';
import { CLUSTER_HOSTNAMES } from '../../cluster/topology.ts';

export interface GuardOptions {
  /** Origins allowed besides the service's own (e.g. the course site at http://localhost:3000). */
  allowedOrigins?: readonly string[];
}

/** `Host` without its port, lowercased; IPv6 literals keep their brackets. */
export function hostWithoutPort(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

export function isClusterHost(host: string | undefined): boolean {
  if (!host) return false;
  return CLUSTER_HOSTNAMES.includes(hostWithoutPort(host));
}

/** An Origin is acceptable when it is one of the cluster's own names (any port) or explicitly allowed. */
export function isAllowedOrigin(origin: string, allowed: readonly string[] = []): boolean {
  if (allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && isClusterHost(url.host);
}

export function guard(options: GuardOptions = {}): MiddlewareHandler {
  return async (c, next) => {
    if (!isClusterHost(c.req.header('host'))) {
      return c.text(
        'Recusado: o cluster simulado só atende pelos nomes localhost, 127.0.0.1, [::1] ou pelos nomes dos serviços.\n',
        403,
      );
    }
    const origin = c.req.header('origin');
    if (origin !== undefined && (origin === 'null' || !isAllowedOrigin(origin, options.allowedOrigins))) {
      return c.text(
        'Recusado: pedidos vindos de páginas de outros sites não podem comandar o cluster.\n',
        403,
      );
    }
    // A <script> tag sends no Origin, so JSONP would let any site read the cluster's state and the
    // sandboxes' files. Browsers mark such requests cross-site; our own pages (another port of the
    // same host) are same-site, and curl sends no Sec-Fetch-Site at all.
    if (c.req.query('jsonp') !== undefined && c.req.header('sec-fetch-site') === 'cross-site') {
      return c.text('Recusado: outros sites não podem ler o cluster por JSONP.\n', 403);
    }
    await next();
  };
}
