// End to end: the real `npm run cluster` entry point, a real background simulator, real ports.
// Runs in CI with the other tests. Every port is moved through the environment to free high
// ports and the state folder is a temporary one, so it never clashes with a cluster in use.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_PORTS } from '../../../src/cluster/topology.ts';
import { probePort } from '../../../src/sim/node/ports.ts';
import { processAlive } from '../state.ts';

const ROOT = path.resolve(__dirname, '../../..');
let stateDir: string;
let env: NodeJS.ProcessEnv;
const ports: Record<string, number> = {};

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

function cluster(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/cluster.mts', ...args],
      { cwd: ROOT, env, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/state' }, (res) => {
      res.resume();
      resolve(false);
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
    req.end();
  });
}

function daemonPid(): number | undefined {
  const file = path.join(stateDir, 'sim', 'daemon.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid : undefined;
}

function row(stdout: string, service: string): string {
  return stdout.split('\n').find((l) => l.trim().startsWith(service + ' ')) ?? '';
}

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), 'lab-e2e-'));
  env = { ...process.env, LAB_STATE_DIR: stateDir, LAB_BACKEND: '' };
  for (const p of SERVICE_PORTS) {
    ports[p.service] = await freePort();
    env[p.envVar] = String(ports[p.service]);
  }
});

afterAll(async () => {
  const pid = daemonPid();
  if (pid && processAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(stateDir, { recursive: true, force: true });
});

describe('npm run cluster (sim backend, end to end)', () => {
  it('refuses a taken port in Portuguese and starts nothing', { timeout: 60_000 }, async () => {
    const thief: Server = createServer();
    await new Promise<void>((r) => thief.listen(ports['mesos-master'], '127.0.0.1', r));
    try {
      const r = await cluster('up', '--backend', 'sim');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(
        `✘ A porta ${ports['mesos-master']} já está em uso por outro programa, então o Mesos master não pode subir.`,
      );
      expect(r.stderr).toContain('MASTER_PORT=15050');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(daemonPid()).toBeUndefined();
      expect(await probePort(ports.zookeeper)).toBeUndefined();
    } finally {
      await new Promise((r) => thief.close(r));
    }
  });

  it('up, status, stop an agent, up again, down, down again, reset', { timeout: 180_000 }, async () => {
    const up = await cluster('up', '--backend', 'sim');
    expect(up.stderr, up.stdout).toBe('');
    expect(up.code).toBe(0);
    expect(up.stdout).toContain('Backend: simulador (pedido com --backend)');
    expect(up.stdout).toContain('ZooKeeper respondeu');
    expect(up.stdout).toContain('frameworks registrados: marathon, chronos');
    expect(up.stdout).toContain(`http://127.0.0.1:${ports['mesos-master']}`);
    const pid = daemonPid();
    expect(pid && processAlive(pid)).toBe(true);
    expect(readFileSync(path.join(stateDir, 'state.json'), 'utf8')).toContain('"backend": "sim"');

    const status = await cluster('status');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('Backend: simulador');
    for (const s of ['zookeeper', 'mesos-master', 'mesos-agent-1', 'mesos-agent-2', 'marathon', 'chronos']) {
      expect(row(status.stdout, s)).toContain('rodando');
    }

    const smoke = await cluster('smoke');
    expect(smoke.stderr, smoke.stdout).toBe('');
    expect(smoke.code).toBe(0);
    expect(smoke.stdout).toContain('Teste rápido passou');

    const stop = await cluster('stop', 'mesos-agent-2');
    expect(stop.code).toBe(0);
    expect(await refused(ports['mesos-agent-2'])).toBe(true);
    expect(await refused(ports['mesos-agent-1'])).toBe(false);
    expect(row((await cluster('status')).stdout, 'mesos-agent-2')).toContain('parado');
    expect((await cluster('stop', 'mesos-agent-2')).stdout).toContain('já estava parado');

    const again = await cluster('up');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('mesos-agent-2 estava parado e subiu de novo');
    expect(await refused(ports['mesos-agent-2'])).toBe(false);
    expect(daemonPid()).toBe(pid);

    const down = await cluster('down');
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('simulador parado');
    expect(processAlive(pid!)).toBe(false);
    for (const port of Object.values(ports)) expect(await probePort(port)).toBeUndefined();

    const downAgain = await cluster('down');
    expect(downAgain.code).toBe(0);
    expect(downAgain.stdout).toContain('não estava no ar; nada a fazer');

    // What the cluster keeps survives down; reset wipes it.
    expect(existsSync(path.join(stateDir, 'sim', 'data', 'zookeeper.json'))).toBe(true);
    const reset = await cluster('reset');
    expect(reset.code).toBe(0);
    expect(existsSync(path.join(stateDir, 'sim', 'data'))).toBe(false);
  });
});
