// Test helper: puts test/fake-docker/docker first on PATH with a scenario, and reads back the commands issued.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DockerResult, RunOptions } from '../../scripts/lib/cluster/docker/run.ts';

export const FAKE_DOCKER_DIR = path.dirname(fileURLToPath(import.meta.url));

export interface FakeScenario {
  /** 28 or 29: version, API version, minimum API and Compose version of that release. */
  docker?: 28 | 29;
  engine?: 'up' | 'down' | 'hang';
  serverVersion?: string;
  minApi?: string;
  /** null: no Compose plugin at all. */
  composeVersion?: string | null;
  cgroupVersion?: '1' | '2';
  architecture?: string;
  memTotal?: number;
  operatingSystem?: string;
  dockerRootDir?: string;
  context?: string;
  /** `docker ps -a` names */
  containers?: string[];
  /** images present at the start */
  images?: string[];
  /** per image: ok | ratelimit | schema1 | notfound | platform | network | nospace */
  pull?: Record<string, string>;
  emulation?: 'ok' | 'broken';
  /** per compose service: its log text */
  logs?: Record<string, string>;
  /** 'ok' or the stderr text of a failing `compose up` */
  upResult?: string;
  /** what `compose up` leaves per service, e.g. { 'mesos-agent-1': { State: 'exited', ExitCode: 1 } } */
  servicesAfterUp?: Record<string, { State: string; Health?: string; ExitCode?: number }>;
  /** a fixed `compose ps` answer */
  ps?: Record<string, { State: string; Health?: string; ExitCode?: number }>;
}

export interface FakeDocker {
  env: NodeJS.ProcessEnv;
  dir: string;
  /** Every argv the fake received, in order. */
  calls(): string[][];
  cleanup(): void;
}

export function fakeDocker(scenario: FakeScenario = {}): FakeDocker {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fake-docker-'));
  const scenarioFile = path.join(dir, 'scenario.json');
  writeFileSync(scenarioFile, JSON.stringify(scenario));
  const log = path.join(dir, 'calls.log');
  writeFileSync(log, '');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${FAKE_DOCKER_DIR}${path.delimiter}${process.env.PATH ?? ''}`,
    FAKE_DOCKER_SCENARIO: scenarioFile,
    FAKE_DOCKER_STATE: path.join(dir, 'state.json'),
    FAKE_DOCKER_LOG: log,
  };
  delete env.LAB_DOCKER;
  return {
    env,
    dir,
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string[]),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** An environment where no `docker` exists at all. */
export function noDockerEnv(): NodeJS.ProcessEnv {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'no-docker-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: dir };
  delete env.LAB_DOCKER;
  return env;
}

interface EngineAnswer {
  code: number;
  stdout: string;
  stderr: string;
  hang: boolean;
}
const engine = createRequire(import.meta.url)('./engine.cjs') as {
  run(argv: string[], env: NodeJS.ProcessEnv): EngineAnswer;
};

/**
 * The same fake answered in-process, without starting a process per command (a Node start costs ~0.3 s on
 * the shared test machines). Same signature as runDocker; a hanging engine reads as a timeout.
 */
export function inProcessDocker(env: NodeJS.ProcessEnv) {
  return async (args: readonly string[], options: RunOptions = {}): Promise<DockerResult> => {
    const r = engine.run([...args], env);
    if (options.onLine) {
      for (const line of r.stdout.split(/\r?\n/)) if (line.trim()) options.onLine(line, 'stdout');
      for (const line of r.stderr.split(/\r?\n/)) if (line.trim()) options.onLine(line, 'stderr');
    }
    if (r.hang) return { code: -1, stdout: '', stderr: '', notFound: false, timedOut: true };
    return { code: r.code, stdout: r.stdout, stderr: r.stderr, notFound: false, timedOut: false };
  };
}
