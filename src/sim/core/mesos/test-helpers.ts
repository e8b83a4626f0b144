// Test helpers for the simulated Mesos cluster: a recording scheduler and a cluster factory
// (virtual clock, model executor, the simulated ZooKeeper tree).
import { AGENTS, resolvePorts } from '../../../cluster/topology.ts';
import { VirtualClock } from '../clock.ts';
import { ModelExecutor } from '../model-executor.ts';
import { ZkDatabase } from '../zookeeper/index.ts';
import type { FrameworkInfo, Offer, Scheduler, SchedulerDriver, TaskStatus } from './api.ts';
import { MesosCluster } from './index.ts';

/** A deterministic random source (mulberry32). */
export function seeded(seed = 42): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class RecordingScheduler implements Scheduler {
  frameworkId = '';
  registrations: { id: string; reregistered: boolean }[] = [];
  offers: Offer[] = [];
  allOffers: Offer[] = [];
  rescinded: string[] = [];
  updates: TaskStatus[] = [];
  lostAgents: string[] = [];
  disconnects = 0;
  errors: string[] = [];
  /** Called on each offer batch; by default offers are kept for the test to use. */
  onOffers?: (offers: Offer[]) => void;

  registered(frameworkId: string, reregistered: boolean): void {
    this.frameworkId = frameworkId;
    this.registrations.push({ id: frameworkId, reregistered });
  }
  resourceOffers(offers: Offer[]): void {
    this.allOffers.push(...offers);
    if (this.onOffers) this.onOffers(offers);
    else this.offers.push(...offers);
  }
  offerRescinded(offerId: string): void {
    this.rescinded.push(offerId);
    this.offers = this.offers.filter((o) => o.id !== offerId);
  }
  statusUpdate(status: TaskStatus): void {
    this.updates.push(status);
  }
  agentLost(agentId: string): void {
    this.lostAgents.push(agentId);
  }
  disconnected(): void {
    this.disconnects++;
  }
  error(message: string): void {
    this.errors.push(message);
  }
  statesOf(taskId: string): string[] {
    return this.updates.filter((u) => u.taskId === taskId).map((u) => u.state);
  }
  takeOffer(): Offer {
    const o = this.offers.shift();
    if (!o) throw new Error('no offer');
    return o;
  }
}

export function frameworkInfo(name: string, extra: Partial<FrameworkInfo> = {}): FrameworkInfo {
  return {
    name,
    user: 'root',
    hostname: name,
    failoverTimeoutSeconds: 604800,
    checkpoint: true,
    ...extra,
  };
}

/** A simulated Mesos cluster on a VirtualClock with the model executor: the base of core tests. */
export function makeCluster(opts: { startDelayMs?: number; start?: number } = {}) {
  const clock = new VirtualClock(opts.start ?? Date.UTC(2026, 0, 1, 12));
  const executor = new ModelExecutor(clock, { startDelayMs: opts.startDelayMs ?? 300 });
  const db = new ZkDatabase(clock);
  const zk = db.access();
  const cluster = new MesosCluster({
    clock,
    executor,
    zk,
    agents: AGENTS,
    ports: resolvePorts({}),
    random: seeded(7),
  });
  return { clock, executor, zk, db, cluster };
}

export type Driver = SchedulerDriver;

export async function get(handler: (r: Request) => Response | Promise<Response>, path: string) {
  return handler(new Request(`http://127.0.0.1${path}`));
}
