// The preflight of the real cluster (P1…P14 of the research note on running the 2016–2017 images today).
// Every message comes from src/cluster/troubleshooting.ts; this file only decides which one applies.
import { fillText, problem, type ProblemLevel } from '../../../src/cluster/troubleshooting.ts';
import { AGENTS, resolvePorts, SERVICE_PORTS, type ServiceName } from '../../../src/cluster/topology.ts';
import { imageRefs, LEGACY_CONTAINER_NAMES, PLATFORM } from '../cluster/docker/images.ts';
import type { Probes } from './probes.ts';
import { compareVersions } from './version.ts';

/** Compose v2 releases older than this speak an API version Docker 29 refuses (threshold to verify). */
export const MIN_COMPOSE_VERSION = '2.20.0';
/** The API of the docker client baked into datastrophic/mesos-slave:1.1.0 (docker-engine 1.13, inferred). */
export const AGENT_IMAGE_CLIENT_API = '1.26';
const GiB = 1024 ** 3;
/**
 * Memory thresholds in GiB (research note: warn below 4, block below 3, 2 more under emulation). Docker
 * Desktop reports a little less than the amount set in its settings (the VM's kernel keeps some), so each
 * threshold has 0.3 GiB of slack: a "4 GB" setting must not warn.
 */
export const MEMORY_GIB = { warn: 4, block: 3, armExtra: 2, slack: 0.3 };
/** Free disk (GiB) below which the preflight warns: images still to pull need room. */
export const DISK_GIB = { withPulls: 6, withoutPulls: 2 };
export const HOSTS_LINE = '127.0.0.1 mesos-master mesos-agent-1 mesos-agent-2 marathon chronos zookeeper';

export type Outcome = 'ok' | ProblemLevel | 'skipped';

export interface CheckResult {
  /** P1…P14 */
  check: string;
  /** Short Portuguese name of what is checked. */
  label: string;
  outcome: Outcome;
  /** One Portuguese line: what was found. */
  summary: string;
  /** When something is wrong or worth knowing: the problem and its filled-in texts. */
  problem?: { id: string; title: string; message: string; action: string };
}

export interface DoctorFacts {
  dockerFound: boolean;
  dockerAnswers: boolean;
  serverVersion?: string;
  minApiVersion?: string;
  composeVersion?: string;
  cgroupVersion?: string;
  architecture?: string;
  memGiB?: number;
  operatingSystem?: string;
  where: string;
  context?: string;
  missingImages: string[];
  /** The optional Docker-tasks override can run here (cgroup v1 and an engine that accepts API 1.26). */
  dockerTasksPossible: boolean;
  agentsChanged: boolean;
}

export interface DoctorReport {
  results: CheckResult[];
  facts: DoctorFacts;
  /** Which backend `cluster up` would pick automatically. */
  backend: 'docker' | 'sim';
  blocking: number;
  warnings: number;
}

export interface DoctorInput {
  probes: Probes;
  /** .env-style variables (ports, images). */
  env?: Record<string, string | undefined>;
  /**
   * Services of this project already running: their ports are ours, not a clash. A function is called only
   * once Docker answered (asking a silent engine would only add a timeout).
   */
  skipPortsOf?: ServiceName[] | (() => Promise<ServiceName[]>);
  /** Hash of the agents' configuration now (compared with the one saved at the last `up`). */
  agentsHash?: string;
  /** Timeout for each docker call, ms. */
  timeoutMs?: number;
}

const LABELS: Record<string, string> = {
  P1: 'Docker respondendo',
  P2: 'Docker Compose v2',
  P3: 'API mínima do Docker',
  P4: 'Versão do cgroup',
  P5: 'Arquitetura e emulação',
  P6: 'Memória do Docker',
  P7: 'Portas livres',
  P8: 'Contêineres antigos',
  P9: 'Imagens',
  P10: 'Espaço em disco',
  P11: 'Arquivo hosts (opcional)',
  P12: 'Onde o kit roda',
  P13: 'Configuração dos agentes',
  P14: 'Tarefas Docker (apêndice)',
};

function ok(check: string, summary: string): CheckResult {
  return { check, label: LABELS[check], outcome: 'ok', summary };
}

function skipped(check: string, summary = 'não verificado: o Docker não respondeu'): CheckResult {
  return { check, label: LABELS[check], outcome: 'skipped', summary };
}

