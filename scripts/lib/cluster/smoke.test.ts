// runSmoke against tiny HTTP stand-ins for Marathon and Chronos on ephemeral ports, with a virtual clock.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { resolvePorts } from '../../../src/cluster/topology.ts';
import { LabError } from './backend.ts';
import { runSmoke } from './smoke.ts';

interface World {
  /** GETs of the app before it reports 2 running (Marathon); GETs before the job succeeds (Chronos). */
  appPollsBeforeRunning: number;
  jobPollsBeforeSuccess: number;
  appNeverRuns?: boolean;
  jobFails?: boolean;
  requests: string[];
  apps: Map<string, { polls: number }>;
  jobs: Map<string, { polls: number; body: Record<string, unknown> }>;
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(handler: http.RequestListener): Promise<number> {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return (s.address() as AddressInfo).port;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((r) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => r(b));
  });
}

async function world(w: Partial<World> = {}) {
  const state: World = {
    appPollsBeforeRunning: 2,
    jobPollsBeforeSuccess: 1,
    requests: [],
    apps: new Map(),
    jobs: new Map(),
    ...w,
  };
  const json = (res: http.ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const marathon = await listen(async (req, res) => {
    const body = await readBody(req);
    state.requests.push(`marathon ${req.method} ${req.url}`);
    const m = /^\/v2\/apps(\/.*)?$/.exec(req.url ?? '');
    if (req.method === 'POST' && req.url === '/v2/apps') {
      const app = JSON.parse(body) as { id: string; instances: number };
      state.apps.set(app.id, { polls: 0 });
      return json(res, 201, { ...app, tasksRunning: 0, deployments: [{ id: 'd1' }] });
    }
    const id = m?.[1] ?? '';
    const app = state.apps.get(id);
    if (req.method === 'GET' && m) {
      if (!app) return json(res, 404, { message: `App '${id}' does not exist` });
      app.polls++;
      const running = state.appNeverRuns ? 1 : app.polls > state.appPollsBeforeRunning ? 2 : 0;
      return json(res, 200, { app: { id, instances: 2, tasksRunning: running } });
    }
    if (req.method === 'DELETE' && m && app) {
      state.apps.delete(id);
      return json(res, 200, { version: 'v', deploymentId: 'd2' });
    }
    json(res, 404, { message: 'not found' });
  });
  const chronos = await listen(async (req, res) => {
    const body = await readBody(req);
    state.requests.push(`chronos ${req.method} ${req.url}`);
    if (req.method === 'POST' && req.url === '/v1/scheduler/iso8601') {
      const job = JSON.parse(body) as Record<string, unknown>;
      state.jobs.set(String(job.name), { polls: 0, body: job });
      return json(res, 204);
    }
    if (req.method === 'GET' && req.url === '/v1/scheduler/jobs') {
      const list = [...state.jobs.values()].map((j) => {
        j.polls++;
        const done = j.polls > state.jobPollsBeforeSuccess;
        return {
          ...j.body,
          successCount: done && !state.jobFails ? 1 : 0,
          errorCount: done && state.jobFails ? 1 : 0,
        };
      });
      return json(res, 200, list);
    }
    const d = /^\/v1\/scheduler\/job\/(.+)$/.exec(req.url ?? '');
    if (req.method === 'DELETE' && d && state.jobs.delete(decodeURIComponent(d[1]))) return json(res, 204);
    json(res, 400, { status: 'Bad Request', message: 'not found' });
  });
  let clock = Date.UTC(2026, 10, 26, 1, 0, 0);
  const progress: string[] = [];
  const run = () =>
    runSmoke({
      ports: { ...resolvePorts({}), marathon, chronos },
      progress: (l) => progress.push(l),
      sleep: async (ms) => {
        clock += ms;
      },
      now: () => clock,
      suffix: 'abc123',
    });
  return { state, progress, run, elapsed: () => clock - Date.UTC(2026, 10, 26, 1, 0, 0) };
}

describe('runSmoke', () => {
  it('runs a 2-instance app and a one-shot job, then removes both', async () => {
    const w = await world();
    const r = await w.run();
    expect(r.appId).toBe('/smoke-test-abc123');
    expect(r.jobName).toBe('smoke-test-abc123');
    expect(w.state.apps.size).toBe(0);
    expect(w.state.jobs.size).toBe(0);
    expect(w.progress).toContain('Marathon: 2 de 2 instâncias rodando');
    expect(w.progress).toContain('Chronos: o job terminou com sucesso');
    expect(w.progress.at(-1)).toContain('Teste rápido passou');
    const m = w.state.requests.filter((x) => x.startsWith('marathon'));
    expect(m[0]).toBe('marathon POST /v2/apps');
    expect(m).toContain('marathon DELETE /v2/apps/smoke-test-abc123');
    expect(w.state.requests).toContain('chronos DELETE /v1/scheduler/job/smoke-test-abc123');
    expect(r.marathonMs).toBe(4000); // two polls of 2 s on the virtual clock
  });

  it('sends a tiny command app and a one-shot ISO 8601 schedule in UTC', async () => {
    const w = await world();
    let posted: Record<string, unknown> | undefined;
    const orig = w.state.jobs.set.bind(w.state.jobs);
    w.state.jobs.set = (k, v) => {
      posted = v.body;
      return orig(k, v);
    };
    await w.run();
    expect(posted?.schedule).toMatch(/^R1\/2026-11-26T01:00:\d\d\.\d{3}Z\/PT1M$/);
    expect(posted?.command).toBe('echo smoke');
  });

  it('an app that never reaches 2 running fails in Portuguese and is still removed', async () => {
    const w = await world({ appNeverRuns: true });
    const e = await w.run().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LabError);
    expect((e as LabError).message).toContain(
      'A aplicação de teste do Marathon não chegou a 2 instâncias rodando (1 rodando depois de 180 s)',
    );
    expect(w.state.apps.size).toBe(0);
    expect(w.state.requests.some((x) => x.startsWith('chronos'))).toBe(false);
    expect(w.elapsed()).toBeGreaterThanOrEqual(180_000);
  });

  it('a failing job is reported and removed', async () => {
    const w = await world({ jobFails: true });
    const e = await w.run().catch((x: unknown) => x);
    expect((e as LabError).message).toContain(
      'O job de teste do Chronos não terminou com sucesso (o job terminou com erro)',
    );
    expect(w.state.jobs.size).toBe(0);
  });

  it('a cluster that is not up gives a Portuguese hint, not a stack trace', async () => {
    const port = await listen((_q, r) => r.end());
    await new Promise((r) => servers.pop()!.close(r));
    const e = await runSmoke({ ports: { ...resolvePorts({}), marathon: port, chronos: port } }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(LabError);
    expect((e as LabError).message).toContain('O cluster está no ar?');
  });
});
