// Benchmark of the simulator as students start it: `npm run cluster -- up --backend sim` until
// ready (wall time of the command, and the simulator's own start-to-ready time), then the resident
// memory of the background simulator when idle. Ports are moved to free high ports and the state
// folder is temporary, so it never touches a cluster in use.
//   npx tsx scripts/bench/sim-cluster.mts [runs=3]
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { SERVICE_PORTS, type Ports } from '../../src/cluster/topology.ts';
import { SimCluster } from '../../src/sim/node/sim-cluster.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const runs = Number(process.argv[2] ?? 3);

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

function cluster(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ ms: number; stdout: string; code: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/cluster.mts', ...args],
      { cwd: ROOT, env, timeout: 120_000 },
      (error, stdout) =>
        resolve({ ms: performance.now() - started, stdout, code: error ? Number(error.code) || 1 : 0 }),
    );
  });
}

/** Resident set size in MB (Linux /proc; ps elsewhere). */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return NaN;
}

/** CPU seconds (user + system) the process has used so far (Linux /proc). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

type Row = {
  upMs: number;
  readyMs: number;
  daemonMs: number;
  cpuToReady: number;
  idleCpuPct: number;
  rssIdle: number;
  rssLater: number;
};
console.log(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${cpus().length} cores`,
);
async function measure(label: string, noBundle: boolean, n: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'lab-bench-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LAB_STATE_DIR: stateDir,
      LAB_BACKEND: '',
      LAB_SIM_NO_BUNDLE: noBundle ? '1' : '',
    };
    for (const p of SERVICE_PORTS) env[p.envVar] = String(await freePort());
    try {
      const up = await cluster(env, 'up', '--backend', 'sim');
      if (up.code !== 0) throw new Error(`cluster up failed:\n${up.stdout}`);
      // "Cluster pronto (1,2 s)": from spawning the simulator to ready, as the command measures it.
      const m = /Cluster pronto \((\d+),(\d) s\)/.exec(up.stdout);
      const readyMs = m ? Number(`${m[1]}.${m[2]}`) * 1000 : NaN;
      const info = JSON.parse(readFileSync(path.join(stateDir, 'sim', 'daemon.json'), 'utf8')) as {
        pid: number;
      };
      const cpuToReady = cpuSeconds(info.pid);
      await new Promise((r) => setTimeout(r, 3000));
      const rssIdle = rssMb(info.pid);
      const cpuIdleStart = cpuSeconds(info.pid);
      const log = readFileSync(path.join(stateDir, 'sim', 'daemon.log'), 'utf8');
      const d = /cluster pronto (\d+) ms depois do início do processo/.exec(log);
      const daemonMs = d ? Number(d[1]) : NaN;
      await new Promise((r) => setTimeout(r, 7000));
      const rssLater = rssMb(info.pid);
      const idleCpuPct = ((cpuSeconds(info.pid) - cpuIdleStart) / 7) * 100;
      rows.push({ upMs: up.ms, readyMs, daemonMs, cpuToReady, idleCpuPct, rssIdle, rssLater });
      console.log(
        `${label} run ${i + 1}: cluster up ${up.ms.toFixed(0)} ms (spawn → ready seen by the command ${readyMs.toFixed(0)} ms, ` +
          `simulator process start → ready ${daemonMs} ms, ${cpuToReady.toFixed(2)} s CPU), ` +
          `idle CPU ${idleCpuPct.toFixed(1)} %, ` +
          `idle RSS ${rssIdle.toFixed(1)} MB after 3 s, ${rssLater.toFixed(1)} MB after 10 s`,
      );
    } finally {
      await cluster(env, 'down', '--backend', 'sim');
      rmSync(stateDir, { recursive: true, force: true });
    }
  }

  return rows;
}

const rows = await measure('bundle', false, runs);
const tsxRows = await measure('tsx', true, Math.max(1, Math.floor(runs / 2)));

// In-process: SimCluster.start on ephemeral ports with the real clock, until ready (no process spawn,
// no TypeScript loading): what the simulator itself costs.
const inProcess: number[] = [];
for (let i = 0; i < runs; i++) {
  const work = mkdtempSync(path.join(tmpdir(), 'lab-bench-ip-'));
  const zero = Object.fromEntries(SERVICE_PORTS.map((p) => [p.service, 0])) as Ports;
  const started = performance.now();
  const c = await SimCluster.start({ ports: zero, workDir: work });
  while (!c.readiness().ready) await new Promise((r) => setTimeout(r, 5));
  inProcess.push(performance.now() - started);
  await c.shutdown();
  rmSync(work, { recursive: true, force: true });
}

console.log(
  `median of ${runs}: cluster up → ready ${median(rows.map((r) => r.upMs)).toFixed(0)} ms ` +
    `(spawn → ready ${median(rows.map((r) => r.readyMs)).toFixed(0)} ms; ` +
    `simulator process start → ready ${median(rows.map((r) => r.daemonMs))} ms; ` +
    `in-process start → ready ${median(inProcess).toFixed(0)} ms), ` +
    `CPU of the simulator until ready ${median(rows.map((r) => r.cpuToReady)).toFixed(2)} s, ` +
    `idle RSS ${median(rows.map((r) => r.rssLater)).toFixed(1)} MB, idle CPU ${median(rows.map((r) => r.idleCpuPct)).toFixed(1)} %`,
);
console.log(
  `through tsx instead of the bundle (LAB_SIM_NO_BUNDLE=1): cluster up → ready ${median(tsxRows.map((r) => r.upMs)).toFixed(0)} ms, ` +
    `simulator process start → ready ${median(tsxRows.map((r) => r.daemonMs))} ms, ` +
    `CPU until ready ${median(tsxRows.map((r) => r.cpuToReady)).toFixed(2)} s, idle RSS ${median(tsxRows.map((r) => r.rssLater)).toFixed(1)} MB`,
);
