// The docker backend against the fake `docker` (in-process), a fake master /master/state and a virtual clock:
// the commands it issues, the progress it shows and the Portuguese explanation of each known failure.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fakeDocker,
  inProcessDocker,
  type FakeDocker,
  type FakeScenario,
} from '../../../../test/fake-docker/fake.ts';
import type { Probes } from '../../doctor/probes.ts';
import { LabError } from '../backend.ts';
import { composeFile } from './compose.ts';
import { createDockerBackend, readinessGaps, type MasterState } from './backend.ts';
import { imageRefs } from './images.ts';
import { agentsHashFile } from './state.ts';

const ALL = imageRefs({});
const READY: MasterState = {
  activated_slaves: 2,
  slaves: [
    { hostname: 'mesos-agent-1', active: true },
    { hostname: 'mesos-agent-2', active: true },
  ],
  frameworks: [
    { name: 'marathon', active: true },
    { name: 'chronos', active: true },
  ],
};

let fake: FakeDocker | undefined;
let root: string | undefined;
afterEach(() => {
  fake?.cleanup();
  if (root) rmSync(root, { recursive: true, force: true });
});

interface Setup {
  scenario?: FakeScenario;
  /** Successive answers of /master/state (the last one repeats); an Error means "does not answer". */
  master?: (MasterState | Error)[];
  dotEnv?: string;
  env?: Record<string, string>;
  savedHash?: string;
}

function setup(s: Setup = {}) {
  root = mkdtempSync(path.join(os.tmpdir(), 'kit-'));
  mkdirSync(path.join(root, 'labs', 'cluster'), { recursive: true });
  copyFileSync(composeFile(), path.join(root, 'labs', 'cluster', 'compose.yaml'));
  if (s.dotEnv) writeFileSync(path.join(root, '.env'), s.dotEnv);
  if (s.savedHash) {
    mkdirSync(path.join(root, '.lab'), { recursive: true });
    writeFileSync(agentsHashFile(root), s.savedHash);
  }
  fake = fakeDocker({ images: ALL, ...s.scenario });
  const env = { ...fake.env, ...s.env };
  const urls: string[] = [];
  const answers = s.master ?? [READY];
  let n = 0;
  let clock = 0;
  const probes: Probes = {
    docker: inProcessDocker(env),
    portFree: async () => true,
    lookup: async () => '127.0.0.1',
    freeBytes: () => 100 * 1024 ** 3,
    platform: () => 'linux',
    isWsl: () => false,
    savedAgentsHash: () =>
      existsSync(agentsHashFile(root!)) ? readFileSync(agentsHashFile(root!), 'utf8').trim() : null,
  };
  const progress: string[] = [];
  const backend = createDockerBackend({
    root,
    env,
    docker: inProcessDocker(env),
    probes,
    fetchJson: async (url) => {
      urls.push(url);
      const a = answers[Math.min(n++, answers.length - 1)];
      if (a instanceof Error) throw a;
      return a;
    },
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
  });
  return {
    backend,
    progress,
    urls,
    root,
    elapsed: () => clock,
    up: (timeoutMs?: number) => backend.up({ progress: (l) => progress.push(l), timeoutMs }),
  };
}

async function failure(p: Promise<unknown>): Promise<LabError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LabError);
    return e as LabError;
  }
  throw new Error('expected a LabError');
}

