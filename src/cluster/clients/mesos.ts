// Mesos 1.1.0 master and agent endpoints, typed with the fields the labs read
// (see shared specs, chronos-3.0.1-mesos-1.1.0.md section B).
import { ServiceClient } from './http.ts';

/** Resource object as Mesos writes it: doubles, ports as a range string. */
export interface MesosResources {
  cpus: number;
  gpus: number;
  mem: number;
  disk: number;
  ports?: string;
}

export interface MesosTaskStatus {
  state: string;
  timestamp: number;
  healthy?: boolean;
}

export interface MesosTask {
  id: string;
  name: string;
  framework_id: string;
  executor_id: string;
  slave_id: string;
  state: string;
  resources: MesosResources;
  statuses: MesosTaskStatus[];
}

export interface MesosAgent {
  id: string;
  pid: string;
  hostname: string;
  registered_time?: number;
  resources: MesosResources;
  used_resources: MesosResources;
  offered_resources: MesosResources;
  unreserved_resources?: MesosResources;
  attributes: Record<string, string | number>;
  active: boolean;
  version?: string;
}

export interface MesosOffer {
  id: string;
  framework_id: string;
  slave_id: string;
  resources: MesosResources;
}

export interface MesosFramework {
  id: string;
  name: string;
  hostname?: string;
  active: boolean;
  registered_time?: number;
  used_resources?: MesosResources;
  offered_resources?: MesosResources;
  tasks: MesosTask[];
  completed_tasks: MesosTask[];
  offers: MesosOffer[];
}

export interface MasterState {
  version: string;
  id: string;
  pid: string;
  hostname: string;
  leader?: string;
  leader_info?: { id: string; pid: string; port: number; hostname: string };
  elected_time?: number;
  start_time?: number;
  activated_slaves: number;
  deactivated_slaves: number;
  slaves: MesosAgent[];
  frameworks: MesosFramework[];
  completed_frameworks: MesosFramework[];
}

export class MesosMasterClient extends ServiceClient {
  state(): Promise<MasterState> {
    return this.json<MasterState>('/master/state');
  }

  async slaves(): Promise<MesosAgent[]> {
    return (await this.json<{ slaves: MesosAgent[] }>('/master/slaves')).slaves;
  }

  async tasks(limit = 1000): Promise<MesosTask[]> {
    return (await this.json<{ tasks: MesosTask[] }>(`/master/tasks?limit=${limit}`)).tasks;
  }

  metrics(): Promise<Record<string, number>> {
    return this.json<Record<string, number>>('/metrics/snapshot');
  }
}

export interface AgentExecutor {
  id: string;
  name?: string;
  directory: string;
  tasks: MesosTask[];
  completed_tasks: MesosTask[];
  queued_tasks?: MesosTask[];
}

export interface AgentFramework {
  id: string;
  name: string;
  executors: AgentExecutor[];
  completed_executors: AgentExecutor[];
}

export interface AgentState {
  id: string;
  pid: string;
  hostname: string;
  resources: MesosResources;
  attributes: Record<string, string | number>;
  frameworks: AgentFramework[];
  completed_frameworks: AgentFramework[];
}

export interface SandboxFile {
  path: string;
  size: number;
  mode: string;
  mtime: number;
}

export class MesosAgentClient extends ServiceClient {
  state(): Promise<AgentState> {
    return this.json<AgentState>('/state');
  }

  browse(path: string): Promise<SandboxFile[] | undefined> {
    return this.jsonOrMissing<SandboxFile[]>(`/files/browse?path=${encodeURIComponent(path)}`);
  }

  /** The whole file (Mesos /files/read pages it; the labs read small files). */
  async readFile(path: string): Promise<string | undefined> {
    const page = await this.jsonOrMissing<{ data: string; offset: number }>(
      `/files/read?path=${encodeURIComponent(path)}&offset=0&length=1048576`,
    );
    return page?.data;
  }

  /** Every executor this agent knows (running and completed), with its sandbox directory. */
  async executors(): Promise<(AgentExecutor & { frameworkId: string; frameworkName: string })[]> {
    const state = await this.state();
    const out: (AgentExecutor & { frameworkId: string; frameworkName: string })[] = [];
    for (const f of [...(state.frameworks ?? []), ...(state.completed_frameworks ?? [])]) {
      for (const e of [...(f.executors ?? []), ...(f.completed_executors ?? [])]) {
        out.push({ ...e, frameworkId: f.id, frameworkName: f.name });
      }
    }
    return out;
  }
}
