// The docker backend: the real stack of labs/cluster/compose.yaml behind the same Backend interface as the
// simulator. `up` runs the preflight, pulls what is missing one image at a time, shows each service coming up,
// waits for the cluster to be ready over HTTP, and explains known failures in Portuguese.
import { rmSync } from 'node:fs';
import { fillText, problem } from '../../../../src/cluster/troubleshooting.ts';
import {
  resolvePorts,
  SERVICE_NAMES,
  SERVICE_PORTS,
  type Ports,
  type ServiceName,
} from '../../../../src/cluster/topology.ts';
import { runDoctor, type DoctorReport } from '../../doctor/checks.ts';
import { realProbes, type Probes } from '../../doctor/probes.ts';
import { LabError, type Backend, type ServiceState, type ServiceStatus, type UpOptions } from '../backend.ts';
import { composeArgs, kitRoot } from './compose.ts';
import { kitEnv } from '../../env.ts';
import { evidenceOf, explainLogs, formatExplanations } from './explain.ts';
import { parseComposePs, type ComposeService } from './ps.ts';
import { pullImage, type DockerRunner } from './pull.ts';
import { runDocker } from './run.ts';
import { agentsHash, agentsHashFile, saveAgentsHash } from './state.ts';

/** Default wait for readiness (research note: 3 min, 6 min under emulation). */
export const READY_TIMEOUT_MS = 180_000;
export const READY_TIMEOUT_ARM_MS = 360_000;
const POLL_MS = 3000;

export interface MasterState {
  activated_slaves?: number;
  slaves?: { hostname?: string; active?: boolean }[];
  frameworks?: { name?: string; active?: boolean }[];
  leader?: string;
}