describe('up on a machine that can run it', () => {
  it('pulls missing images one at a time, brings the stack up and waits for readiness', async () => {
    const t = setup({
      scenario: { images: ALL.slice(0, 2) },
      master: [new Error('down'), { slaves: [] }, { ...READY, frameworks: [{ name: 'marathon' }] }, READY],
    });
    await t.up();
    const calls = fake!.calls();
    const pulls = calls.filter((c) => c[0] === 'pull');
    expect(pulls).toEqual(ALL.slice(2).map((r) => ['pull', '--platform', 'linux/amd64', r]));
    // Pulls happen strictly before `compose up`.
    const firstUp = calls.findIndex((c) => c[0] === 'compose' && c.includes('up'));
    const lastPull = calls.map((c) => c[0]).lastIndexOf('pull');
    expect(lastPull).toBeGreaterThan(0);
    expect(lastPull).toBeLessThan(firstUp);
    const up = calls[firstUp];
    expect(up.slice(0, 5)).toEqual([
      'compose',
      '-p',
      'mesos',
      '-f',
      path.join(t.root, 'labs', 'cluster', 'compose.yaml'),
    ]);
    expect(up.slice(5)).toEqual(['up', '-d', '--pull', 'never', '--remove-orphans']);
    expect(up).not.toContain('--env-file');
    expect(t.progress).toContain('Baixando a imagem datastrophic/mesos-slave:1.1.0 (1 de 3)…');
    expect(t.progress).toContain('  datastrophic/mesos-slave:1.1.0: 3 de 3 camadas prontas');
    expect(t.progress).toContain('  Mesos master: rodando');
    expect(t.progress).toContain('Agente mesos-agent-2 ativo');
    expect(t.progress).toContain('Framework chronos registrado no master');
    expect(t.progress.at(-1)).toContain('Cluster real pronto');
    expect(t.urls[0]).toBe('http://127.0.0.1:5050/master/state');
    expect(existsSync(agentsHashFile(t.root))).toBe(true);
  });

  it('uses the .env of the kit: --env-file and the moved master port', async () => {
    const t = setup({ dotEnv: 'MASTER_PORT=15050\n' });
    await t.up();
    const up = fake!.calls().find((c) => c[0] === 'compose' && c.includes('up'))!;
    expect(up).toContain('--env-file');
    expect(up[up.indexOf('--env-file') + 1]).toBe(path.join(t.root, '.env'));
    expect(t.urls[0]).toBe('http://127.0.0.1:15050/master/state');
  });

  it('recreates the agents without their old state when their configuration changed', async () => {
    const t = setup({ savedHash: 'an-older-configuration' });
    await t.up();
    const calls = fake!.calls().filter((c) => c[0] === 'compose');
    const rm = calls.findIndex((c) => c.includes('rm'));
    const up = calls.findIndex((c) => c.includes('up'));
    expect(rm).toBeGreaterThanOrEqual(0);
    expect(rm).toBeLessThan(up);
    expect(calls[rm].slice(5)).toEqual(['rm', '--stop', '--force', '-v', 'mesos-agent-1', 'mesos-agent-2']);
    expect(t.progress.some((l) => l.includes('Incompatible agent info'))).toBe(true);
  });

  it('adds the Docker-tasks override only when asked and possible (cgroup v1, Docker 28)', async () => {
    const t = setup({ scenario: { docker: 28, cgroupVersion: '1' }, env: { LAB_DOCKER_TASKS: '1' } });
    await t.up();
    const up = fake!.calls().find((c) => c[0] === 'compose' && c.includes('up'))!;
    expect(up).toContain(path.join(t.root, 'labs', 'cluster', 'compose.docker-tasks.yaml'));
  });
});

describe('up refuses, with the reason in Portuguese, before starting anything', () => {
  it('no engine answering', async () => {
    setup({ scenario: { engine: 'down' } });
    const e = await failure(createDockerBackendFromLast().up());
    expect(e.message).toContain('o motor do Docker (o daemon) não respondeu');
    expect(e.message).toContain('cluster simulado');
  });
  it('a blocking preflight problem (no Compose v2)', async () => {
    const t = setup({ scenario: { composeVersion: null } });
    const e = await failure(t.up());
    expect(e.message).toContain('Docker Compose v2');
    expect(e.message).toContain('npm run doctor');
    expect(fake!.calls().some((c) => c[0] === 'pull' || c.includes('up'))).toBe(false);
  });
  it('Docker tasks asked for on cgroup v2 / Docker 29', async () => {
    const t = setup({ env: { LAB_DOCKER_TASKS: '1' } });
    const e = await failure(t.up());
    expect(e.message).toContain(
      'tarefas Docker não é possível neste computador (cgroup v2 e Docker com API mínima 1.44)',
    );
  });
});

describe('pull failures stop at the first image, explained', () => {
  it.each([
    ['ratelimit', 'O Docker Hub limitou os downloads desta rede', 'toomanyrequests'],
    ['schema1', 'formato antigo', 'schema 1'],
    ['notfound', 'não existe mais', 'manifest unknown'],
    ['platform', 'não existe para a plataforma pedida (linux/amd64)', 'no matching manifest'],
  ])('%s', async (outcome, text, detail) => {
    const t = setup({ scenario: { images: [], pull: { [ALL[1]]: outcome } } });
    const e = await failure(t.up());
    expect(e.message).toContain(text);
    expect(e.message).toContain(ALL[1]);
    expect(e.details).toContain(detail);
    const pulled = fake!
      .calls()
      .filter((c) => c[0] === 'pull')
      .map((c) => c.at(-1));
    expect(pulled).toEqual(ALL.slice(0, 2)); // one at a time, nothing after the failure
    expect(fake!.calls().some((c) => c.includes('up'))).toBe(false);
  });
});

