import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ports } from '../../cluster/topology.ts';
import { VirtualClock } from '../core/clock.ts';
import { ModelExecutor } from '../core/model-executor.ts';
import { SimCluster } from '../node/sim-cluster.ts';
import { CHRONOS_JS } from './chronos-js.ts';
import { COMMON_JS } from './common-js.ts';
import { ASSET_PREFIX, pageHtml, webResponse } from './index.ts';
import { MARATHON_JS } from './marathon-js.ts';
import { MESOS_JS } from './mesos-js.ts';

const EPHEMERAL: Ports = {
  zookeeper: 0,
  'mesos-master': 0,
  'mesos-agent-1': 0,
  'mesos-agent-2': 0,
  marathon: 0,
  chronos: 0,
};

describe('client scripts', () => {
  it.each([
    ['common', COMMON_JS],
    ['mesos', MESOS_JS],
    ['marathon', MARATHON_JS],
    ['chronos', CHRONOS_JS],
  ])('%s.js is valid JavaScript that loads nothing from another site', (_name, source) => {
    expect(() => new Function(source)).not.toThrow();
    expect(source).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)[a-z]/i);
  });

  it('each page links only its own assets under /_lab/ and carries the simulated-cluster mark', () => {
    for (const service of ['mesos', 'marathon', 'chronos'] as const) {
      const html = pageHtml(service);
      const refs = [...html.matchAll(/(?:src|href)="([^"#]+)"/g)].map((m) => m[1]);
      expect(refs.filter((r) => r !== 'data:,').every((r) => r.startsWith(ASSET_PREFIX))).toBe(true);
      expect(html).toContain(`${ASSET_PREFIX}${service}.js`);
      expect(html).toContain('cluster simulado');
      expect(html).toContain('<html lang="pt-BR">');
    }
  });
});

describe('webResponse', () => {
  it('answers GET and HEAD of its paths only, never writes', () => {
    expect(webResponse('mesos', new Request('http://localhost:5050/', { method: 'POST' }))).toBeUndefined();
    expect(webResponse('mesos', new Request('http://localhost:5050/master/state'))).toBeUndefined();
    expect(webResponse('chronos', new Request('http://localhost:4400/v1/scheduler/jobs'))).toBeUndefined();
    expect(webResponse('marathon', new Request('http://localhost:8080/v2/apps'))).toBeUndefined();
  });

  it('serves the script of its own service only', async () => {
    const own = webResponse('chronos', new Request('http://localhost:4400/_lab/chronos.js'))!;
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await own.text()).toBe(CHRONOS_JS);
    expect(webResponse('chronos', new Request('http://localhost:4400/_lab/marathon.js'))!.status).toBe(404);
    const head = webResponse('mesos', new Request('http://localhost:5050/', { method: 'HEAD' }))!;
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('lets the Mesos page read agents on the same host name only, and nothing frames it', () => {
    const csp = (service: 'mesos' | 'chronos', host: string) =>
      webResponse(service, new Request(`http://${host}/`))!.headers.get('content-security-policy')!;
    expect(csp('mesos', 'localhost:5050')).toContain("script-src 'self' http://localhost:*;");
    expect(csp('mesos', '[::1]:5050')).toContain("script-src 'self';");
    expect(csp('chronos', 'localhost:4400')).toContain("script-src 'self';");
    expect(csp('chronos', 'localhost:4400')).toContain("frame-ancestors 'none'");
    expect(csp('chronos', 'localhost:4400')).toContain("connect-src 'self'");
  });
});

describe('the pages on the simulated cluster', () => {
  let cluster: SimCluster;
  beforeAll(async () => {
    const clock = new VirtualClock();
    cluster = await SimCluster.start({
      ports: EPHEMERAL,
      clock,
      executor: new ModelExecutor(clock),
      probe: null,
    });
  });
  afterAll(async () => {
    await cluster?.shutdown();
  });

  const get = (service: 'mesos-master' | 'marathon' | 'chronos', path: string, init: RequestInit = {}) =>
    cluster.handler(service)!(
      new Request(`http://localhost${path}`, {
        ...init,
        headers: { Host: 'localhost', ...(init.headers as Record<string, string> | undefined) },
      }),
    );

  it('Mesos serves its page at / and still its API', async () => {
    const page = await get('mesos-master', '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
    expect(await page.text()).toContain('/_lab/mesos.js');
    expect((await get('mesos-master', '/_lab/lab.css')).status).toBe(200);
    expect((await get('mesos-master', '/master/state')).headers.get('content-type')).toContain('json');
  });

  it('Marathon leads / to /ui/ and serves the page there', async () => {
    const root = await get('marathon', '/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/ui/');
    const page = await get('marathon', '/ui/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/_lab/marathon.js');
    const unknown = await get('marathon', '/v2/nothing');
    expect(unknown.status).toBe(404);
  });

  it('Chronos serves its page at / and keeps the Jetty 404 elsewhere', async () => {
    const page = await get('chronos', '/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Chronos');
    expect((await get('chronos', '/_lab/chronos.js')).status).toBe(200);
    expect((await get('chronos', '/nada')).status).toBe(404);
  });

  it('the pages are behind the same Host and Origin guard as the APIs', async () => {
    const evil = await get('chronos', '/', { headers: { Origin: 'http://exemplo.com' } });
    expect(evil.status).toBe(403);
    const rebinding = await cluster.handler('mesos-master')!(
      new Request('http://exemplo.com/', { headers: { Host: 'exemplo.com' } }),
    );
    expect(rebinding.status).toBe(403);
  });
});