function found(
  check: string,
  id: string,
  vars: Record<string, string | number> = {},
  summary?: string,
): CheckResult {
  const p = problem(id);
  const message = fillText(p.message, vars);
  return {
    check,
    label: LABELS[check],
    outcome: p.level,
    summary: summary ?? p.title,
    problem: { id, title: p.title, message, action: fillText(p.action, vars) },
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function parseJson<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

interface VersionJson {
  Server?: { Version?: string; MinAPIVersion?: string; ApiVersion?: string } | null;
}
interface InfoJson {
  CgroupVersion?: string;
  Architecture?: string;
  MemTotal?: number;
  OperatingSystem?: string;
  DockerRootDir?: string;
}

export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const { probes } = input;
  const env = input.env ?? {};
  const t = { timeoutMs: input.timeoutMs ?? 8000 };
  const results: CheckResult[] = [];
  const facts: DoctorFacts = {
    dockerFound: true,
    dockerAnswers: false,
    where: describeWhere(probes),
    missingImages: [],
    dockerTasksPossible: false,
    agentsChanged: false,
  };

  // P1 — Docker installed and its engine answering.
  const v = await probes.docker(['version', '--format', '{{json .}}'], t);
  const version = parseJson<VersionJson>(v.stdout.trim());
  if (v.notFound) {
    facts.dockerFound = false;
    results.push(found('P1', 'docker-ausente', {}, 'o comando docker não foi encontrado'));
  } else if (v.code !== 0 || !version?.Server?.Version) {
    results.push(
      found(
        'P1',
        'docker-sem-resposta',
        {},
        v.timedOut ? 'o motor do Docker não respondeu a tempo' : 'o motor do Docker não está respondendo',
      ),
    );
  } else {
    facts.dockerAnswers = true;
    facts.serverVersion = version.Server.Version;
    facts.minApiVersion = version.Server.MinAPIVersion;
    results.push(ok('P1', `Docker ${facts.serverVersion} respondendo`));
  }
  const up = facts.dockerAnswers;

  // P2 — Compose v2, recent enough. `docker compose version` needs no engine, but matters only with one.
  if (!up) results.push(skipped('P2'));
  else {
    const c = await probes.docker(['compose', 'version', '--short'], t);
    const cv = c.stdout.trim().replace(/^v/, '');
    if (c.code !== 0 || !/^\d+\.\d+/.test(cv)) results.push(found('P2', 'compose-ausente'));
    else {
      facts.composeVersion = cv;
      if (compareVersions(cv, MIN_COMPOSE_VERSION) < 0) {
        results.push(found('P2', 'compose-antigo', { version: cv, minimum: MIN_COMPOSE_VERSION }));
      } else results.push(ok('P2', `Docker Compose ${cv}`));
    }
  }

  // P3 — the engine's API floor (Docker 29 refuses clients below 1.44).
  let apiFloorAcceptsAgent = false;
  if (!up) results.push(skipped('P3'));
  else if (!facts.minApiVersion) results.push(ok('P3', 'API mínima não informada pelo Docker'));
  else {
    apiFloorAcceptsAgent = compareVersions(facts.minApiVersion, AGENT_IMAGE_CLIENT_API) <= 0;
    results.push(
      apiFloorAcceptsAgent
        ? ok('P3', `API mínima ${facts.minApiVersion}: clientes antigos aceitos`)
        : found(
            'P3',
            'api-minima-alta',
            { minApi: facts.minApiVersion },
            `API mínima ${facts.minApiVersion}`,
          ),
    );
  }

  // P4–P6 from `docker info`.
  let info: InfoJson | null = null;
  if (up) {
    const i = await probes.docker(['info', '--format', '{{json .}}'], t);
    info = i.code === 0 ? parseJson<InfoJson>(i.stdout.trim()) : null;
  }
  facts.cgroupVersion = info?.CgroupVersion;
  facts.architecture = info?.Architecture;
  facts.operatingSystem = info?.OperatingSystem;
  if (info?.MemTotal) facts.memGiB = round1(info.MemTotal / GiB);

  // P4 — cgroup version.
  if (!info) results.push(skipped('P4', up ? 'não verificado: `docker info` falhou' : undefined));
  else if (info.CgroupVersion === '1') results.push(ok('P4', 'cgroup v1'));
  else results.push(found('P4', 'cgroup-v2', {}, `cgroup v${info.CgroupVersion ?? '?'}`));

  // P5 — CPU architecture, and whether amd64 emulation works.
  const arm = /^(aarch64|arm64)/i.test(info?.Architecture ?? '');
  const refs = imageRefs(env);
  const present = new Set<string>();
  if (up) {
    for (const ref of refs) {
      const r = await probes.docker(['image', 'inspect', '--format', '{{.Id}}', ref], t);
      if (r.code === 0) present.add(ref);
    }
  }
  if (!info) results.push(skipped('P5', up ? 'não verificado: `docker info` falhou' : undefined));
  else if (!arm) results.push(ok('P5', `${info.Architecture ?? '?'} (as imagens rodam sem emulação)`));
  else {
    const probeImage = refs[0];
    if (!present.has(probeImage)) {
      results.push(
        found(
          'P5',
          'arm-emulado',
          {},
          `${info.Architecture}: emulação será testada depois de baixar as imagens`,
        ),
      );
    } else {
      const e = await probes.docker(
        ['run', '--rm', '--pull', 'never', '--platform', PLATFORM, '--entrypoint', 'uname', probeImage, '-m'],
        { timeoutMs: 60_000 },
      );
      if (e.code === 0 && e.stdout.trim() === 'x86_64') {
        results.push(found('P5', 'arm-emulado', {}, `${info.Architecture}: emulação amd64 funcionando`));
      } else
        results.push(found('P5', 'emulacao-quebrada', {}, `${info.Architecture}: emulação amd64 falhou`));
    }
  }

  // P6 — memory given to Docker.
  if (!info?.MemTotal) results.push(skipped('P6', up ? 'não verificado: memória não informada' : undefined));
  else {
    const gib = info.MemTotal / GiB;
    const extra = arm ? MEMORY_GIB.armExtra : 0;
    const warn = MEMORY_GIB.warn + extra;
    const block = MEMORY_GIB.block + extra;
    const vars = { mem: round1(gib), recommended: warn, minimum: block };
    if (gib < block - MEMORY_GIB.slack)
      results.push(found('P6', 'memoria-insuficiente', vars, `${round1(gib)} GiB`));
    else if (gib < warn - MEMORY_GIB.slack)
      results.push(found('P6', 'memoria-pouca', vars, `${round1(gib)} GiB`));
    else results.push(ok('P6', `${round1(gib)} GiB`));
  }

  // P7 — ports free on 127.0.0.1 (useful for the simulator too, so it runs without Docker).
  const skip = input.skipPortsOf;
  const ours = typeof skip === 'function' ? (up ? await skip().catch(() => []) : []) : (skip ?? []);
  results.push(...(await checkPorts(probes, env, ours)));

  // P8 — containers of the old course stack (fixed container_name values).
  if (!up) results.push(skipped('P8'));
  else {
    const ps = await probes.docker(['ps', '-a', '--format', '{{.Names}}'], t);
    const names = ps.stdout
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter((s) => LEGACY_CONTAINER_NAMES.includes(s));
    results.push(
      names.length === 0
        ? ok('P8', 'nenhum contêiner da versão antiga')
        : found('P8', 'conteineres-antigos', { names: names.join(' ') }, names.join(', ')),
    );
  }

  // P9 — images present (pulling happens in `cluster up`, one at a time).
  facts.missingImages = refs.filter((r) => !present.has(r));
  if (!up) results.push(skipped('P9'));
  else if (facts.missingImages.length === 0)
    results.push(ok('P9', `as ${refs.length} imagens estão no seu Docker`));
  else {
    results.push(
      found(
        'P9',
        'imagem-ausente',
        { count: facts.missingImages.length, images: facts.missingImages.join(', ') },
        `faltam ${facts.missingImages.length} de ${refs.length}`,
      ),
    );
  }

  // P10 — disk space where Docker keeps images (only measurable when the engine runs on this machine).
  if (!up || !info) results.push(skipped('P10'));
  else {
    const desktop = /docker desktop/i.test(info.OperatingSystem ?? '');
    const free = desktop || !info.DockerRootDir ? null : probes.freeBytes(info.DockerRootDir);
    if (free === null)
      results.push(ok('P10', 'não medido aqui (o Docker guarda as imagens numa máquina virtual)'));
    else {
      const need = facts.missingImages.length > 0 ? DISK_GIB.withPulls : DISK_GIB.withoutPulls;
      const gib = round1(free / GiB);
      results.push(
        free / GiB < need
          ? found('P10', 'disco-pouco', { free: gib }, `${gib} GiB livres`)
          : ok('P10', `${gib} GiB livres`),
      );
    }
  }

  // P11 — optional hosts-file line.
  const resolved = await probes.lookup('mesos-agent-1');
  results.push(
    resolved === '127.0.0.1'
      ? ok('P11', 'os nomes do cluster apontam para 127.0.0.1')
      : found('P11', 'hosts-ausente', {}, 'a linha opcional não está no arquivo hosts'),
  );

  // P12 — where it runs.
  if (up) {
    const ctx = await probes.docker(['context', 'show'], t);
    if (ctx.code === 0 && ctx.stdout.trim() !== '') facts.context = ctx.stdout.trim();
  }
  const where = facts.operatingSystem ? `${facts.where} (Docker: ${facts.operatingSystem})` : facts.where;
  const p12 = found('P12', 'ambiente', { where, context: facts.context ?? 'nenhum' });
  p12.summary = `${where}; contexto Docker: ${facts.context ?? 'nenhum'}`;
  results.push(p12);

  // P13 — the agents' configuration changed since the last `up`.
  const saved = probes.savedAgentsHash();
  if (!input.agentsHash || saved === null) results.push(ok('P13', 'nenhuma subida anterior registrada'));
  else if (saved === input.agentsHash) results.push(ok('P13', 'igual à da última subida'));
  else {
    facts.agentsChanged = true;
    results.push(found('P13', 'agentes-mudaram'));
  }

  // P14 — the optional Docker-tasks appendix: cgroup v1 and an engine that still accepts API 1.26.
  if (!up || !info) results.push(skipped('P14'));
  else {
    facts.dockerTasksPossible = info.CgroupVersion === '1' && apiFloorAcceptsAgent;
    if (facts.dockerTasksPossible) results.push(ok('P14', 'possível neste computador'));
    else {
      const why = [
        info.CgroupVersion !== '1' ? `cgroup v${info.CgroupVersion ?? '?'}` : '',
        !apiFloorAcceptsAgent ? `Docker com API mínima ${facts.minApiVersion}` : '',
      ]
        .filter(Boolean)
        .join(' e ');
      results.push(found('P14', 'tarefas-docker-indisponiveis', { why }, 'indisponível neste computador'));
    }
  }

  const blocking = results.filter((r) => r.outcome === 'blocks').length;
  const warnings = results.filter((r) => r.outcome === 'warns').length;
  return { results, facts, backend: up ? 'docker' : 'sim', blocking, warnings };
}

async function checkPorts(probes: Probes, env: Record<string, string | undefined>, skip: ServiceName[]) {
  const ports = resolvePorts(env);
  const out: CheckResult[] = [];
  for (const sp of SERVICE_PORTS) {
    if (skip.includes(sp.service)) continue;
    const port = ports[sp.service];
    if (!(await probes.portFree(port))) {
      out.push(
        found(
          'P7',
          'porta-ocupada',
          {
            port,
            label: sp.label,
            envVar: sp.envVar,
            suggestion: port + 10000 < 65536 ? port + 10000 : port - 1000,
          },
          `porta ${port} (${sp.label}) ocupada`,
        ),
      );
    }
  }
  for (const a of AGENTS) {
    if (skip.includes(a.service)) continue;
    const label = SERVICE_PORTS.find((p) => p.service === a.service)?.label ?? a.service;
    for (let port = a.taskPorts.begin; port <= a.taskPorts.end; port++) {
      if (!(await probes.portFree(port))) {
        out.push(found('P7', 'porta-tarefas-ocupada', { port, label }, `porta de tarefas ${port} ocupada`));
      }
    }
  }
  if (out.length === 0) {
    const list = SERVICE_PORTS.map((sp) => ports[sp.service]).join(', ');
    out.push(
      ok(
        'P7',
        skip.length ? `livres (ou já do cluster): ${list}, 31000–31019` : `livres: ${list}, 31000–31019`,
      ),
    );
  }
  return out;
}

function describeWhere(probes: Probes): string {
  const p = probes.platform();
  if (p === 'linux') return probes.isWsl() ? 'Linux dentro do WSL2' : 'Linux';
  if (p === 'darwin') return 'macOS';
  if (p === 'win32') return 'Windows';
  return p;
}

/** Problems worth printing, most serious first. */
export function findings(report: DoctorReport): CheckResult[] {
  const order: Record<Outcome, number> = { blocks: 0, warns: 1, informs: 2, ok: 3, skipped: 4 };
  return report.results.filter((r) => r.problem).sort((a, b) => order[a.outcome] - order[b.outcome]);
}
