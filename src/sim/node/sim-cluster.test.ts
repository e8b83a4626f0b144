import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SERVICE_NAMES, type Ports } from '../../cluster/topology.ts';
import { LabError } from '../../../scripts/lib/cluster/backend.ts';
import { fourLetterWord } from '../../../scripts/lib/cluster/zk-words.ts';
import { RealClock, VirtualClock } from '../core/clock.ts';
import { ModelExecutor } from '../core/model-executor.ts';
import { createRequire } from 'node:module';
import { probePort } from './ports.ts';
import { ProcessExecutor } from './process-executor.ts';
import { SimCluster } from './sim-cluster.ts';

const EPHEMERAL: Ports = {
  zookeeper: 0,
  'mesos-master': 0,
  'mesos-agent-1': 0,
  'mesos-agent-2': 0,
  marathon: 0,
  chronos: 0,
};

let dir: string;
let cluster: SimCluster | undefined;
const occupied: Server[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lab-sim-'));
});
afterEach(async () => {
  await cluster?.shutdown();
  cluster = undefined;
  await Promise.all(occupied.splice(0).map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

/** GET on 127.0.0.1:port; resolves the status and body, or rejects with the socket error code. */
function get(port: number, urlPath: string, host = '127.0.0.1'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: urlPath, headers: { host, connection: 'close' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => reject(e.code ?? e));
    req.end();
  });
}

/** Lets real I/O happen while virtual time moves, until predicate holds. */
async function until(clock: VirtualClock, predicate: () => boolean | Promise<boolean>, maxMs = 120_000) {
  for (let waited = 0; waited <= maxMs; waited += 100) {
    if (await predicate()) return;
    clock.advance(100);
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('condition not reached in simulated time');
}

async function startEphemeral(clock: VirtualClock) {
  cluster = await SimCluster.start({
    ports: EPHEMERAL,
    clock,
    executor: new ProcessExecutor({ workDir: path.join(dir, 'work'), killGraceMs: 200 }),
    dataDir: path.join(dir, 'data'),
    persistIntervalMs: 20,
  });
  return cluster;
}

describe('SimCluster in-process on ephemeral ports', () => {
  it('gets ready, serves every service, stops and starts an agent like a container', async () => {
    const clock = new VirtualClock();
    const c = await startEphemeral(clock);
    const ports = c.ports;
    for (const s of SERVICE_NAMES) expect(ports[s]).toBeGreaterThan(0);
    expect(new Set(Object.values(ports)).size).toBe(SERVICE_NAMES.length);

    await until(clock, () => c.readiness().ready);
    expect(c.readiness()).toMatchObject({ zookeeper: true, masterElected: true, activeAgents: 2 });
    expect(await fourLetterWord(ports.zookeeper, 'ruok')).toBe('imok');
    expect(c.readiness().frameworks.sort()).toEqual(['chronos', 'marathon']);
    expect((await get(ports.marathon, '/v2/apps')).status).toBe(200);
    expect((await get(ports.chronos, '/v1/scheduler/jobs')).status).toBe(200);

    const state = await get(ports['mesos-master'], '/master/state');
    expect(state.status).toBe(200);
    const slaves = JSON.parse(state.body).slaves as { hostname: string; active: boolean }[];
    expect(slaves.map((s) => s.hostname).sort()).toEqual(['mesos-agent-1', 'mesos-agent-2']);
    expect((await get(ports['mesos-agent-2'], '/state')).status).toBe(200);
    // The guard: a name that is not the cluster's (DNS rebinding) is refused.
    expect((await get(ports['mesos-master'], '/master/state', 'evil.example')).status).toBe(403);

    await c.stop('mesos-agent-2');
    await expect(get(ports['mesos-agent-2'], '/state')).rejects.toBe('ECONNREFUSED');
    expect(c.services().find((s) => s.service === 'mesos-agent-2')).toMatchObject({ running: false });
    // The master notices once its health checks fail (Mesos 1.1: 5 pings 15 s apart).
    await until(clock, () => c.readiness().activeAgents === 1);
    const after = JSON.parse((await get(ports['mesos-master'], '/master/slaves')).body) as {
      slaves: { hostname: string; active: boolean }[];
    };
    const agent2 = after.slaves.find((s) => s.hostname === 'mesos-agent-2');
    expect(agent2 === undefined || agent2.active === false).toBe(true);
    expect(c.readiness().ready).toBe(false);

    await c.start('mesos-agent-2');
    expect((await get(ports['mesos-agent-2'], '/state')).status).toBe(200);
    await until(clock, () => c.readiness().ready);
    expect(c.readiness().activeAgents).toBe(2);

    await c.stop('marathon');
    await expect(get(ports.marathon, '/v2/apps')).rejects.toBe('ECONNREFUSED');
    await c.start('marathon');
    expect((await get(ports.marathon, '/v2/apps')).status).toBe(200);

    await c.shutdown();
    cluster = undefined;
    for (const s of SERVICE_NAMES) expect(await probePort(ports[s])).toBeUndefined();
    expect(existsSync(path.join(dir, 'data', 'zookeeper.json'))).toBe(true);
  });

  it('keeps the ZooKeeper tree across a restart and serves the master info znode', async () => {
    const clock = new VirtualClock();
    const c = await startEphemeral(clock);
    await until(clock, () => c.readiness().ready);
    c.db.access().create('/lab/persisted', new TextEncoder().encode('sim'));
    await c.shutdown();
    cluster = undefined;

    const again = await startEphemeral(new VirtualClock());
    expect(new TextDecoder().decode(again.db.access().getData('/lab/persisted'))).toBe('sim');
  });
});

describe('SimCluster port conflicts', () => {
  async function occupy(): Promise<number> {
    const s = createServer();
    occupied.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return (s.address() as { port: number }).port;
  }

  async function freePorts(): Promise<Ports> {
    const ports = { ...EPHEMERAL };
    const held: Server[] = [];
    for (const s of SERVICE_NAMES) {
      const srv = createServer();
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
      held.push(srv);
      ports[s] = (srv.address() as { port: number }).port;
    }
    await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
    return ports;
  }

  it('refuses to start with a taken port, in Portuguese, leaving nothing listening', async () => {
    const ports = { ...(await freePorts()), marathon: await occupy() };
    const error = await SimCluster.start({
      ports,
      clock: new VirtualClock(),
      workDir: path.join(dir, 'work'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).message).toBe(
      `A porta ${ports.marathon} já está em uso por outro programa, então o Marathon não pode subir. ` +
        'Feche o programa que usa a porta ou escolha outra no arquivo .env (por exemplo MARATHON_PORT=18080).',
    );
    for (const s of SERVICE_NAMES) {
      if (s !== 'marathon') expect(await probePort(ports[s])).toBeUndefined();
    }
  });

  it('a service restarted on a port taken meanwhile gets the same message', async () => {
    const clock = new VirtualClock();
    const c = await startEphemeral(clock);
    const port = c.ports.chronos;
    await c.stop('chronos');
    const thief = createServer();
    occupied.push(thief);
    await new Promise<void>((r) => thief.listen(port, '127.0.0.1', r));
    await expect(c.start('chronos')).rejects.toThrow(
      `A porta ${port} já está em uso por outro programa, então o Chronos`,
    );
  });
});

describe('ZooKeeper under an accelerated clock', () => {
  it(
    'keeps a real client session alive while idle, whatever LAB_SIM_SPEED is',
    { timeout: 30_000 },
    async () => {
      cluster = await SimCluster.start({
        ports: EPHEMERAL,
        speed: 50,
        executor: new ModelExecutor(new RealClock(50)),
      });
      // node-zookeeper-client ships no types: the three calls used here, typed by hand.
      const { createClient } = createRequire(import.meta.url)('node-zookeeper-client') as {
        createClient(
          hosts: string,
          options: { sessionTimeout: number },
        ): {
          connect(): void;
          close(): void;
          once(event: 'connected', cb: () => void): void;
          on(event: 'state', cb: (s: { name: string }) => void): void;
          getChildren(path: string, cb: (err: Error | null, children: string[]) => void): void;
        };
      };
      const zk = createClient(`127.0.0.1:${cluster.ports.zookeeper}`, { sessionTimeout: 4000 });
      const connected = new Promise<void>((resolve) => zk.once('connected', () => resolve()));
      zk.connect();
      await connected;
      let expired = false;
      zk.on('state', (s: { name: string }) => {
        if (s.name === 'EXPIRED' || s.name === 'DISCONNECTED') expired = true;
      });
      // 2.5 real seconds are 125 simulated seconds: far past the 4 s session timeout if ZooKeeper used them.
      await new Promise((r) => setTimeout(r, 2500));
      const children = await new Promise<string[]>((resolve, reject) =>
        zk.getChildren('/', (err: Error | null, c: string[]) => (err ? reject(err) : resolve(c))),
      );
      expect(children).toContain('zookeeper');
      expect(expired).toBe(false);
      zk.close();
    },
  );
});
