// Benchmark of the simulated Mesos master (issue 3's measures): heap and RSS of this process
// with the cluster idle and with 200 running tasks (model executor), the latency of
// /master/state with 200 tasks, and its throughput over HTTP compared with a bare node:http
// server answering the same bytes in the same run (a ratio). Everything on 127.0.0.1, on
// ephemeral ports; the load loops are bounded in count.
//   npx tsx --expose-gc scripts/bench/sim-master.mts [requests=3000] [concurrency=8]
import { serve } from '@hono/node-server';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AGENTS, resolvePorts } from '../../src/cluster/topology.ts';
import { VirtualClock } from '../../src/sim/core/clock.ts';
import type { Offer, Scheduler, SchedulerDriver, TaskInfo } from '../../src/sim/core/mesos/api.ts';
import { MesosCluster } from '../../src/sim/core/mesos/index.ts';
import { ModelExecutor } from '../../src/sim/core/model-executor.ts';
import { ZkDatabase } from '../../src/sim/core/zookeeper/index.ts';

const REQUESTS = Number(process.argv[2] ?? 3000);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const TASKS = 200;

const gc = (globalThis as { gc?: () => void }).gc;
function memory(): { heapMb: number; rssMb: number } {
  gc?.();
  const m = process.memoryUsage();
  return { heapMb: m.heapUsed / 2 ** 20, rssMb: m.rss / 2 ** 20 };
}

const base = memory();
const clock = new VirtualClock();
const executor = new ModelExecutor(clock);
const cluster = new MesosCluster({
  clock,
  executor,
  zk: new ZkDatabase(clock).access(),
  agents: AGENTS,
  ports: resolvePorts({}),
});
cluster.start();
clock.advance(1000);
const idle = memory();

// A framework that fills the agents with small tasks until 200 run.
let launched = 0;
let running = 0;
const holder: { driver?: SchedulerDriver } = {};
const scheduler: Scheduler = {
  registered: () => {},
  resourceOffers: (offers: Offer[]) => {
    for (const o of offers) {
      const tasks: TaskInfo[] = [];
      let cpus = o.resources.cpus;
      let mem = o.resources.mem;
      while (launched < TASKS && cpus >= 0.02 && mem >= 8) {
        const id = `bench.${launched++}`;
        tasks.push({
          taskId: id,
          name: 'bench',
          agentId: o.agentId,
          command: 'python3 -m http.server',
          env: { MARATHON_APP_ID: '/bench' },
          resources: { cpus: 0.02, mem: 8, disk: 0, gpus: 0, ports: [] },
          labels: { app: 'bench' },
        });
        cpus -= 0.02;
        mem -= 8;
      }
      holder.driver!.launchTasks([o.id], tasks, { refuseSeconds: 0 });
    }
  },
  offerRescinded: () => {},
  statusUpdate: (s) => {
    if (s.state === 'TASK_RUNNING') running++;
  },
  agentLost: () => {},
  disconnected: () => {},
};
holder.driver = cluster
  .connection()
  .registerFramework(
    { name: 'bench', user: 'root', hostname: 'bench', failoverTimeoutSeconds: 60, checkpoint: true },
    scheduler,
  );
clock.advanceUntil(() => running >= TASKS, 60_000, 100);
if (running < TASKS) {
  console.error(`só ${running} tarefas chegaram a TASK_RUNNING`);
  process.exit(1);
}
const loaded = memory();

// Latency of the handler itself (no sockets).
const request = () => new Request('http://127.0.0.1:5050/master/state');
const latencies: number[] = [];
let bytes = 0;
for (let i = 0; i < 300; i++) {
  const t0 = performance.now();
  const r = await cluster.masterFetch(request());
  const text = await r.text();
  latencies.push(performance.now() - t0);
  bytes = text.length;
}
// The same with the state changing before every request (the cached body cannot be reused).
const master = cluster.currentMaster()!;
const uncached: number[] = [];
for (let i = 0; i < 100; i++) {
  master.revision++;
  const t0 = performance.now();
  await (await cluster.masterFetch(request())).text();
  uncached.push(performance.now() - t0);
}
latencies.sort((a, b) => a - b);
uncached.sort((a, b) => a - b);
const pctOf = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const pct = (p: number) => pctOf(latencies, p);
const body = await (await cluster.masterFetch(request())).text();

// Throughput over HTTP: the Hono app under @hono/node-server vs a bare node:http server
// answering the same bytes, both on 127.0.0.1, one after the other in this process.
async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

async function load(port: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < REQUESTS) {
      next++;
      await new Promise<void>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/master/state', agent }, (res) => {
          res.on('data', () => {});
          res.on('end', () => resolve());
        });
        req.on('error', reject);
      });
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return REQUESTS / seconds;
}

const sim = serve({ fetch: cluster.masterFetch, hostname: '127.0.0.1', port: 0 }) as unknown as http.Server;
await new Promise((r) => setTimeout(r, 50));
const simPort = (sim.address() as AddressInfo).port;
const bare = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(body);
});
const barePort = await listen(bare);
await load(simPort); // warm-up
await load(barePort);
const simRps = await load(simPort);
const bareRps = await load(barePort);
sim.close();
bare.close();
cluster.shutdown();

const f = (n: number) => n.toFixed(1);
console.log(`Mesos master simulado — ${TASKS} tarefas (executor modelo), node ${process.version}`);
console.log(`memória base (processo, antes do cluster): heap ${f(base.heapMb)} MB, RSS ${f(base.rssMb)} MB`);
console.log(`memória com o cluster ocioso: heap ${f(idle.heapMb)} MB, RSS ${f(idle.rssMb)} MB`);
console.log(`memória com ${TASKS} tarefas: heap ${f(loaded.heapMb)} MB, RSS ${f(loaded.rssMb)} MB`);
console.log(
  `/master/state: ${bytes} bytes; latência do handler p50 ${pct(0.5).toFixed(2)} ms, p95 ${pct(0.95).toFixed(2)} ms; ` +
    `com o estado mudando a cada pedido p50 ${pctOf(uncached, 0.5).toFixed(2)} ms, p95 ${pctOf(uncached, 0.95).toFixed(2)} ms`,
);
console.log(
  `vazão HTTP (${REQUESTS} pedidos, ${CONCURRENCY} em paralelo): simulador ${f(simRps)} req/s, ` +
    `node:http puro ${f(bareRps)} req/s, razão ${(simRps / bareRps).toFixed(2)}`,
);
if (!gc) console.log('(rode com --expose-gc para medir a memória depois de uma coleta de lixo)');
