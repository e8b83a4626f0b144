// The `sim` backend: the simulator as a background process (scripts/sim-daemon.mts), driven through
// its control endpoint. Everything it keeps lives in the state folder (`.lab/sim/`).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  SERVICE_NAMES,
  SERVICE_PORTS,
  type Ports,
  type ServiceName,
} from '../../../../src/cluster/topology.ts';
import { readJsonFile } from '../../../../src/sim/node/file-store.ts';
import { assertPortsFree } from '../../../../src/sim/node/ports.ts';
import { killLeftoverTasks } from '../../../../src/sim/node/process-executor.ts';
import type { LabEnv } from '../../env.ts';
import {
  processAlive,
  readKitState,
  readDaemonInfo,
  removeDaemonInfo,
  simPaths,
  type DaemonInfo,
  type SimPaths,
} from '../../state.ts';
import {
  LabError,
  type Backend,
  type ProgressOptions,
  type ServiceStatus,
  type UpOptions,
} from '../backend.ts';
import { zookeeperAnswers } from '../zk-words.ts';
import { daemonCommand } from './bundle.ts';
import { controlRequest, type ControlStatus } from './control.ts';

export interface SimBackendOptions {
  env: LabEnv;
  stateDir: string;
  /** Environment for the background process (defaults to this process's). */
  spawnEnv?: NodeJS.ProcessEnv;
}

export function serviceAddress(service: ServiceName, port: number): string {
  return service === 'zookeeper' ? `127.0.0.1:${port}` : `http://127.0.0.1:${port}`;
}

export class SimBackend implements Backend {
  readonly name = 'sim' as const;
  readonly paths: SimPaths;

  constructor(private readonly options: SimBackendOptions) {
    this.paths = simPaths(options.stateDir);
  }

  /** The running simulator and what it says, or undefined when none answers. */
  async live(): Promise<{ info: DaemonInfo; status: ControlStatus } | undefined> {
    const info = readDaemonInfo(this.paths);
    if (!info || !processAlive(info.pid)) return undefined;
    try {
      const r = await controlRequest<ControlStatus>(info, 'GET', '/v1/status', 5000);
      return r.ok && r.value ? { info, status: r.value } : undefined;
    } catch {
      return undefined;
    }
  }

  async up(options: UpOptions = {}): Promise<void> {
    const progress = options.progress ?? (() => {});
    const timeoutMs = options.timeoutMs ?? 60_000;
    const live = await this.live();
    if (live) {
      if (live.status.readiness.ready) {
        progress('o cluster já está no ar');
        return;
      }
      // Like `docker compose up` with some containers stopped: start what is stopped.
      for (const s of live.status.services.filter((x) => !x.running)) {
        await this.command(s.service, 'start');
        progress(`${s.service} estava parado e subiu de novo`);
      }
      progress('o simulador já está rodando; esperando ficar pronto');
      await this.waitReady(live.info.pid, timeoutMs, progress);
      return;
    }
    const stuck = readDaemonInfo(this.paths);
    if (stuck && processAlive(stuck.pid) && this.isOurDaemon(stuck.pid)) {
      throw new LabError(
        `O simulador (processo ${stuck.pid}) está rodando, mas não responde. ` +
          'Pare-o com npm run cluster -- down e suba de novo.',
      );
    }
    this.clearStale();
    const leftover = killLeftoverTasks(this.paths.tasks);
    if (leftover)
      progress(`${leftover} tarefa(s) deixadas por um simulador que parou de repente foram paradas`);
    try {
      await assertPortsFree(this.options.env.ports);
    } catch (e) {
      if (e instanceof LabError && readKitState(this.options.stateDir).backend === 'docker') {
        throw new LabError(
          `${e.message} Se o cluster Docker estiver no ar, pare-o antes: npm run cluster -- down --backend docker.`,
          e.details,
        );
      }
      throw e;
    }

    mkdirSync(this.paths.dir, { recursive: true, mode: 0o700 });
    rmSync(this.paths.startupError, { force: true });
    const root = this.options.env.root;
    const { args } = await daemonCommand(root, this.paths.dir);
    const log = openSync(this.paths.log, 'w');
    let pid: number | undefined;
    let exited: number | null | undefined;
    try {
      const child = spawn(process.execPath, args, {
        cwd: root,
        detached: true,
        stdio: ['ignore', log, log],
        env: {
          ...(this.options.spawnEnv ?? process.env),
          LAB_ROOT: root,
          LAB_STATE_DIR: this.options.stateDir,
        },
      });
      pid = child.pid;
      child.on('exit', (code) => (exited = code));
      child.on('error', () => (exited = -1));
      child.unref();
    } finally {
      closeSync(log);
    }
    if (!pid) throw new LabError('Não foi possível iniciar o processo do simulador.');
    progress(`simulador iniciado em segundo plano (pid ${pid})`);
    try {
      await this.waitReady(pid, timeoutMs, progress, () => exited);
    } catch (e) {
      await this.killDaemon(pid);
      removeDaemonInfo(this.paths, pid);
      throw e;
    }
  }

