import { describe, expect, it } from 'vitest';
import { parseGraphCsv } from './chronos.ts';
import { AmbienteError, clusterAddresses, HttpError, type FetchLike } from './http.ts';
import { createClusterClients } from './index.ts';

function clientsWith(fetch: FetchLike) {
  return createClusterClients(clusterAddresses({ MARATHON_PORT: '18080' }), { fetch, timeoutMs: 200 });
}

describe('cluster clients', () => {
  it('use the .env ports', () => {
    const a = clusterAddresses({ MARATHON_PORT: '18080' });
    expect(a.marathon.baseUrl).toBe('http://127.0.0.1:18080');
    expect(a.master.baseUrl).toBe('http://127.0.0.1:5050');
    expect(a.agents.map((x) => x.label)).toEqual(['agente Mesos 1', 'agente Mesos 2']);
  });

  it('turn an unreachable service into a Portuguese ambiente error', async () => {
    const c = clientsWith(async () => {
      throw new TypeError('fetch failed');
    });
    const e = await c.marathon.apps().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AmbienteError);
    expect((e as AmbienteError).message).toMatch(/O Marathon não respondeu em 127\.0\.0\.1:18080/);
    expect((e as AmbienteError).details).toMatch(/fetch failed/);
  });

  it('turn a timeout and a 5xx into ambiente, and a 4xx into HttpError or "missing"', async () => {
    const slow = clientsWith(
      (_url, init) =>
        new Promise((_r, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)),
        ),
    );
    await expect(slow.master.state()).rejects.toThrow(/dentro de 0 s|não respondeu/);
    const five = clientsWith(async () => new Response('no leader', { status: 503 }));
    await expect(five.chronos.jobs()).rejects.toBeInstanceOf(AmbienteError);
    const missing = clientsWith(async () =>
      Response.json({ message: "App '/x' does not exist" }, { status: 404 }),
    );
    expect(await missing.marathon.app('/x')).toBeUndefined();
    await expect(missing.marathon.apps()).rejects.toBeInstanceOf(HttpError);
  });

  it('follow the Marathon event stream frame by frame', async () => {
    const frames =
      'event: event_stream_attached\r\ndata: {"remoteAddress":"127.0.0.1","eventType":"event_stream_attached","timestamp":"t0"}\r\n\r\n' +
      '\r\nevent: status_update_event\r\ndata: {"eventType":"status_update_event","timestamp":"t1","taskStatus":"TASK_RUNNING"}\r\n\r\n';
    const c = clientsWith(async (url, init) => {
      expect(url).toBe('http://127.0.0.1:18080/v2/events');
      expect((init?.headers as Record<string, string>).Accept).toBe('text/event-stream');
      const bytes = new TextEncoder().encode(frames);
      return new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(bytes.subarray(0, 50));
            controller.enqueue(bytes.subarray(50));
            controller.close();
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      );
    });
    const seen: string[] = [];
    await c.marathon.streamEvents(
      (e) => seen.push(`${e.eventType}@${e.timestamp}`),
      new AbortController().signal,
    );
    expect(seen).toEqual(['event_stream_attached@t0', 'status_update_event@t1']);
  });

  it('read the Chronos graph CSV', () => {
    const g = parseGraphCsv('node,a,success,idle\nnode,b,fresh,1 running\nlink,a,b\n');
    expect(g.nodes.map((n) => `${n.name}:${n.currentState}`)).toEqual(['a:idle', 'b:1 running']);
    expect(g.links).toEqual([{ parent: 'a', child: 'b' }]);
  });
});
