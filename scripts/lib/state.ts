// The kit's state folder `.lab/` (git-ignored): which backend is in use, the simulator's process
// and control token, and the simulator's data. LAB_STATE_DIR moves it (tests use a temporary one).
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Ports } from '../../src/cluster/topology.ts';
import { readJsonFile, writeFileAtomic } from '../../src/sim/node/file-store.ts';
import type { BackendName } from './cluster/backend.ts';

export function stateDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.LAB_STATE_DIR ? path.resolve(env.LAB_STATE_DIR) : path.join(root, '.lab');
}

export interface KitState {
  /** The backend of the last `cluster up`. */
  backend?: BackendName;
  updatedAt?: string;
}

export function readKitState(dir: string): KitState {
  return readJsonFile<KitState>(path.join(dir, 'state.json')) ?? {};
}

export function rememberBackend(dir: string, backend: BackendName): void {
  const state = { ...readKitState(dir), backend, updatedAt: new Date().toISOString() };
  writeFileAtomic(path.join(dir, 'state.json'), JSON.stringify(state, null, 2) + '\n');
}

/** Where the simulator keeps its things inside the state folder. */
export interface SimPaths {
  dir: string;
  /** pid, ports, control port and token of the running simulator (mode 0600). */
  daemonInfo: string;
  /** What the background simulator printed: `cluster logs` reads it. */
  log: string;
  /** Written by the simulator when it could not start, read by `cluster up`. */
  startupError: string;
  /** Persisted state: ZooKeeper tree, Marathon and Chronos stores. */
  data: string;
  /** Task sandboxes. */
  work: string;
  /** Process groups of running tasks, to clean up after a simulator that died. */
  tasks: string;
}

export function simPaths(dir: string): SimPaths {
  const sim = path.join(dir, 'sim');
  return {
    dir: sim,
    daemonInfo: path.join(sim, 'daemon.json'),
    log: path.join(sim, 'daemon.log'),
    startupError: path.join(sim, 'startup-error.json'),
    data: path.join(sim, 'data'),
    work: path.join(sim, 'work'),
    tasks: path.join(sim, 'tasks.json'),
  };
}

export interface DaemonInfo {
  pid: number;
  controlPort: number;
  token: string;
  ports: Ports;
  startedAt: string;
}

export function readDaemonInfo(paths: SimPaths): DaemonInfo | undefined {
  const info = readJsonFile<DaemonInfo>(paths.daemonInfo);
  return info && typeof info.pid === 'number' && typeof info.token === 'string' ? info : undefined;
}

export function writeDaemonInfo(paths: SimPaths, info: DaemonInfo): void {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  writeFileAtomic(paths.daemonInfo, JSON.stringify(info, null, 2) + '\n');
}

export function removeDaemonInfo(paths: SimPaths, pid?: number): void {
  // Only the file of this process: a newer simulator may already have written its own.
  if (pid !== undefined && readDaemonInfo(paths)?.pid !== pid) return;
  rmSync(paths.daemonInfo, { force: true });
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