  private async waitReady(
    pid: number,
    timeoutMs: number,
    progress: (line: string) => void,
    exitCode: () => number | null | undefined = () => undefined,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const said = new Set<string>();
    const say = (key: string, line: string) => {
      if (said.has(key)) return;
      said.add(key);
      progress(line);
    };
    let last: ControlStatus | undefined;
    for (;;) {
      if (exitCode() !== undefined || !processAlive(pid)) {
        const error = readJsonFile<{ message: string; details?: string }>(this.paths.startupError);
        if (error) throw new LabError(error.message, error.details);
        throw new LabError(
          'O simulador parou logo depois de subir.',
          `veja ${path.relative(this.options.env.root, this.paths.log)}: ${this.tail(5).join(' | ')}`,
        );
      }
      const info = readDaemonInfo(this.paths);
      if (info && info.pid === pid) {
        try {
          const r = await controlRequest<ControlStatus>(info, 'GET', '/v1/status', 5000);
          if (r.ok && r.value) {
            last = r.value;
            const rd = r.value.readiness;
            const zk = rd.zookeeper && (await zookeeperAnswers(info.ports.zookeeper, 1000));
            if (zk) say('zk', 'ZooKeeper respondeu (ruok → imok)');
            if (rd.masterElected) say('master', 'master eleito');
            if (rd.activeAgents >= rd.expectedAgents)
              say('agents', `${rd.activeAgents} de ${rd.expectedAgents} agentes ativos`);
            if (rd.expectedFrameworks.length && rd.expectedFrameworks.every((f) => rd.frameworks.includes(f)))
              say('fw', `frameworks registrados: ${rd.expectedFrameworks.join(', ')}`);
            if (rd.ready && zk) return;
          }
        } catch {
          // not answering yet
        }
      }
      if (Date.now() > deadline) {
        const rd = last?.readiness;
        throw new LabError(
          `O cluster simulado não ficou pronto em ${Math.round(timeoutMs / 1000)} s, então foi parado.`,
          rd
            ? `zookeeper=${rd.zookeeper} masterElected=${rd.masterElected} activeAgents=${rd.activeAgents}/${rd.expectedAgents} frameworks=${rd.frameworks.join(',')}/${rd.expectedFrameworks.join(',')}`
            : this.tail(5).join(' | '),
        );
      }
      await sleep(100);
    }
  }

