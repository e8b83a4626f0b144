import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceName } from '../../../../src/cluster/topology.ts';
import { LabError } from '../backend.ts';
import {
  controlRequest,
  isServiceName,
  newToken,
  startControlServer,
  type ControlStatus,
} from './control.ts';

const calls: string[] = [];
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  calls.length = 0;
  await close?.();
});

async function server() {
  const token = newToken();
  const s = await startControlServer(
    token,
    {
      status: async () => ({ pid: 1 }) as unknown as ControlStatus,
      stop: async (svc: ServiceName) => {
        if (svc === 'chronos') throw new LabError('Não deu.', 'why');
        calls.push(`stop ${svc}`);
      },
      start: async (svc: ServiceName) => void calls.push(`start ${svc}`),
      shutdown: () => calls.push('shutdown'),
    },
    isServiceName,
  );
  close = s.close;
  return { token, port: s.port };
}

function raw(port: number, headers: Record<string, string>, method = 'GET', path = '/v1/status') {
  return new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('control endpoint', () => {
  it('answers with the token and runs commands', async () => {
    const { token, port } = await server();
    expect(await controlRequest({ controlPort: port, token }, 'GET', '/v1/status')).toEqual({
      ok: true,
      value: { pid: 1 },
    });
    expect(
      (await controlRequest({ controlPort: port, token }, 'POST', '/v1/services/mesos-agent-2/stop')).ok,
    ).toBe(true);
    const failed = await controlRequest({ controlPort: port, token }, 'POST', '/v1/services/chronos/stop');
    expect(failed).toEqual({ ok: false, error: { message: 'Não deu.', details: 'why' } });
    expect((await controlRequest({ controlPort: port, token }, 'POST', '/v1/services/nope/stop')).ok).toBe(
      false,
    );
    expect(calls).toEqual(['stop mesos-agent-2']);
  });

  it('refuses requests without the right token', async () => {
    const { port } = await server();
    expect((await raw(port, {})).status).toBe(401);
    expect((await raw(port, { authorization: `Bearer ${newToken()}` })).status).toBe(401);
    expect((await raw(port, { authorization: 'Bearer x' }, 'POST', '/v1/shutdown')).status).toBe(401);
    expect(calls).toEqual([]);
  });

  it('refuses anything a web page could send, even with the token, and sends no CORS headers', async () => {
    const { token, port } = await server();
    const auth = { authorization: `Bearer ${token}` };
    const fromPage = await raw(port, { ...auth, origin: 'http://evil.example' }, 'POST', '/v1/shutdown');
    expect(fromPage.status).toBe(403);
    expect((await raw(port, { ...auth, host: 'evil.example' })).status).toBe(403);
    const ok = await raw(port, auth);
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.headers).filter((h) => h.startsWith('access-control'))).toEqual([]);
    expect(calls).toEqual([]);
  });
});
