// The simulator's own web pages on the Mesos master (5050), Marathon (8080) and Chronos (4400) ports:
// the same information the real web interfaces show, under the same names, written for this kit.
// Each page is plain HTML plus a small script read from /_lab/ (a prefix none of the real services
// uses), built from strings in this folder: no build step, no external resource, works offline.
// Isomorphic (no `node:` imports): the same handlers serve in Node and in a browser.
//
// Safety: every request already passes the Host/Origin guard of the port; the pages only read the
// service's own API with same-origin fetch (Mesos agents through read-only JSONP, as the real Mesos
// UI does), add no CORS header, and forbid framing (clickjacking) and any other origin in their CSP.
import type { Hono } from 'hono';
import { COMMON_JS } from './common-js.ts';
import { CHRONOS_JS } from './chronos-js.ts';
import { MARATHON_JS } from './marathon-js.ts';
import { MESOS_JS } from './mesos-js.ts';
import { STYLE_CSS } from './style.ts';

export type WebService = 'mesos' | 'marathon' | 'chronos';

/** Where the page's assets live on every port. */
export const ASSET_PREFIX = '/_lab/';

interface PageSpec {
  brand: string;
  nav: [href: string, label: string][];
  script: string;
  /** Path of the page itself. */
  path: string;
}

const PAGES: Record<WebService, PageSpec> = {
  mesos: {
    brand: 'Mesos',
    path: '/',
    script: MESOS_JS,
    nav: [
      ['#/', 'Overview'],
      ['#/agents', 'Agents'],
      ['#/frameworks', 'Frameworks'],
      ['#/offers', 'Offers'],
      ['#/tasks', 'Tasks'],
    ],
  },
  // Marathon 1.3.6 serves its UI at /ui/ (spec: "The UI is at /ui"). Assumed, the spec being silent:
  // `/` and `/ui` answer a 302 to /ui/, so http://localhost:8080 opens the page as on the real stack.
  marathon: {
    brand: 'Marathon',
    path: '/ui/',
    script: MARATHON_JS,
    nav: [
      ['#/apps', 'Applications'],
      ['#/deployments', 'Deployments'],
    ],
  },
  chronos: {
    brand: 'Chronos',
    path: '/',
    script: CHRONOS_JS,
    nav: [
      ['#/', 'Jobs'],
      ['#/graph', 'Dependency graph'],
    ],
  },
};

export function pageHtml(service: WebService): string {
  const spec = PAGES[service];
  const nav = spec.nav.map(([href, label]) => `<li><a href="${href}">${label}</a></li>`).join('');
  return `<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${spec.brand} · cluster simulado</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSET_PREFIX}lab.css">
<script src="${ASSET_PREFIX}common.js" defer></script>
<script src="${ASSET_PREFIX}${service}.js" defer></script>
</head>
<body>
<header class="top">
<span class="brand">${spec.brand}</span>
<span class="sim-mark">cluster simulado</span>
<nav aria-label="Seções"><ul>${nav}</ul></nav>
<span class="status-line" id="lab-updated"></span>
</header>
<main id="main">
<div id="lab-msg" class="msg" role="status" aria-live="polite"></div>
<div id="view"><h1>Carregando…</h1><noscript><p>Estas páginas precisam de JavaScript ligado no navegador.</p></noscript></div>
</main>
<footer>Páginas do simulador do Laboratório Mesos: mostram o que a API deste serviço responde agora, com os
nomes da interface original. Elas se atualizam sozinhas a cada 3 segundos.</footer>
<dialog id="lab-dialog"></dialog>
</body>
</html>
`;
}

/** A host name safe to put in a CSP source (the guard already accepted it as a cluster name). */
function cspHost(url: URL): string | undefined {
  const h = url.hostname.toLowerCase();
  return /^[a-z0-9.-]+$/.test(h) ? h : undefined;
}

function securityHeaders(service: WebService, url: URL): Record<string, string> {
  // Mesos reads its agents (other ports of the same host name) through JSONP script tags.
  const host = cspHost(url);
  const agents = service === 'mesos' && host ? ` http://${host}:*` : '';
  return {
    'Content-Security-Policy':
      `default-src 'none'; script-src 'self'${agents}; style-src 'self'; connect-src 'self'; ` +
      `img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

function asset(file: string, service: WebService): [body: string, type: string] | undefined {
  if (file === 'lab.css') return [STYLE_CSS, 'text/css; charset=utf-8'];
  if (file === 'common.js') return [COMMON_JS, 'text/javascript; charset=utf-8'];
  if (file === `${service}.js`) return [PAGES[service].script, 'text/javascript; charset=utf-8'];
  return undefined;
}

/** The answer of the web pages for this request, or undefined when the path is not theirs. */
export function webResponse(service: WebService, request: Request): Response | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const url = new URL(request.url);
  const spec = PAGES[service];
  const head = request.method === 'HEAD';
  const headers = securityHeaders(service, url);
  if (url.pathname === spec.path) {
    return new Response(head ? null : pageHtml(service), {
      status: 200,
      headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' },
    });
  }
  if (service === 'marathon' && (url.pathname === '/' || url.pathname === '/ui')) {
    return new Response(null, { status: 302, headers: { Location: '/ui/' } });
  }
  if (url.pathname.startsWith(ASSET_PREFIX)) {
    const found = asset(url.pathname.slice(ASSET_PREFIX.length), service);
    if (!found) {
      return new Response('Arquivo não encontrado.\n', {
        status: 404,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
    return new Response(head ? null : found[0], {
      status: 200,
      headers: { ...headers, 'Content-Type': found[1] },
    });
  }
  return undefined;
}

/** The one line a service's router adds: its pages at their path and their assets under /_lab/. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function mountWebUi(app: Hono<any, any, any>, service: WebService): void {
  app.on(
    ['GET', 'HEAD'],
    [PAGES[service].path, ...(service === 'marathon' ? ['/', '/ui'] : []), `${ASSET_PREFIX}*`],
    (c) => webResponse(service, c.req.raw) ?? c.notFound(),
  );
}