export interface DockerBackendOptions {
  root?: string;
  env?: NodeJS.ProcessEnv;
  docker?: DockerRunner;
  /** The machine probes for the preflight (ports, hosts file, disk). */
  probes?: Probes;
  /** GET a JSON document; rejects when the service does not answer. */
  fetchJson?: (url: string) => Promise<unknown>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

async function defaultFetchJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

const LABEL = Object.fromEntries(SERVICE_PORTS.map((p) => [p.service, p.label])) as Record<
  ServiceName,
  string
>;

export function describeService(s: ComposeService): string {
  if (s.state === 'running') {
    if (s.health === 'healthy') return 'saudável';
    if (s.health === 'starting') return 'iniciando';
    if (s.health === 'unhealthy') return 'com falha na verificação de saúde';
    return 'rodando';
  }
  if (s.state === 'exited' || s.state === 'dead') return `encerrado (código ${s.exitCode})`;
  if (s.state === 'created') return 'criado, esperando as dependências';
  return s.state;
}

function stateOf(s: ComposeService | undefined): ServiceState {
  if (!s) return 'ausente';
  if (s.state === 'running') {
    if (s.health === 'starting') return 'iniciando';
    if (s.health === 'unhealthy') return 'com falha';
    return 'rodando';
  }
  if (s.state === 'created' || s.state === 'restarting') return 'iniciando';
  // `compose stop` ends a service with SIGTERM (143) or SIGKILL (137); other codes are crashes.
  if (s.state === 'exited') return [0, 137, 143].includes(s.exitCode) ? 'parado' : 'com falha';
  return 'com falha';
}

/** A crashed service (not one stopped on purpose). */
function crashed(s: ComposeService): boolean {
  return (s.state === 'exited' || s.state === 'dead') && ![0, 143].includes(s.exitCode);
}

/** What is still missing for "ready" (DESIGN.md): both agents active, marathon and chronos registered. */
export function readinessGaps(state: MasterState | null): string[] {
  if (!state) return ['o master'];
  const gaps: string[] = [];
  const active = (state.slaves ?? []).filter((s) => s.active !== false).length;
  const agents = Math.max(active, state.activated_slaves ?? 0);
  if (agents < 2) gaps.push(agents === 1 ? 'um dos agentes' : 'os dois agentes');
  const names = new Set((state.frameworks ?? []).filter((f) => f.active !== false).map((f) => f.name));
  for (const fw of ['marathon', 'chronos']) if (!names.has(fw)) gaps.push(`o framework ${fw}`);
  return gaps;
}

export function createDockerBackend(options: DockerBackendOptions = {}): Backend {
  const root = options.root ?? kitRoot();
  const processEnv = options.env ?? process.env;
  const docker: DockerRunner = options.docker ?? ((a, o) => runDocker(a, { env: processEnv, ...o }));
  const fetchJson = options.fetchJson ?? defaultFetchJson;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const env = () => kitEnv(root, processEnv);
  const ports = (): Ports => resolvePorts(env());
  const dockerTasks = () => /^(1|true|sim|yes)$/i.test(processEnv.LAB_DOCKER_TASKS ?? '');
  const compose = (...args: string[]) => [...composeArgs({ root, dockerTasks: dockerTasks() }), ...args];

  async function ps(): Promise<ComposeService[]> {
    const r = await docker(compose('ps', '--all', '--format', 'json'), { timeoutMs: 15_000 });
    if (r.code !== 0) throw dockerFailure('Não foi possível consultar os serviços do cluster.', r.stderr);
    return parseComposePs(r.stdout);
  }

  function dockerFailure(message: string, stderr: string): LabError {
    if (
      /Cannot connect to the Docker daemon|error during connect|docker daemon is not running/i.test(stderr)
    ) {
      const p = problem('docker-sem-resposta');
      return new LabError(`${p.message}\n${p.action}`, stderr.trim());
    }
    return new LabError(message, stderr.trim().split(/\r?\n/).slice(-6).join('\n'));
  }

  async function preflight(progress: (l: string) => void): Promise<DoctorReport> {
    progress('Verificando este computador (npm run doctor)…');
    const probes = options.probes ?? realProbes({ env: processEnv, agentsHashFile: agentsHashFile(root) });
    const running = async () =>
      (await ps().catch(() => [])).filter((s) => s.state === 'running').map((s) => s.service);
    const report = await runDoctor({
      probes: { ...probes, docker },
      env: env(),
      skipPortsOf: running,
      agentsHash: agentsHash(root, env()),
    });
    if (!report.facts.dockerAnswers) {
      const p = problem(report.facts.dockerFound ? 'docker-sem-resposta' : 'docker-ausente');
      throw new LabError(`${p.message}\n${p.action}`);
    }
    const blocking = report.results.filter((r) => r.outcome === 'blocks' && r.problem);
    if (blocking.length) {
      const text = blocking.map(
        (r) => `${r.problem!.title}: ${r.problem!.message}\n  → ${r.problem!.action}`,
      );
      throw new LabError(
        `O cluster real não pode subir neste computador agora:\n\n${text.join('\n\n')}\n\nRode \`npm run doctor\` para ver o diagnóstico completo.`,
      );
    }
    for (const r of report.results) {
      if (r.outcome === 'warns' && r.problem) progress(`Atenção: ${r.problem.message}`);
    }
    if (dockerTasks() && !report.facts.dockerTasksPossible) {
      const p14 = report.results.find((r) => r.check === 'P14');
      const p = problem('tarefas-docker-indisponiveis');
      throw new LabError(
        `${p14?.problem?.message ?? p.message}\n${p.action} Tire LAB_DOCKER_TASKS do ambiente para subir o cluster normal.`,
      );
    }
    return report;
  }

  async function explainFailure(intro: string, extraDetails = ''): Promise<LabError> {
    const logs = await docker(compose('logs', '--no-color', '--tail', '300'), { timeoutMs: 30_000 });
    const found = explainLogs(`${logs.stdout}\n${logs.stderr}\n${extraDetails}`);
    const services = await ps().catch(() => []);
    const dead = services.filter(crashed);
    const parts = [intro];
    if (found.length) parts.push(formatExplanations(found));
    else {
      for (const s of dead) {
        const p = problem('servico-encerrou');
        parts.push(
          `${fillText(p.message, { service: s.service })}\n  → ${fillText(p.action, { service: s.service })}`,
        );
      }
      if (!dead.length) {
        parts.push(
          'Nenhuma causa conhecida apareceu nos logs. Veja `npm run cluster -- logs` e rode `npm run doctor`.',
        );
      }
    }
    const details = found.length
      ? evidenceOf(found)
      : extraDetails.trim().split(/\r?\n/).slice(-6).join('\n');
    return new LabError(parts.join('\n\n'), details || undefined);
  }

  async function waitReady(progress: (l: string) => void, timeoutMs: number): Promise<void> {
    const deadline = now() + timeoutMs;
    const p = ports();
    const url = `http://127.0.0.1:${p['mesos-master']}/master/state`;
    const seen = new Set<string>();
    const note = (key: string, line: string) => {
      if (!seen.has(key)) {
        seen.add(key);
        progress(line);
      }
    };
    let lastGaps: string[] = ['o master'];
    for (;;) {
      let state: MasterState | null = null;
      try {
        state = (await fetchJson(url)) as MasterState;
      } catch {
        state = null;
      }
      if (state) {
        note('master', `Mesos master respondendo em http://127.0.0.1:${p['mesos-master']}`);
        for (const s of state.slaves ?? [])
          if (s.active !== false) note(`agent:${s.hostname}`, `Agente ${s.hostname} ativo`);
        for (const f of state.frameworks ?? []) {
          if (f.active !== false && (f.name === 'marathon' || f.name === 'chronos')) {
            note(`fw:${f.name}`, `Framework ${f.name} registrado no master`);
          }
        }
      }
      lastGaps = readinessGaps(state);
      if (lastGaps.length === 0) return;
      // A service that died will not come back by itself: stop waiting and explain.
      const services = await ps().catch(() => []);
      const dead = services.filter(crashed);
      if (dead.length) {
        throw await explainFailure(
          `O serviço ${dead.map((d) => d.service).join(', ')} encerrou durante a subida.`,
        );
      }
      if (now() >= deadline) break;
      await sleep(POLL_MS);
    }
    const p0 = problem('cluster-nao-ficou-pronto');
    throw await explainFailure(`${fillText(p0.message, { missing: lastGaps.join(', ') })}\n${p0.action}`);
  }

  async function composeUp(progress: (l: string) => void, report: DoctorReport): Promise<void> {
    if (report.facts.agentsChanged) {
      progress(fillText(problem('agentes-mudaram').message));
      await docker(compose('rm', '--stop', '--force', '-v', 'mesos-agent-1', 'mesos-agent-2'), {
        timeoutMs: 120_000,
      });
    }
    progress('Subindo os serviços (docker compose up)…');
    let finished = false;
    const upRun = docker(compose('up', '-d', '--pull', 'never', '--remove-orphans')).finally(() => {
      finished = true;
    });
    // Show each service coming up while Compose waits for the health checks.
    const last = new Map<string, string>();
    const show = async () => {
      for (const s of await ps().catch(() => [])) {
        const d = describeService(s);
        if (last.get(s.service) !== d) {
          last.set(s.service, d);
          progress(`  ${LABEL[s.service]}: ${d}`);
        }
      }
    };
    while (!finished) {
      await sleep(POLL_MS);
      if (!finished) await show();
    }
    const r = await upRun;
    await show();
    if (r.code !== 0) {
      throw await explainFailure('O Docker Compose não conseguiu subir todos os serviços.', r.stderr);
    }
  }

  const backend: Backend = {
    name: 'docker',

    async up(upOptions: UpOptions = {}) {
      const progress = upOptions.progress ?? (() => {});
      const report = await preflight(progress);
      const missing = report.facts.missingImages;
      for (const [i, ref] of missing.entries()) {
        await pullImage(ref, { docker, progress, index: i + 1, total: missing.length });
      }
      await composeUp(progress, report);
      saveAgentsHash(root, agentsHash(root, env()));
      const arm = /^(aarch64|arm64)/i.test(report.facts.architecture ?? '');
      progress('Esperando o cluster ficar pronto (agentes ativos, Marathon e Chronos registrados)…');
      await waitReady(progress, upOptions.timeoutMs ?? (arm ? READY_TIMEOUT_ARM_MS : READY_TIMEOUT_MS));
      const p = ports();
      progress(
        `Cluster real pronto: Mesos http://127.0.0.1:${p['mesos-master']}, Marathon http://127.0.0.1:${p.marathon}, Chronos http://127.0.0.1:${p.chronos}`,
      );
    },

    async down() {
      const r = await docker(compose('down', '--remove-orphans'), { timeoutMs: 180_000 });
      if (r.code !== 0) throw dockerFailure('Não foi possível parar o cluster real.', r.stderr);
    },

    async reset() {
      const r = await docker(compose('down', '--volumes', '--remove-orphans'), { timeoutMs: 180_000 });
      if (r.code !== 0) throw dockerFailure('Não foi possível apagar o cluster real.', r.stderr);
      rmSync(agentsHashFile(root), { force: true });
    },

    async stop(service: ServiceName) {
      const r = await docker(compose('stop', service), { timeoutMs: 120_000 });
      if (r.code !== 0) throw dockerFailure(`Não foi possível parar o serviço ${service}.`, r.stderr);
    },

    async start(service: ServiceName) {
      const r = await docker(compose('start', service), { timeoutMs: 120_000 });
      if (r.code !== 0) {
        throw dockerFailure(
          `Não foi possível iniciar o serviço ${service}. Se o cluster não está no ar, rode \`npm run cluster -- up\`.`,
          r.stderr,
        );
      }
    },

    async status(): Promise<ServiceStatus[]> {
      const services = await ps();
      const p = ports();
      return SERVICE_NAMES.map((name) => {
        const s = services.find((x) => x.service === name);
        const address = name === 'zookeeper' ? `127.0.0.1:${p[name]}` : `http://127.0.0.1:${p[name]}`;
        const status: ServiceStatus = { service: name, state: stateOf(s), address };
        if (s) status.detail = describeService(s);
        return status;
      });
    },

    async logs(service?: ServiceName, lines = 200) {
      const args = compose('logs', '--no-color', '--tail', String(lines));
      if (service) args.push(service);
      const r = await docker(args, { timeoutMs: 30_000 });
      if (r.code !== 0) throw dockerFailure('Não foi possível ler os logs do cluster real.', r.stderr);
      return r.stdout;
    },
  };
  return backend;
}
