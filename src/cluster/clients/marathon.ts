// Marathon 1.3.6 REST API v2, typed with the fields the labs read (shared spec marathon-1.3.6.md).
import { AmbienteError, HttpError, ServiceClient } from './http.ts';

export interface MarathonHealthCheck {
  protocol?: string;
  path?: string;
  portIndex?: number;
  port?: number;
  gracePeriodSeconds?: number;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  maxConsecutiveFailures?: number;
  command?: { value: string };
}

export interface MarathonHealthResult {
  alive: boolean;
  consecutiveFailures: number;
  firstSuccess: string | null;
  lastSuccess: string | null;
  lastFailure: string | null;
  taskId: string;
}

export interface MarathonTask {
  id: string;
  slaveId: string | null;
  host: string;
  state: string;
  startedAt: string | null;
  stagedAt?: string | null;
  ports: number[];
  version: string;
  appId?: string;
  healthCheckResults?: MarathonHealthResult[];
}

export interface MarathonApp {
  id: string;
  cmd: string | null;
  args?: string[] | null;
  instances: number;
  cpus: number;
  mem: number;
  disk?: number;
  env?: Record<string, string>;
  constraints: string[][];
  healthChecks: MarathonHealthCheck[];
  upgradeStrategy?: { minimumHealthCapacity: number; maximumOverCapacity: number };
  labels?: Record<string, string>;
  version: string;
  versionInfo?: { lastScalingAt: string; lastConfigChangeAt: string };
  tasksStaged: number;
  tasksRunning: number;
  tasksHealthy: number;
  tasksUnhealthy: number;
  deployments: { id: string }[];
  tasks?: MarathonTask[];
  portDefinitions?: { port: number; protocol: string }[];
}

export interface MarathonDeployment {
  id: string;
  version: string;
  affectedApps: string[];
  steps: { actions: { action: string; app: string }[] }[];
  currentActions: { action: string; app: string }[];
  currentStep: number;
  totalSteps: number;
}

export interface MarathonQueueItem {
  app: MarathonApp;
  count: number;
  delay: { timeLeftSeconds: number; overdue: boolean };
}

export interface MarathonInfo {
  name: string;
  version: string;
  elected: boolean;
  leader: string | null;
  frameworkId: string | null;
}

/** One Server-Sent Event from /v2/events: the name and the parsed JSON. */
export interface MarathonEvent {
  eventType: string;
  timestamp: string;
  [key: string]: unknown;
}

/** Marathon accepts ids with or without the leading slash; paths carry them without it. */
function appPath(id: string): string {
  return id.replace(/^\/+/, '');
}

export class MarathonClient extends ServiceClient {
  info(): Promise<MarathonInfo> {
    return this.json<MarathonInfo>('/v2/info');
  }

  async apps(): Promise<MarathonApp[]> {
    return (await this.json<{ apps: MarathonApp[] }>('/v2/apps')).apps;
  }

  /** The app with its tasks, or undefined when Marathon says it does not exist. */
  async app(id: string): Promise<MarathonApp | undefined> {
    return (await this.jsonOrMissing<{ app: MarathonApp }>(`/v2/apps/${appPath(id)}`))?.app;
  }

  async appTasks(id: string): Promise<MarathonTask[] | undefined> {
    return (await this.jsonOrMissing<{ tasks: MarathonTask[] }>(`/v2/apps/${appPath(id)}/tasks`))?.tasks;
  }

  deployments(): Promise<MarathonDeployment[]> {
    return this.json<MarathonDeployment[]>('/v2/deployments');
  }

  async queue(): Promise<MarathonQueueItem[]> {
    return (await this.json<{ queue: MarathonQueueItem[] }>('/v2/queue')).queue;
  }

  // Writes: used by the reference solutions (demo mode, proofs, grading replays), never by checks.

  createApp(app: unknown): Promise<MarathonApp> {
    return this.json<MarathonApp>('/v2/apps', { method: 'POST', body: app });
  }

  updateApp(id: string, app: unknown, force = false): Promise<{ version: string; deploymentId: string }> {
    return this.json(`/v2/apps/${appPath(id)}${force ? '?force=true' : ''}`, { method: 'PUT', body: app });
  }

  restartApp(id: string): Promise<{ version: string; deploymentId: string }> {
    return this.json(`/v2/apps/${appPath(id)}/restart`, { method: 'POST' });
  }

  deleteApp(id: string): Promise<{ version: string; deploymentId: string }> {
    return this.json(`/v2/apps/${appPath(id)}`, { method: 'DELETE' });
  }

  /**
   * Follows /v2/events until the signal aborts. Resolves when the stream ends; throws
   * AmbienteError if Marathon cannot be reached. The stream has no timeout of its own.
   */
  async streamEvents(onEvent: (event: MarathonEvent) => void, signal: AbortSignal): Promise<void> {
    const response = await this.request('/v2/events', {
      accept: 'text/event-stream',
      signal,
      // The stream stays open: only the caller's signal ends it.
      timeoutMs: 2_147_000_000,
    });
    if (response.status !== 200 || !response.body) {
      throw new HttpError(response.status, this.endpoint.baseUrl + '/v2/events', await response.text());
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let data: string[] = [];
    const flush = () => {
      if (data.length === 0) return;
      try {
        const event = JSON.parse(data.join('\n')) as MarathonEvent;
        if (event && typeof event.eventType === 'string') onEvent(event);
      } catch {
        // A frame that is not JSON (a heartbeat, a partial write) is skipped.
      }
      data = [];
    };
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') flush();
          else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
        }
      }
      flush();
    } catch (error) {
      if (signal.aborted) return;
      throw new AmbienteError(
        'A conexão com o fluxo de eventos do Marathon (/v2/events) caiu.',
        error instanceof Error ? error.message : String(error),
      );
    } finally {
      reader.releaseLock?.();
    }
  }
}
