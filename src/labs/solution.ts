// The environment a reference solution (demo mode, the proofs) or a grading replay runs in.
import type { ClusterClients } from '../cluster/clients/index.ts';
import { HttpError, type ServiceClient } from '../cluster/clients/http.ts';
import type { ServiceName } from '../cluster/topology.ts';
import type { EvidenceLog } from './evidence.ts';
import type { ExerciseParams } from './params.ts';
import { waitUntil } from './runner.ts';
import type { AnswerFiles, SolutionEnv } from './types.ts';

export interface RequestRecord {
  method: string;
  url: string;
  body?: unknown;
  status: number;
  response: string;
}

export interface SolutionEnvOptions {
  params: ExerciseParams;
  cluster: ClusterClients;
  evidence: EvidenceLog;
  writeAnswer(name: string, text: string): Promise<void>;
  stopService?(service: ServiceName): Promise<void>;
  startService?(service: ServiceName): Promise<void>;
  sleep(ms: number): Promise<void>;
  say?(line: string): void;
  /** Called after every call() (demo mode prints it as a curl command). */
  onRequest?(record: RequestRecord): void;
  /** Poll interval of waitFor, real ms. */
  pollMs?: number;
}

export function createSolutionEnv(o: SolutionEnvOptions): SolutionEnv {
  const clientOf = (service: 'marathon' | 'chronos' | 'mesos-master'): ServiceClient =>
    service === 'marathon'
      ? o.cluster.marathon
      : service === 'chronos'
        ? o.cluster.chronos
        : o.cluster.master;
  const unsupported = async () => {
    throw new Error('Este ambiente não sabe parar ou iniciar serviços do cluster.');
  };
  return {
    params: o.params,
    cluster: o.cluster,
    evidence: o.evidence,
    async call(service, method, path, body) {
      const client = clientOf(service);
      const response = await client.request(path, { method, body });
      const text = await response.text();
      o.onRequest?.({
        method,
        url: client.endpoint.baseUrl + path,
        body,
        status: response.status,
        response: text,
      });
      if (response.status >= 400) throw new HttpError(response.status, client.endpoint.baseUrl + path, text);
      try {
        return text ? JSON.parse(text) : undefined;
      } catch {
        return text;
      }
    },
    stopService: o.stopService ?? unsupported,
    startService: o.startService ?? unsupported,
    writeAnswer: o.writeAnswer,
    say: o.say ?? (() => {}),
    sleep: o.sleep,
    async waitFor(what, predicate, timeoutMs) {
      const ok = await waitUntil(
        o.sleep,
        async () => {
          try {
            return await predicate();
          } catch {
            return false;
          }
        },
        timeoutMs,
        o.pollMs ?? 250,
      );
      if (!ok) throw new Error(`Tempo esgotado esperando: ${what}.`);
    },
  };
}

/** The equivalent curl command of a request (demo mode). */
export function curlOf(record: Pick<RequestRecord, 'method' | 'url' | 'body'>): string {
  const parts = ['curl -s'];
  if (record.method !== 'GET') parts.push(`-X ${record.method}`);
  if (record.body !== undefined) {
    const json = JSON.stringify(record.body).replace(/'/g, `'\\''`);
    parts.push(`-H 'Content-Type: application/json'`, `-d '${json}'`);
  }
  parts.push(/[?&*[\] ]/.test(record.url) ? `'${record.url}'` : record.url);
  return parts.join(' ');
}

/** Removes an app left by an earlier run (demo mode twice), waiting until Marathon forgets it. */
export async function removeAppIfPresent(env: SolutionEnv, appId: string): Promise<void> {
  if (!(await env.cluster.marathon.app(appId))) return;
  env.say(`A aplicação ${appId} já existe (de uma execução anterior): removendo-a primeiro.`);
  await env.call('marathon', 'DELETE', `/v2/apps${appId}`);
  await env.waitFor(
    `o Marathon remover ${appId}`,
    async () =>
      !(await env.cluster.marathon.app(appId)) &&
      !(await env.cluster.marathon.deployments()).some((d) => d.affectedApps.includes(appId)),
    60_000,
  );
}

/** Sends a Chronos job to the endpoint its kind takes: /dependency with parents, /iso8601 without. */
export async function postChronosJob(env: SolutionEnv, body: Record<string, unknown>): Promise<void> {
  await env.call(
    'chronos',
    'POST',
    body.parents ? '/v1/scheduler/dependency' : '/v1/scheduler/iso8601',
    body,
  );
}

/** A reference solution's step: writes the job as the student's answer file, then sends it to Chronos. */
export async function writeAndPostChronosJob(
  env: SolutionEnv,
  file: string,
  body: Record<string, unknown>,
): Promise<void> {
  await env.writeAnswer(file, JSON.stringify(body, null, 2) + '\n');
  await postChronosJob(env, body);
}

/** A grading replay: sends each Chronos job file that is present, in order, as the student would. */
export async function applyChronosJobFiles(
  env: SolutionEnv,
  answers: AnswerFiles,
  files: string[],
): Promise<void> {
  for (const file of files) {
    const text = answers.read(file);
    if (!text) continue;
    try {
      await postChronosJob(env, JSON.parse(text) as Record<string, unknown>);
    } catch {
      // A file Chronos refuses (or that is no JSON) is what the replay checks then report.
    }
  }
}