  async down(options: ProgressOptions = {}): Promise<void> {
    const progress = options.progress ?? (() => {});
    const info = readDaemonInfo(this.paths);
    if (!info || !processAlive(info.pid)) {
      this.clearStale();
      const leftover = killLeftoverTasks(this.paths.tasks);
      if (leftover)
        progress(`${leftover} tarefa(s) deixadas por um simulador que parou de repente foram paradas`);
      else progress('o cluster simulado não estava no ar; nada a fazer');
      return;
    }
    let asked = false;
    try {
      asked = (await controlRequest(info, 'POST', '/v1/shutdown', 5000)).ok;
    } catch {
      asked = false;
    }
    if (!asked && !this.isOurDaemon(info.pid)) {
      // The recorded pid belongs to some other program now: never signal it.
      this.clearStale(true);
      progress('o cluster simulado não estava no ar; nada a fazer');
      return;
    }
    if (!asked) signal(info.pid, 'SIGTERM');
    if (!(await waitGone(info.pid, 20_000))) await this.killDaemon(info.pid);
    removeDaemonInfo(this.paths, info.pid);
    progress('simulador parado');
  }

  async reset(options: ProgressOptions = {}): Promise<void> {
    await this.down(options);
    rmSync(this.paths.data, { recursive: true, force: true });
    rmSync(this.paths.work, { recursive: true, force: true });
    options.progress?.('dados do simulador apagados (aplicações, jobs, ZooKeeper e sandboxes)');
  }

  async stop(service: ServiceName): Promise<void> {
    await this.command(service, 'stop');
  }

  async start(service: ServiceName): Promise<void> {
    await this.command(service, 'start');
  }

  private async command(service: ServiceName, action: 'stop' | 'start'): Promise<void> {
    const live = await this.live();
    if (!live) {
      throw new LabError(
        'O cluster simulado não está no ar. Suba-o primeiro com npm run cluster -- up --backend sim.',
      );
    }
    const r = await controlRequest(live.info, 'POST', `/v1/services/${service}/${action}`, 30_000);
    if (!r.ok) throw new LabError(r.error?.message ?? 'O simulador recusou o pedido.', r.error?.details);
  }

  async status(): Promise<ServiceStatus[]> {
    const live = await this.live();
    if (!live) {
      return SERVICE_NAMES.map((service) => ({
        service,
        state: 'ausente',
        address: serviceAddress(service, this.options.env.ports[service]),
        detail: 'o cluster simulado não está no ar',
      }));
    }
    return live.status.services.map((s) => ({
      service: s.service,
      state: !s.running ? 'parado' : s.healthy ? 'rodando' : 'iniciando',
      address: serviceAddress(s.service, s.port),
      detail: s.detail,
    }));
  }

  /** Ports in use: the running simulator's, else the configured ones. */
  async ports(): Promise<Ports> {
    return (await this.live())?.info.ports ?? this.options.env.ports;
  }

  async logs(service?: ServiceName, lines = 100): Promise<string> {
    if (!existsSync(this.paths.log)) return '';
    let all = readFileSync(this.paths.log, 'utf8').split('\n').filter(Boolean);
    if (service) all = all.filter((l) => l.includes(` [${service}] `));
    return all.slice(-lines).join('\n');
  }

  private tail(n: number): string[] {
    try {
      return readFileSync(this.paths.log, 'utf8').split('\n').filter(Boolean).slice(-n);
    } catch {
      return [];
    }
  }

  private clearStale(force = false): void {
    const info = readDaemonInfo(this.paths);
    if (info && (force || !processAlive(info.pid))) removeDaemonInfo(this.paths);
  }

  /** Whether pid runs our simulator (guards against a recycled pid). */
  private isOurDaemon(pid: number): boolean {
    const r = spawnSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
    return (
      r.status === 0 &&
      (r.stdout.includes('sim-daemon') || r.stdout.includes(path.join(this.paths.dir, 'daemon.mjs')))
    );
  }

  private async killDaemon(pid: number): Promise<void> {
    if (!processAlive(pid)) return;
    signal(pid, 'SIGTERM');
    if (await waitGone(pid, 10_000)) return;
    signal(pid, 'SIGKILL');
    await waitGone(pid, 5000);
  }
}

export function portLabel(service: ServiceName): string {
  return SERVICE_PORTS.find((p) => p.service === service)!.label;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (processAlive(pid)) {
    if (Date.now() > until) return false;
    await sleep(50);
  }
  return true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
