import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LabError } from './cluster/backend.ts';
import { loadEnv, parseDotEnv, repoRoot } from './env.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'lab-env-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('env', () => {
  it('parses .env lines with comments, quotes and export', () => {
    expect(parseDotEnv('# c\nA=1\nexport B="x y"\nC=2 # note\n\nbad line\nD=\'q\'')).toEqual({
      A: '1',
      B: 'x y',
      C: '2',
      D: 'q',
    });
  });

  it('reads ports from .env, the shell winning over the file', () => {
    writeFileSync(path.join(root, '.env'), 'MARATHON_PORT=18080\nZK_PORT=12181\nLAB_SIM_SPEED=60\n');
    const env = loadEnv(root, { ZK_PORT: '22181' });
    expect(env.ports).toMatchObject({ zookeeper: 22181, marathon: 18080, 'mesos-master': 5050 });
    expect(env.simSpeed).toBe(60);
    expect(env.backend).toBeUndefined();
  });

  it('rejects values it cannot use, naming the variable', () => {
    expect(() => loadEnv(root, { MASTER_PORT: '70000' })).toThrow(/MASTER_PORT=70000/);
    expect(() => loadEnv(root, { LAB_BACKEND: 'podman' })).toThrow(LabError);
    expect(() => loadEnv(root, { LAB_SIM_SPEED: '0' })).toThrow(/LAB_SIM_SPEED/);
  });

  it('finds the kit root from a subfolder', () => {
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'laboratorio-mesos' }));
    const sub = path.join(root, 'labs', 'x');
    mkdirSync(sub, { recursive: true });
    expect(repoRoot({}, sub)).toBe(root);
    expect(repoRoot({ LAB_ROOT: '/elsewhere' }, sub)).toBe('/elsewhere');
  });
});
