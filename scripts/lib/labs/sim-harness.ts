// A simulated cluster in this process, on ephemeral ports, with an accelerated clock: what the labs'
// proofs (reference → 100 %, untouched → 0 %, broken → exactly the right checks lost) and the
// benchmark run on. Each harness has its own answers folder, a copy of the lab's templates.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  clusterAddresses,
  createClusterClients,
  type ClusterClients,
} from '../../../src/cluster/clients/index.ts';
import { SERVICE_NAMES, type Ports, type ServiceName } from '../../../src/cluster/topology.ts';
import { emptyEvidence, type EvidenceLog } from '../../../src/labs/evidence.ts';
import { exerciseParams, type ExerciseParams } from '../../../src/labs/params.ts';
import { EvidenceRecorder } from '../../../src/labs/recorder.ts';
import { runLabChecks, score, type CheckOutcome } from '../../../src/labs/runner.ts';
import { createSolutionEnv, type RequestRecord } from '../../../src/labs/solution.ts';
import type { LabDefinition, SolutionEnv } from '../../../src/labs/types.ts';
import { SimCluster } from '../../../src/sim/node/sim-cluster.ts';
import { folderAnswers } from './files.ts';
import { zkReader } from './zk.ts';

export interface HarnessOptions {
  /** Simulated seconds per real second (default 10). */
  speed?: number;
  matricula?: string;
  log?: (line: string) => void;
}

export class SimHarness {
  readonly params: ExerciseParams;
  readonly clients: ClusterClients;
  readonly recorder: EvidenceRecorder;
  readonly requests: RequestRecord[] = [];
  private closeZk: () => void;

  private constructor(
    readonly cluster: SimCluster,
    readonly dir: string,
    readonly lab: LabDefinition,
    matricula: string | undefined,
  ) {
    this.params = exerciseParams(matricula);
    const addresses = clusterAddresses({}, '127.0.0.1', cluster.ports);
    const zk = zkReader('127.0.0.1', cluster.ports.zookeeper);
    this.closeZk = zk.close;
    this.clients = createClusterClients(addresses, { zk, timeoutMs: 5000 });
    this.recorder = new EvidenceRecorder(
      this.clients,
      lab.watches(this.params),
      { sleep, pollMs: 200 },
      emptyEvidence(),
    );
  }

  static async start(lab: LabDefinition, root: string, options: HarnessOptions = {}): Promise<SimHarness> {
    const dir = mkdtempSync(path.join(tmpdir(), `lab${lab.id}-`));
    const ports = Object.fromEntries(SERVICE_NAMES.map((s) => [s, 0])) as Ports;
    const cluster = await SimCluster.start({
      ports,
      workDir: path.join(dir, 'work'),
      speed: options.speed ?? 10,
      log: options.log ? (service, line) => options.log!(`[${service}] ${line}`) : undefined,
    });
    const h = new SimHarness(cluster, dir, lab, options.matricula);
    h.resetAnswers(root);
    const deadline = Date.now() + 20_000;
    while (!cluster.readiness().ready) {
      if (Date.now() > deadline) {
        await h.close();
        throw new Error(`simulated cluster not ready: ${JSON.stringify(cluster.readiness())}`);
      }
      await sleep(50);
    }
    h.recorder.start();
    return h;
  }

  get answersDir(): string {
    return path.join(this.dir, 'respostas');
  }

  /** Puts the lab's templates back, as on a fresh clone. */
  resetAnswers(root: string): void {
    rmSync(this.answersDir, { recursive: true, force: true });
    mkdirSync(this.answersDir, { recursive: true });
    cpSync(path.join(root, 'labs', this.lab.slug, 'respostas'), this.answersDir, { recursive: true });
  }

  readAnswer(name: string): string {
    return readFileSync(path.join(this.answersDir, name), 'utf8');
  }

  writeAnswer(name: string, text: string): void {
    writeFileSync(path.join(this.answersDir, name), text);
  }

  env(): SolutionEnv {
    return createSolutionEnv({
      params: this.params,
      cluster: this.clients,
      evidence: this.recorder.log,
      sleep,
      pollMs: 100,
      writeAnswer: async (name, text) => this.writeAnswer(name, text),
      stopService: (s: ServiceName) => this.cluster.stop(s),
      startService: (s: ServiceName) => this.cluster.start(s),
      onRequest: (r) => this.requests.push(r),
    });
  }

  /** Runs the reference solution, or only the steps `filter` keeps. */
  async solve(filter: (title: string, index: number) => boolean = () => true): Promise<void> {
    const env = this.env();
    const steps = this.lab.solution(this.params);
    for (const [i, step] of steps.entries()) if (filter(step.title, i)) await step.run(env);
    await sleep(300);
    await this.recorder.pollOnce();
  }

  async check(evidence: EvidenceLog = this.recorder.log): Promise<CheckOutcome[]> {
    return runLabChecks(this.lab, {
      lab: this.lab.id,
      params: this.params,
      cluster: this.clients,
      answers: folderAnswers(this.answersDir),
      evidence,
      sleep,
    });
  }

  async close(): Promise<void> {
    await this.recorder.stop();
    this.closeZk();
    await this.cluster.shutdown();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** "id:verdict" for every check, for readable assertions. */
export function verdicts(outcomes: CheckOutcome[]): Record<string, string> {
  return Object.fromEntries(outcomes.map((o) => [o.id, o.verdict]));
}

export function failing(outcomes: CheckOutcome[]): string[] {
  return outcomes.filter((o) => o.verdict !== 'passou').map((o) => o.id);
}

export { score };
