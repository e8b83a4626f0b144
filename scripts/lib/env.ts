// The kit's settings: `.env` at the repository root, merged the way Docker Compose does it
// (a variable set in the shell wins over the file). Both backends read ports from here.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICE_PORTS, type Ports } from '../../src/cluster/topology.ts';
import { LabError, type BackendName } from './cluster/backend.ts';

export type BackendChoice = BackendName | 'auto';

export interface LabEnv {
  /** The repository root (where package.json and .env live). */
  root: string;
  vars: Record<string, string | undefined>;
  ports: Ports;
  /** LAB_BACKEND, when set. */
  backend?: BackendChoice;
  /** LAB_SIM_SPEED: how many times faster than real time the simulator's clock runs (default 1). */
  simSpeed: number;
}

/** The repository root: LAB_ROOT, else the nearest folder up from cwd with the kit's package.json. */
export function repoRoot(env: NodeJS.ProcessEnv = process.env, from = process.cwd()): string {
  if (env.LAB_ROOT) return path.resolve(env.LAB_ROOT);
  let dir = path.resolve(from);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).name === 'laboratorio-mesos') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(from);
    dir = up;
  }
}

export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    const quoted = /^(['"])(.*)\1$/.exec(value);
    value = quoted ? quoted[2] : value.replace(/\s+#.*$/, '').trim();
    out[m[1]] = value;
  }
  return out;
}

/** `.env` at `root` merged with the environment, which wins (as Compose does); no value is checked. */
export function kitEnv(
  root: string,
  processEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string | undefined> {
  const file = path.join(root, '.env');
  const fromFile = existsSync(file) ? parseDotEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...processEnv };
}

/** Reads `.env` and the environment; a value the kit cannot use is a LabError naming the variable. */
export function loadEnv(root = repoRoot(), processEnv: NodeJS.ProcessEnv = process.env): LabEnv {
  const vars = kitEnv(root, processEnv);

  const ports = {} as Ports;
  for (const p of SERVICE_PORTS) {
    const raw = vars[p.envVar]?.trim();
    if (raw === undefined || raw === '') {
      ports[p.service] = p.defaultPort;
      continue;
    }
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 1 || n > 65535) {
      throw new LabError(
        `O valor ${p.envVar}=${raw} não é uma porta válida. ` +
          `Use um número entre 1 e 65535 no arquivo .env (por exemplo ${p.envVar}=${p.defaultPort}).`,
      );
    }
    ports[p.service] = n;
  }

  let backend: BackendChoice | undefined;
  const rawBackend = vars.LAB_BACKEND?.trim();
  if (rawBackend) {
    if (!isBackendChoice(rawBackend)) {
      throw new LabError(
        `O valor LAB_BACKEND=${rawBackend} não é reconhecido. Use docker, sim ou auto (no arquivo .env ou no terminal).`,
      );
    }
    backend = rawBackend;
  }

  let simSpeed = 1;
  const rawSpeed = vars.LAB_SIM_SPEED?.trim();
  if (rawSpeed) {
    const s = Number(rawSpeed);
    if (!(s > 0) || !Number.isFinite(s)) {
      throw new LabError(
        `O valor LAB_SIM_SPEED=${rawSpeed} não é uma velocidade válida. Use um número maior que zero (1 é o tempo real).`,
      );
    }
    simSpeed = s;
  }
  return { root, vars, ports, backend, simSpeed };
}

export function isBackendChoice(s: string): s is BackendChoice {
  return s === 'docker' || s === 'sim' || s === 'auto';
}
