// Chronos 3.0.1 REST API (/v1/scheduler), typed with the fields the labs read
// (shared spec chronos-3.0.1-mesos-1.1.0.md section A).
import { HttpError, ServiceClient } from './http.ts';

export interface ChronosJob {
  name: string;
  command: string;
  shell?: boolean;
  retries: number;
  owner?: string;
  description?: string;
  successCount: number;
  errorCount: number;
  lastSuccess: string;
  lastError: string;
  errorsSinceLastSuccess?: number;
  cpus: number;
  mem: number;
  disk: number;
  disabled: boolean;
  softError?: boolean;
  constraints?: string[][];
  environmentVariables?: { name: string; value: string }[];
  /** Scheduled jobs only. */
  schedule?: string;
  scheduleTimeZone?: string;
  /** Dependent jobs only. */
  parents?: string[];
}

export interface ChronosJobSummary {
  name: string;
  status: 'success' | 'failure' | 'fresh' | string;
  state: string;
  schedule: string;
  parents: string[];
  disabled: boolean;
}

export interface ChronosGraph {
  nodes: { name: string; lastState: string; currentState: string }[];
  links: { parent: string; child: string }[];
}

/** Parses the text of GET /v1/scheduler/graph/csv (`node,…` and `link,…` lines). */
export function parseGraphCsv(text: string): ChronosGraph {
  const graph: ChronosGraph = { nodes: [], links: [] };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const parts = line.split(',');
    if (parts[0] === 'node' && parts.length >= 4) {
      graph.nodes.push({ name: parts[1], lastState: parts[2], currentState: parts.slice(3).join(',') });
    } else if (parts[0] === 'link' && parts.length >= 3) {
      graph.links.push({ parent: parts[1], child: parts[2] });
    }
  }
  return graph;
}

export class ChronosClient extends ServiceClient {
  jobs(): Promise<ChronosJob[]> {
    return this.json<ChronosJob[]>('/v1/scheduler/jobs');
  }

  async job(name: string): Promise<ChronosJob | undefined> {
    // Chronos answers 400 "Job '<name>' not found" for an unknown job.
    const all = await this.jobs();
    return all.find((j) => j.name === name);
  }

  async summary(): Promise<ChronosJobSummary[]> {
    return (await this.json<{ jobs: ChronosJobSummary[] }>('/v1/scheduler/jobs/summary')).jobs;
  }

  async graph(): Promise<ChronosGraph> {
    return parseGraphCsv(await this.text('/v1/scheduler/graph/csv'));
  }

  // Writes: for reference solutions only.

  async createScheduled(job: unknown): Promise<void> {
    await this.expectNoContent('/v1/scheduler/iso8601', 'POST', job);
  }

  async createDependent(job: unknown): Promise<void> {
    await this.expectNoContent('/v1/scheduler/dependency', 'POST', job);
  }

  async runNow(name: string): Promise<void> {
    await this.expectNoContent(`/v1/scheduler/job/${encodeURIComponent(name)}`, 'PUT');
  }

  async deleteJob(name: string): Promise<void> {
    await this.expectNoContent(`/v1/scheduler/job/${encodeURIComponent(name)}`, 'DELETE');
  }

  private async expectNoContent(path: string, method: string, body?: unknown): Promise<void> {
    const response = await this.request(path, { method, body });
    const text = await response.text();
    if (response.status >= 300) throw new HttpError(response.status, this.endpoint.baseUrl + path, text);
  }
}
