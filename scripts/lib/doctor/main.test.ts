// `npm run doctor` end to end (arguments to output and exit code) with the fake docker as a real process on
// PATH, the kit's .env and state folder in a temporary root. Ports are probed through a stub: tests must not
// bind the course ports.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fakeDocker,
  noDockerEnv,
  type FakeDocker,
  type FakeScenario,
} from '../../../test/fake-docker/fake.ts';
import { composeFile } from '../cluster/docker/compose.ts';
import { imageRefs } from '../cluster/docker/images.ts';
import { doctorMain } from './main.ts';
import { realProbes } from './probes.ts';

let fake: FakeDocker | undefined;
let root: string | undefined;
afterEach(() => {
  fake?.cleanup();
  if (root) rmSync(root, { recursive: true, force: true });
});

function kit(dotEnv?: string): string {
  root = mkdtempSync(path.join(os.tmpdir(), 'kit-'));
  mkdirSync(path.join(root, 'labs', 'cluster'), { recursive: true });
  copyFileSync(composeFile(), path.join(root, 'labs', 'cluster', 'compose.yaml'));
  if (dotEnv) writeFileSync(path.join(root, '.env'), dotEnv);
  return root;
}

async function doctor(args: string[], env: NodeJS.ProcessEnv, busy: number[] = []) {
  const r = kit();
  const probes = {
    ...realProbes({ env }),
    portFree: async (p: number) => !busy.includes(p),
    lookup: async () => null,
  };
  return doctorMain(args, { root: r, env, probes });
}

function withFake(s: FakeScenario = {}) {
  fake = fakeDocker({ images: imageRefs({}), ...s });
  return fake.env;
}

describe('npm run doctor', () => {
  it('no Docker at all: readable table, simulator named, exit 0', async () => {
    const { output, code } = await doctor([], noDockerEnv());
    expect(code).toBe(0);
    expect(output).toContain('O Docker não está instalado: o kit vai usar o cluster simulado.');
    expect(output).toMatch(/✘ {2}P1 /);
  });

  it('engine not answering, --json: backend sim, exit 0', async () => {
    const { output, code } = await doctor(['--json'], withFake({ engine: 'down' }));
    expect(code).toBe(0);
    const j = JSON.parse(output) as {
      backend: string;
      dockerAnswers: boolean;
      checks: { check: string; level: string }[];
    };
    expect(j.backend).toBe('sim');
    expect(j.dockerAnswers).toBe(false);
    expect(j.checks.find((c) => c.check === 'P1')?.level).toBe('blocks');
    expect(j.checks.find((c) => c.check === 'P4')?.level).toBe('skipped');
    // A silent engine is asked once: no `compose ps`, no image inspection.
    expect(fake!.calls()).toEqual([['version', '--format', '{{json .}}']]);
  });

  it('Docker 29 ready: exit 0; a busy port: exit 1 with the fix', async () => {
    const ok = await doctor([], withFake({ docker: 29 }));
    expect(ok.code).toBe(0);
    expect(ok.output).toContain('Docker 29.0.1 respondendo');
    fake?.cleanup();
    const busy = await doctor([], withFake({ docker: 29 }), [5050]);
    expect(busy.code).toBe(1);
    expect(busy.output).toContain('A porta 5050 (Mesos master) já está em uso');
    expect(busy.output).toContain('MASTER_PORT=15050');
  });

  it('asks compose which of its own services run (their ports are not a clash)', async () => {
    await doctor([], withFake({ ps: { 'mesos-master': { State: 'running' } } }), [5050]).then((r) =>
      expect(r.code).toBe(0),
    );
    const ps = fake!.calls().find((c) => c[0] === 'compose' && c.includes('ps'))!;
    expect(ps.slice(0, 3)).toEqual(['compose', '-p', 'mesos']);
    expect(ps.slice(-3)).toEqual(['ps', '--format', 'json']);
  });

  it('--instrutor lists what to confirm on a real Docker host, without probing anything', async () => {
    const { output, code } = await doctor(['--instrutor'], withFake());
    expect(code).toBe(0);
    expect(output).toContain('Antes da disciplina');
    expect(output).toContain('docker buildx imagetools inspect --raw');
    expect(output).toContain('Confirmação pelo kit: `npm run doctor`');
    expect(fake!.calls()).toEqual([]);
  });

  it('--help and an unknown option', async () => {
    expect((await doctor(['--help'], noDockerEnv())).output).toContain('Uso: npm run doctor');
    const bad = await doctor(['--xml'], noDockerEnv());
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('Opção desconhecida: --xml');
  });
});
