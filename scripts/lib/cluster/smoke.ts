// `npm run cluster -- smoke`: proves a running cluster really works, on either backend, over HTTP only.
// A tiny Marathon app with two instances reaches running and is removed; a one-shot Chronos job succeeds and
// is removed. Everything it creates is deleted again, even when a step fails.
import { fillText, problem } from '../../../src/cluster/troubleshooting.ts';
import type { Ports } from '../../../src/cluster/topology.ts';
import { LabError } from './backend.ts';

export interface SmokeOptions {
  ports: Ports;
  progress?: (line: string) => void;
  /** Give up on each part after this many ms (default 3 minutes, as the research note suggests). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Suffix of the app id and job name (random by default, so two runs never collide). */
  suffix?: string;
}

export interface SmokeResult {
  appId: string;
  jobName: string;
  /** ms from creating the app to two running instances, and from creating the job to its success. */
  marathonMs: number;
  chronosMs: number;
}

const POLL_MS = 2000;
export const SMOKE_TIMEOUT_MS = 180_000;

interface HttpAnswer {
  status: number;
  body: unknown;
}

export async function runSmoke(options: SmokeOptions): Promise<SmokeResult> {
  const progress = options.progress ?? (() => {});
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? SMOKE_TIMEOUT_MS;
  const suffix = options.suffix ?? Math.random().toString(36).slice(2, 8);
  const marathon = `http://127.0.0.1:${options.ports.marathon}`;
  const chronos = `http://127.0.0.1:${options.ports.chronos}`;

  async function http(method: string, url: string, body?: unknown): Promise<HttpAnswer> {
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw new LabError(
        `O teste rápido não conseguiu falar com ${url.split('/').slice(0, 3).join('/')}. O cluster está no ar? Rode \`npm run cluster -- status\`.`,
        err instanceof Error ? err.message : String(err),
      );
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (e.g. Chronos's plain sentences): keep the text
    }
    return { status: res.status, body: parsed };
  }

  function fail(
    id: 'smoke-marathon' | 'smoke-chronos',
    vars: Record<string, string | number>,
    details?: string,
  ) {
    const p = problem(id);
    return new LabError(`${fillText(p.message, vars)}\n${fillText(p.action, vars)}`, details);
  }

  // ── Marathon ──
  const appId = `/smoke-test-${suffix}`;
  const app = { id: appId, cmd: 'sleep 3600', cpus: 0.1, mem: 32, instances: 2 };
  const t0 = now();
  let marathonMs = 0;
  progress(`Marathon: criando a aplicação ${appId} com 2 instâncias…`);
  const created = await http('POST', `${marathon}/v2/apps`, app);
  if (created.status !== 201) {
    throw fail(
      'smoke-marathon',
      { expected: 2, detail: `POST /v2/apps respondeu ${created.status}` },
      JSON.stringify(created.body),
    );
  }
  try {
    let running = 0;
    for (;;) {
      const r = await http('GET', `${marathon}/v2/apps${appId}`);
      const a = (r.body as { app?: { tasksRunning?: number } } | null)?.app;
      if (r.status === 200 && a) {
        if ((a.tasksRunning ?? 0) !== running) {
          running = a.tasksRunning ?? 0;
          progress(`Marathon: ${running} de 2 instâncias rodando`);
        }
        if (running >= 2) break;
      }
      if (now() - t0 >= timeoutMs) {
        throw fail('smoke-marathon', {
          expected: 2,
          detail: `${running} rodando depois de ${Math.round(timeoutMs / 1000)} s`,
        });
      }
      await sleep(POLL_MS);
    }
    marathonMs = now() - t0;
  } finally {
    const d = await http('DELETE', `${marathon}/v2/apps${appId}`).catch(() => null);
    if (d && d.status === 200) progress(`Marathon: aplicação ${appId} removida`);
  }
  const gone = await http('GET', `${marathon}/v2/apps${appId}`);
  if (gone.status !== 404) {
    throw fail('smoke-marathon', {
      expected: 2,
      detail: `a aplicação ${appId} não foi removida (GET respondeu ${gone.status})`,
    });
  }

  // ── Chronos ──
  const jobName = `smoke-test-${suffix}`;
  // Chronos 3 never skips a run, so a one-shot schedule starting now runs at once (UTC, ISO 8601).
  const start = new Date(now()).toISOString();
  const job = {
    name: jobName,
    command: 'echo smoke',
    schedule: `R1/${start}/PT1M`,
    cpus: 0.1,
    mem: 32,
    owner: '',
  };
  const t1 = now();
  let chronosMs = 0;
  progress(`Chronos: criando o job ${jobName} (uma execução)…`);
  const posted = await http('POST', `${chronos}/v1/scheduler/iso8601`, job);
  if (posted.status !== 204) {
    throw fail(
      'smoke-chronos',
      { detail: `POST /v1/scheduler/iso8601 respondeu ${posted.status}` },
      JSON.stringify(posted.body),
    );
  }
  try {
    for (;;) {
      const r = await http('GET', `${chronos}/v1/scheduler/jobs`);
      const list = Array.isArray(r.body)
        ? (r.body as { name?: string; successCount?: number; errorCount?: number }[])
        : [];
      const j = list.find((x) => x.name === jobName);
      if (j && (j.successCount ?? 0) >= 1) break;
      if (j && (j.errorCount ?? 0) >= 1) {
        throw fail('smoke-chronos', { detail: 'o job terminou com erro' });
      }
      if (now() - t1 >= timeoutMs) {
        throw fail('smoke-chronos', {
          detail: `nenhuma execução com sucesso em ${Math.round(timeoutMs / 1000)} s`,
        });
      }
      await sleep(POLL_MS);
    }
    chronosMs = now() - t1;
    progress('Chronos: o job terminou com sucesso');
  } finally {
    const d = await http('DELETE', `${chronos}/v1/scheduler/job/${encodeURIComponent(jobName)}`).catch(
      () => null,
    );
    if (d && d.status === 204) progress(`Chronos: job ${jobName} removido`);
  }
  // The job list is read back from Chronos's scheduler; give it a few polls to drop the deleted job.
  for (let i = 0; ; i++) {
    const after = await http('GET', `${chronos}/v1/scheduler/jobs`);
    const still =
      Array.isArray(after.body) && (after.body as { name?: string }[]).some((x) => x.name === jobName);
    if (!still) break;
    if (i >= 4) throw fail('smoke-chronos', { detail: `o job ${jobName} não foi removido` });
    await sleep(POLL_MS);
  }

  progress('Teste rápido passou: o Marathon e o Chronos recebem ofertas e rodam tarefas nos agentes.');
  return { appId, jobName, marathonMs, chronosMs };
}
