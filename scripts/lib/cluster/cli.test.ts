import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SERVICE_PORTS } from '../../../src/cluster/topology.ts';
import { loadEnv } from '../env.ts';
import { rememberBackend } from '../state.ts';
import type { Backend } from './backend.ts';
import { parseArgs, runCli } from './cli.ts';
import { selectBackend } from './select.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lab-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const noDocker = async () => ({ ok: false, reason: 'o comando docker não está instalado neste computador' });
const docker = async () => ({ ok: true, reason: 'o Docker 29.0.1 está respondendo' });
const fakeDocker = { name: 'docker' } as unknown as Backend;

describe('parseArgs', () => {
  it('reads commands, services and --backend in both forms', () => {
    expect(parseArgs(['up', '--backend', 'sim'])).toMatchObject({ command: 'up', backend: 'sim' });
    expect(parseArgs(['stop', 'mesos-agent-2', '--backend=docker'])).toMatchObject({
      command: 'stop',
      service: 'mesos-agent-2',
      backend: 'docker',
    });
    expect(parseArgs(['logs'])).toMatchObject({ command: 'logs', service: undefined, lines: 100 });
    expect(parseArgs(['logs', 'marathon', '-n', '5'])).toMatchObject({ service: 'marathon', lines: 5 });
    expect(parseArgs([])).toMatchObject({ command: 'help' });
  });

  it('refuses what it does not know, in Portuguese', () => {
    expect(() => parseArgs(['explode'])).toThrow(/O comando "explode" não existe/);
    expect(() => parseArgs(['stop'])).toThrow(/Diga qual serviço/);
    expect(() => parseArgs(['stop', 'mesos-slave-1'])).toThrow(/O serviço "mesos-slave-1" não existe/);
    expect(() => parseArgs(['up', 'now'])).toThrow(/Argumentos demais/);
    expect(() => parseArgs(['up', '--force'])).toThrow(/A opção --force não existe/);
  });
});

describe('selectBackend', () => {
  const env = () => loadEnv(dir, {});

  it('auto picks sim when no Docker engine answers, and says why', async () => {
    const s = await selectBackend({ env: env(), stateDir: dir, command: 'up', probeDocker: noDocker });
    expect(s).toMatchObject({
      name: 'sim',
      automatic: true,
      reason: 'o comando docker não está instalado neste computador',
    });
  });

  it('auto picks docker when the engine answers and the backend exists', async () => {
    const s = await selectBackend({
      env: env(),
      stateDir: dir,
      command: 'up',
      probeDocker: docker,
      createDocker: async () => fakeDocker,
    });
    expect(s).toMatchObject({ name: 'docker', automatic: true, reason: 'o Docker 29.0.1 está respondendo' });
  });

  it('auto falls back to sim while the docker backend is not available', async () => {
    const s = await selectBackend({
      env: env(),
      stateDir: dir,
      command: 'up',
      probeDocker: docker,
      createDocker: async () => undefined,
    });
    expect(s.name).toBe('sim');
    expect(s.reason).toMatch(/ainda não está disponível/);
  });

  it('--backend wins over LAB_BACKEND, which wins over the remembered backend', async () => {
    rememberBackend(dir, 'docker');
    const probe = async () => {
      throw new Error('must not probe');
    };
    const fromEnv = loadEnv(dir, { LAB_BACKEND: 'sim' });
    expect(
      await selectBackend({ env: fromEnv, stateDir: dir, command: 'status', probeDocker: probe }),
    ).toMatchObject({ name: 'sim', reason: 'definido em LAB_BACKEND' });
    expect(
      await selectBackend({ flag: 'sim', env: env(), stateDir: dir, command: 'status', probeDocker: probe }),
    ).toMatchObject({ name: 'sim', reason: 'pedido com --backend' });
    const remembered = await selectBackend({
      env: env(),
      stateDir: dir,
      command: 'status',
      probeDocker: probe,
      createDocker: async () => fakeDocker,
    });
    expect(remembered).toMatchObject({ name: 'docker', reason: 'é o backend do último cluster up' });
  });

  it('a forced docker backend that is not available is a Portuguese error', async () => {
    await expect(
      selectBackend({
        flag: 'docker',
        env: env(),
        stateDir: dir,
        command: 'up',
        createDocker: async () => undefined,
      }),
    ).rejects.toThrow(/backend docker ainda não está disponível/);
    await expect(selectBackend({ flag: 'k8s', env: env(), stateDir: dir, command: 'up' })).rejects.toThrow(
      /O backend "k8s" não existe/,
    );
  });
});

describe('runCli', () => {
  it('a taken port after a Docker cluster hints at stopping the Docker cluster', async () => {
    rememberBackend(dir, 'docker');
    const env: Record<string, string> = { LAB_STATE_DIR: dir, LAB_ROOT: dir };
    const held: Server[] = [];
    for (const p of SERVICE_PORTS) {
      const s = createServer();
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      held.push(s);
      env[p.envVar] = String((s.address() as { port: number }).port);
    }
    // Keep the ZooKeeper port taken, free the others.
    await Promise.all(held.slice(1).map((s) => new Promise((r) => s.close(r))));
    const lines: string[] = [];
    const output = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    try {
      expect(await runCli(['up', '--backend', 'sim'], { output, env })).toBe(1);
    } finally {
      await new Promise((r) => held[0].close(r));
    }
    const text = lines.join('\n');
    expect(text).toContain(
      `✘ A porta ${env.ZK_PORT} já está em uso por outro programa, então o ZooKeeper não pode subir.`,
    );
    expect(text).toContain('npm run cluster -- down --backend docker');
  });

  it('down and status with nothing running are harmless', async () => {
    const lines: string[] = [];
    const output = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    const env = { LAB_STATE_DIR: dir, LAB_ROOT: dir };
    expect(await runCli(['down', '--backend', 'sim'], { output, env })).toBe(0);
    expect(lines.join('\n')).toMatch(/não estava no ar; nada a fazer/);
    lines.length = 0;
    expect(await runCli(['status', '--backend', 'sim'], { output, env })).toBe(0);
    const text = lines.join('\n').split('\n');
    expect(text[1]).toMatch(/^ {2}serviço +estado +endereço +detalhe$/);
    expect(text.filter((l) => l.includes('ausente'))).toHaveLength(6);
    lines.length = 0;
    expect(await runCli(['stop', 'marathon', '--backend', 'sim'], { output, env })).toBe(1);
    expect(lines[0]).toMatch(/^✘ O cluster não está no ar/);
  });
});
