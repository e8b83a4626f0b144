// Benchmark (not a test): how long `npm run check` takes over all five solved labs on the simulator,
// and how long a student waits from `npm run lab:01` on a fresh clone to a ready simulated cluster.
// Usage: npx tsx scripts/bench/labs.mts   (uses ephemeral / free ports, never the course ports)
import { execSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LABS } from '../../labs/index.ts';
import { clusterAddresses } from '../../src/cluster/clients/http.ts';
import { createClusterClients } from '../../src/cluster/clients/index.ts';
import { SERVICE_NAMES, type Ports } from '../../src/cluster/topology.ts';
import { emptyEvidence } from '../../src/labs/evidence.ts';
import { exerciseParams } from '../../src/labs/params.ts';
import { EvidenceRecorder } from '../../src/labs/recorder.ts';
import { createSolutionEnv } from '../../src/labs/solution.ts';
import { SimCluster } from '../../src/sim/node/sim-cluster.ts';
import { runChecksAndReport } from '../lib/labs/check-command.ts';
import { writeEvidence } from '../lib/labs/files.ts';
import { zkReader } from '../lib/labs/zk.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function checkAllSolved(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'bench-labs-'));
  writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'laboratorio-mesos', version: 'bench' }),
  );
  const stateDir = path.join(root, '.lab');
  const ports = Object.fromEntries(SERVICE_NAMES.map((s) => [s, 0])) as Ports;
  const speed = 10;
  const cluster = await SimCluster.start({ ports, workDir: path.join(root, 'work'), speed });
  while (!cluster.readiness().ready) await sleep(50);
  const zk = zkReader('127.0.0.1', cluster.ports.zookeeper);
  const clients = createClusterClients(clusterAddresses({}, '127.0.0.1', cluster.ports), { zk });
  const params = exerciseParams();
  const order = ['02', '03', '05', '04', '01'];
  const solveStart = Date.now();
  for (const id of order) {
    const lab = LABS.find((l) => l.id === id)!;
    const folder = path.join(root, 'labs', lab.slug, 'respostas');
    cpSync(path.join(repo, 'labs', lab.slug, 'respostas'), folder, { recursive: true });
    const recorder = new EvidenceRecorder(
      clients,
      lab.watches(params),
      { sleep, pollMs: 200 },
      emptyEvidence(),
    );
    recorder.start();
    const env = createSolutionEnv({
      params,
      cluster: clients,
      evidence: recorder.log,
      sleep,
      writeAnswer: async (name, text) => writeFileSync(path.join(folder, name), text),
      stopService: (s) => cluster.stop(s),
      startService: (s) => cluster.start(s),
    });
    const t = Date.now();
    for (const step of lab.solution(params)) await step.run(env);
    await sleep(300);
    await recorder.pollOnce();
    await recorder.stop();
    writeEvidence(stateDir, lab.id, recorder.log);
    console.log(`solved lab ${id} in ${((Date.now() - t) / 1000).toFixed(1)} s (simulator at ${speed}x)`);
  }
  console.log(`all five solved in ${((Date.now() - solveStart) / 1000).toFixed(1)} s`);
  const lines: string[] = [];
  const times: number[] = [];
  let score = '';
  for (let i = 0; i < 3; i++) {
    const t = Date.now();
    const r = await runChecksAndReport({
      root,
      stateDir,
      labs: [...LABS],
      params,
      clients,
      backendName: 'sim',
      backendLabel: 'simulador',
      siteBase: 'http://localhost:3000',
      output: { out: (l) => lines.push(l), err: (l) => lines.push(l) },
    });
    times.push(Date.now() - t);
    const failed = r.outcomes
      .filter((o) => o.verdict !== 'passou')
      .map((o) => `${o.id} (${o.verdict}: ${o.message})`);
    score = `${r.report.score.points}/${r.report.score.maxPoints}${failed.length ? `; not passed: ${failed.join('; ')}` : ''}`;
  }
  console.log(
    `check, all five solved labs: ${times.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ')} (score ${score})`,
  );
  zk.close();
  await cluster.shutdown();
  rmSync(root, { recursive: true, force: true });
}

async function labToReady(): Promise<void> {
  const clone = mkdtempSync(path.join(tmpdir(), 'bench-clone-'));
  execSync(`git archive HEAD | tar -x -C ${JSON.stringify(clone)}`, { cwd: repo, shell: '/bin/sh' });
  symlinkSync(path.join(repo, 'node_modules'), path.join(clone, 'node_modules'));
  const env: Record<string, string> = { LAB_BACKEND: 'sim' };
  const vars = ['ZK_PORT', 'MASTER_PORT', 'AGENT1_PORT', 'AGENT2_PORT', 'MARATHON_PORT', 'CHRONOS_PORT'];
  for (const v of vars) env[v] = String(await freePort());
  writeFileSync(
    path.join(clone, '.env'),
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
  );
  mkdirSync(path.join(clone, '.lab'), { recursive: true });
  const started = Date.now();
  let readyAt = 0;
  let reported = '';
  await new Promise<void>((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(repo, 'node_modules/tsx/dist/cli.mjs'), 'scripts/lab.mts', '01', '--matricula', '12345678'],
      {
        cwd: clone,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    child.stdout.on('data', (d: Buffer) => {
      const m = /Cluster pronto em ([\d,]+ s)/.exec(d.toString());
      if (m) {
        readyAt = Date.now();
        reported = m[1];
      }
    });
    child.on('exit', () => resolve());
  });
  console.log(
    `npm run lab:01 on a fresh clone: cluster ready after ${((readyAt - started) / 1000).toFixed(1)} s ` +
      `(the command itself reported ${reported}), command done after ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  execSync(
    `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(repo, 'node_modules/tsx/dist/cli.mjs'))} scripts/cluster.mts down`,
    {
      cwd: clone,
      stdio: 'ignore',
    },
  );
  rmSync(clone, { recursive: true, force: true });
}

await checkAllSolved();
if (!process.argv.includes('--no-clone')) await labToReady();
