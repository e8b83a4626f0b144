import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { guard, hostWithoutPort, isAllowedOrigin, isClusterHost } from './guard.ts';

function app() {
  const a = new Hono();
  a.use('*', guard());
  a.all('*', (c) => c.text('ok'));
  return a;
}

async function call(path: string, headers: Record<string, string>, method = 'GET') {
  const res = await app().fetch(new Request(`http://x${path}`, { method, headers }));
  return { status: res.status, body: await res.text() };
}

describe('guard', () => {
  it('strips ports from Host, keeping IPv6 brackets', () => {
    expect(hostWithoutPort('LocalHost:8080')).toBe('localhost');
    expect(hostWithoutPort('[::1]:5050')).toBe('[::1]');
    expect(hostWithoutPort('marathon')).toBe('marathon');
  });

  it('accepts the cluster names and refuses anything else as Host', async () => {
    for (const host of ['localhost:8080', '127.0.0.1:5050', '[::1]:4400', 'mesos-agent-1:5151', 'marathon']) {
      expect(isClusterHost(host)).toBe(true);
      expect((await call('/v2/apps', { host })).status).toBe(200);
    }
    const rebinding = await call('/v2/apps', { host: 'evil.example:8080' });
    expect(rebinding.status).toBe(403);
    expect(rebinding.body).toContain('Recusado');
    expect((await call('/v2/apps', {})).status).toBe(403);
  });

  it('lets curl (no Origin) and same-host pages through, refuses other origins and null', async () => {
    expect((await call('/v2/apps', { host: 'localhost:8080' }, 'POST')).status).toBe(200);
    expect(isAllowedOrigin('http://localhost:3000')).toBe(true);
    expect(
      (await call('/v2/apps', { host: 'localhost:8080', origin: 'http://127.0.0.1:8080' }, 'POST')).status,
    ).toBe(200);
    expect(
      (await call('/v2/apps', { host: 'localhost:8080', origin: 'https://evil.example' }, 'POST')).status,
    ).toBe(403);
    expect((await call('/v2/apps', { host: 'localhost:8080', origin: 'null' }, 'POST')).status).toBe(403);
    expect(isAllowedOrigin('file:///tmp/x.html')).toBe(false);
  });

  it('refuses cross-site JSONP but not same-site pages or curl', async () => {
    const host = 'localhost:5050';
    expect((await call('/master/state?jsonp=cb', { host, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await call('/master/state?jsonp=cb', { host, 'sec-fetch-site': 'same-site' })).status).toBe(200);
    expect((await call('/master/state?jsonp=cb', { host })).status).toBe(200);
    expect((await call('/master/state', { host, 'sec-fetch-site': 'cross-site' })).status).toBe(200);
  });
});
