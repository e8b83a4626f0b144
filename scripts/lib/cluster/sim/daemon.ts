// The background simulator process (`scripts/sim-daemon.mts` calls runDaemon): starts the simulated
// cluster, opens the control endpoint, writes its pid, ports and token to `.lab/sim/daemon.json`,
// and stops cleanly on SIGTERM/SIGINT or a shutdown request. What it prints goes to daemon.log.
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { AGENTS, type ServiceName } from '../../../../src/cluster/topology.ts';
import { writeFileAtomic } from '../../../../src/sim/node/file-store.ts';
import { killLeftoverTasks } from '../../../../src/sim/node/process-executor.ts';
import { SimCluster } from '../../../../src/sim/node/sim-cluster.ts';
import { loadEnv, repoRoot } from '../../env.ts';
import { removeDaemonInfo, simPaths, stateDir, writeDaemonInfo } from '../../state.ts';
import { LabError } from '../backend.ts';
import {
  isServiceName,
  newToken,
  startControlServer,
  type ControlService,
  type ControlStatus,
} from './control.ts';

function logLine(service: string, line: string): void {
  process.stdout.write(`${new Date().toISOString()} [${service}] ${line}\n`);
}

/** What the master says about agents and frameworks, for the status table. */
async function coreDetails(
  cluster: SimCluster,
): Promise<Map<ServiceName, { healthy: boolean; detail: string }>> {
  const out = new Map<ServiceName, { healthy: boolean; detail: string }>();
  const master = cluster.rawHandler('mesos-master');
  if (!master || !cluster.services().find((s) => s.service === 'mesos-master')?.running) return out;
  try {
    const res = await master(new Request('http://127.0.0.1/master/state'));
    const state = (await res.json()) as {
      slaves?: { hostname: string; active: boolean }[];
      frameworks?: { name: string; active: boolean; tasks?: unknown[] }[];
    };
    for (const agent of AGENTS) {
      const s = state.slaves?.find((x) => x.hostname === agent.hostname);
      out.set(agent.service, {
        healthy: !!s?.active,
        detail: s ? (s.active ? 'ativo no master' : 'inativo no master') : 'não registrado no master',
      });
    }
    for (const name of cluster.readiness().expectedFrameworks) {
      if (name !== 'marathon' && name !== 'chronos') continue;
      const f = state.frameworks?.find((x) => x.name === name && x.active);
      out.set(name, {
        healthy: !!f,
        detail: f ? `registrado no master, ${f.tasks?.length ?? 0} tarefa(s)` : 'não registrado no master',
      });
    }
  } catch {
    // The master answered something unexpected: no details then.
  }
  return out;
}

export async function daemonStatus(cluster: SimCluster): Promise<ControlStatus> {
  const readiness = cluster.readiness();
  const details = await coreDetails(cluster);
  const services: ControlService[] = cluster.services().map((s) => {
    let healthy = s.running;
    let detail: string | undefined;
    if (!s.running) {
      detail = 'parado';
    } else if (s.service === 'zookeeper') {
      detail = 'respondendo';
    } else if (s.service === 'mesos-master') {
      healthy = readiness.masterElected;
      detail = readiness.masterElected ? 'líder eleito' : 'aguardando a eleição de líder';
    } else if (details.has(s.service)) {
      ({ healthy, detail } = details.get(s.service)!);
    } else if (
      !readiness.expectedFrameworks.includes(s.service) &&
      (s.service === 'marathon' || s.service === 'chronos')
    ) {
      healthy = true;
      detail = 'ainda não faz parte do simulador';
    } else if (!cluster.services().find((x) => x.service === 'mesos-master')?.running) {
      // Like a container whose process runs but cannot reach the master.
      detail = 'sem contato: o master está parado';
    }
    return { ...s, healthy, detail };
  });
  return { pid: process.pid, ports: cluster.ports, readiness, services };
}

export async function runDaemon(): Promise<void> {
  const root = repoRoot();
  const dir = stateDir(root);
  const paths = simPaths(dir);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  rmSync(paths.startupError, { force: true });
  const leftover = killLeftoverTasks(paths.tasks);
  if (leftover)
    logLine('simulador', `${leftover} tarefa(s) deixadas por um simulador anterior foram paradas`);
  // A bug in a simulated service must not take the whole cluster down: note it and go on. The log a
  // student reads gets one line; the stack goes to errors.log for whoever helps.
  const internalError = (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    logLine('simulador', `erro interno do simulador: ${err.message} (detalhes em .lab/sim/errors.log)`);
    try {
      appendFileSync(
        path.join(paths.dir, 'errors.log'),
        `${new Date().toISOString()} ${err.stack ?? err.message}\n`,
      );
    } catch {
      // nowhere to write
    }
  };
  process.on('uncaughtException', internalError);
  process.on('unhandledRejection', internalError);

  let cluster: SimCluster;
  try {
    const env = loadEnv(root);
    cluster = await SimCluster.start({
      ports: env.ports,
      speed: env.simSpeed,
      dataDir: paths.data,
      workDir: paths.work,
      taskPidFile: paths.tasks,
      log: logLine,
    });
  } catch (e) {
    const error =
      e instanceof LabError
        ? { message: e.message, details: e.details }
        : {
            message: 'O simulador falhou ao subir.',
            details: e instanceof Error ? (e.stack ?? e.message) : String(e),
          };
    writeFileAtomic(paths.startupError, JSON.stringify(error) + '\n');
    logLine('simulador', `falhou ao subir: ${error.message}${error.details ? ` (${error.details})` : ''}`);
    process.exit(1);
  }

  let stopping: Promise<void> | undefined;
  const token = newToken();
  // eslint-disable-next-line prefer-const
  let control: { port: number; close(): Promise<void> };
  const shutdown = () => {
    stopping ??= (async () => {
      logLine('simulador', 'parando');
      await control?.close().catch(() => {});
      await cluster.shutdown();
      removeDaemonInfo(paths, process.pid);
      logLine('simulador', 'parado');
      process.exit(0);
    })();
    return stopping;
  };
  control = await startControlServer(
    token,
    {
      status: () => daemonStatus(cluster),
      stop: (service) => cluster.stop(service),
      start: (service) => cluster.start(service),
      shutdown: () => void shutdown(),
    },
    isServiceName,
  );
  writeDaemonInfo(paths, {
    pid: process.pid,
    controlPort: control.port,
    token,
    ports: cluster.ports,
    startedAt: new Date().toISOString(),
  });
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  process.on('SIGHUP', () => {});
  logLine('simulador', `pronto para comandos (pid ${process.pid})`);
  // One line when the cluster first becomes ready, with the time since the process started
  // (the benchmark reads it).
  const readyWatch = setInterval(() => {
    if (!cluster.readiness().ready) return;
    clearInterval(readyWatch);
    logLine(
      'simulador',
      `cluster pronto ${Math.round(process.uptime() * 1000)} ms depois do início do processo`,
    );
  }, 20);
  readyWatch.unref();
}
