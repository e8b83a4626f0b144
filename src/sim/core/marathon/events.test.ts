import { serve, type ServerType } from '@hono/node-server';
import { EventSource } from 'eventsource';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { guard } from '../../http/guard.ts';
import { makeHarness, type Harness } from './test-helpers.ts';

let server: ServerType | undefined;
let source: EventSource | undefined;

afterEach(async () => {
  source?.close();
  source = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Serves Marathon behind the simulator's guard on an ephemeral port, as the orchestrator does. */
async function serveMarathon(h: Harness): Promise<string> {
  const app = new Hono();
  app.use('*', guard());
  app.all('*', (c) => h.service.fetch(c.req.raw));
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: { port: number }) =>
      resolve(info.port),
    );
  });
  return `http://127.0.0.1:${port}`;
}

function waitFor(predicate: () => boolean, h: Harness, realMs = 5000): Promise<boolean> {
  const deadline = Date.now() + realMs;
  return new Promise((resolve) => {
    const tick = () => {
      if (predicate()) return resolve(true);
      if (Date.now() > deadline) return resolve(false);
      h.clock.advance(100);
      setTimeout(tick, 5);
    };
    tick();
  });
}

describe('/v2/events with a real SSE client', () => {
  it('sends event_stream_attached first, then the deployment and task events as event:/data: frames', async () => {
    const h = makeHarness();
    h.service.start();
    h.clock.advance(100);
    const base = await serveMarathon(h);

    // The raw frames: CRLF line ends, one-line compact JSON, the event name equal to eventType.
    const raw = await fetch(`${base}/v2/events`, { headers: { Accept: 'text/event-stream' } });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('text/event-stream;charset=UTF-8');
    expect(raw.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
    const reader = raw.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toMatch(
      /^event: event_stream_attached\r\ndata: \{"remoteAddress":"[^"]+","eventType":"event_stream_attached","timestamp":"[^"]+"\}\r\n\r\n$/,
    );
    await reader.cancel();

    const received: { type: string; data: Record<string, unknown> }[] = [];
    source = new EventSource(`${base}/v2/events?event_type=status_update_event`);
    const types = [
      'event_stream_attached',
      'api_post_event',
      'group_change_success',
      'deployment_info',
      'deployment_step_success',
      'deployment_success',
      'status_update_event',
    ];
    for (const type of types)
      source.addEventListener(type, (e) =>
        received.push({ type, data: JSON.parse((e as MessageEvent).data as string) }),
      );
    expect(await waitFor(() => received.length > 0, h)).toBe(true);
    expect(received[0].type).toBe('event_stream_attached');

    const post = await fetch(`${base}/v2/apps`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: '/sse', cmd: 'sleep 1000', cpus: 0.1, mem: 16 }),
    });
    expect(post.status).toBe(201);
    expect(await waitFor(() => received.some((e) => e.type === 'deployment_success'), h)).toBe(true);

    const seen = received.map((e) => e.type);
    // event_type is not a filter in 1.3.6: everything arrives.
    expect(new Set(seen)).toEqual(new Set(types));
    const statuses = received.filter((e) => e.type === 'status_update_event').map((e) => e.data);
    expect(statuses.map((s) => s.taskStatus)).toEqual(['TASK_STAGING', 'TASK_RUNNING']);
    expect(Object.keys(statuses[1])).toEqual([
      'slaveId',
      'taskId',
      'taskStatus',
      'message',
      'appId',
      'host',
      'ports',
      'version',
      'eventType',
      'timestamp',
    ]);
    expect(statuses[0].slaveId).toBe('n/a');
    const info = received.find((e) => e.type === 'deployment_info')!.data;
    expect(Object.keys(info)).toEqual(['plan', 'currentStep', 'eventType', 'timestamp']);
    expect(Object.keys(info.plan as object)).toEqual(['id', 'original', 'target', 'steps', 'version']);
    const api = received.find((e) => e.type === 'api_post_event')!.data;
    expect(Object.keys(api)).toEqual(['clientIp', 'uri', 'appDefinition', 'eventType', 'timestamp']);
    expect((api.appDefinition as { ports: number[] }).ports).toEqual([10000]);
  });

  it('the guard refuses a Marathon POST from a foreign Origin, curl-style requests pass', async () => {
    const h = makeHarness();
    h.service.start();
    h.clock.advance(100);
    const base = await serveMarathon(h);
    const body = JSON.stringify({ id: '/evil', cmd: 'rm -rf ~' });
    const foreign = await fetch(`${base}/v2/apps`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' },
      body,
    });
    expect(foreign.status).toBe(403);
    expect(h.core.apps.has('/evil')).toBe(false);
    const curl = await fetch(`${base}/v2/apps`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    expect(curl.status).toBe(201);
  });
});