describe('failures after compose up are read from the logs', () => {
  it('timeout: agents never register, the log says why (Linux launcher on cgroup v2)', async () => {
    const t = setup({
      master: [{ slaves: [], frameworks: [] }],
      scenario: {
        logs: {
          'mesos-agent-1':
            "E1126 Failed to create a containerizer: Failed to create launcher: Failed to create Linux launcher: Failed to mount cgroups hierarchy at '/sys/fs/cgroup/freezer': Operation not permitted",
        },
      },
    });
    const e = await failure(t.up(60_000));
    expect(e.message).toContain('os dois agentes, o framework marathon, o framework chronos');
    expect(e.message).toContain('MESOS_LAUNCHER=posix');
    expect(e.message).toContain('(mesos-agent-1)');
    expect(e.message).not.toContain('E1126'); // the explanation, with the log line only as "detalhes"
    expect(e.details).toContain('mesos-agent-1: E1126 Failed to create a containerizer');
    expect(t.elapsed()).toBeGreaterThanOrEqual(60_000);
    expect(fake!.calls().some((c) => c[0] === 'compose' && c.includes('logs'))).toBe(true);
  });

  it('a crashed agent ends the wait at once, with its explanation', async () => {
    const t = setup({
      master: [{ slaves: [{ hostname: 'mesos-agent-2', active: true }], frameworks: [] }],
      scenario: {
        servicesAfterUp: { 'mesos-agent-1': { State: 'exited', ExitCode: 1 } },
        logs: { 'mesos-agent-1': 'Failed to perform recovery: Incompatible agent info detected' },
      },
    });
    const e = await failure(t.up());
    expect(e.message).toContain('O serviço mesos-agent-1 encerrou durante a subida.');
    expect(e.message).toContain('Estado antigo do agente');
    expect(e.message).toContain('npm run cluster -- reset');
    expect(t.elapsed()).toBeLessThan(10_000);
  });

  it('a crash with no known cause says which service and where to look', async () => {
    const t = setup({
      master: [{ slaves: [], frameworks: [] }],
      scenario: { servicesAfterUp: { marathon: { State: 'exited', ExitCode: 2 } } },
    });
    const e = await failure(t.up());
    expect(e.message).toContain('O serviço marathon encerrou logo depois de iniciar.');
    expect(e.message).toContain('npm run cluster -- logs marathon');
  });

  it('compose up itself failing (a port taken meanwhile)', async () => {
    const t = setup({
      scenario: {
        upResult:
          'Error response from daemon: driver failed programming external connectivity on endpoint mesos-marathon-1: Bind for 127.0.0.1:8080 failed: port is already allocated',
      },
    });
    const e = await failure(t.up());
    expect(e.message).toContain('O Docker Compose não conseguiu subir todos os serviços.');
    expect(e.message).toContain('Porta em uso');
    expect(e.message).toContain('MARATHON_PORT=18080');
  });

  it('ARM machines wait longer by default (6 minutes)', async () => {
    const t = setup({
      scenario: { architecture: 'aarch64', memTotal: 8 * 1024 ** 3 },
      master: [{ slaves: [] }],
    });
    await failure(t.up());
    expect(t.elapsed()).toBeGreaterThanOrEqual(360_000);
    expect(t.elapsed()).toBeLessThan(370_000);
  });
});

describe('down, reset, stop, start, status, logs', () => {
  it('issue the matching compose commands and map states', async () => {
    const t = setup();
    await t.up();
    await t.backend.stop('mesos-agent-2');
    let status = await t.backend.status();
    expect(status.find((s) => s.service === 'mesos-agent-2')?.state).toBe('parado');
    expect(status.find((s) => s.service === 'marathon')).toEqual({
      service: 'marathon',
      state: 'rodando',
      address: 'http://127.0.0.1:8080',
      detail: 'rodando',
    });
    expect(status.find((s) => s.service === 'zookeeper')?.address).toBe('127.0.0.1:2181');
    await t.backend.start('mesos-agent-2');
    status = await t.backend.status();
    expect(status.every((s) => s.state === 'rodando')).toBe(true);
    await t.backend.down();
    status = await t.backend.status();
    expect(status.every((s) => s.state === 'ausente')).toBe(true);
    await t.backend.reset();
    expect(existsSync(agentsHashFile(t.root))).toBe(false);
    const tails = fake!
      .calls()
      .filter((c) => c[0] === 'compose' && c[1] === '-p')
      .map((c) => c.slice(5).join(' '))
      .filter((c) => !c.startsWith('ps'));
    expect(tails).toEqual([
      'up -d --pull never --remove-orphans',
      'stop mesos-agent-2',
      'start mesos-agent-2',
      'down --remove-orphans',
      'down --volumes --remove-orphans',
    ]);
  });

  it('logs of one service, with a tail', async () => {
    const t = setup({ scenario: { logs: { chronos: 'linha 1\nlinha 2', marathon: 'outra' } } });
    const text = await t.backend.logs('chronos', 50);
    expect(text).toBe('chronos-1  | linha 1\nchronos-1  | linha 2\n');
    expect(fake!.calls().at(-1)!.slice(5)).toEqual(['logs', '--no-color', '--tail', '50', 'chronos']);
  });

  it('status against an engine that stopped answering explains it', async () => {
    const t = setup({ scenario: { engine: 'down' } });
    const e = await failure(t.backend.status());
    expect(e.message).toContain('o motor do Docker (o daemon) não respondeu');
  });
});

describe('readinessGaps', () => {
  it('names what is missing', () => {
    expect(readinessGaps(null)).toEqual(['o master']);
    expect(readinessGaps(READY)).toEqual([]);
    expect(
      readinessGaps({
        slaves: [{ active: true }, { active: false }],
        frameworks: [{ name: 'marathon', active: true }],
      }),
    ).toEqual(['um dos agentes', 'o framework chronos']);
  });
});

function createDockerBackendFromLast() {
  return createDockerBackend({
    root,
    env: fake!.env,
    docker: inProcessDocker(fake!.env),
    sleep: async () => {},
  });
}
