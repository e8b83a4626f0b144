// Is there a Docker engine we can use? A `docker` client whose daemon does not answer counts as no
// Docker (common: the CLI is installed but Docker Desktop or the daemon is not running).
import { runDocker } from './run.ts';

export interface EngineAnswer {
  ok: boolean;
  /** One Portuguese sentence saying why (shown by `cluster` when it picks a backend). */
  reason: string;
  /** Server version when it answered, e.g. "29.0.1". */
  serverVersion?: string;
}

/** Short: the automatic backend choice must not make a student wait. */
export const ENGINE_TIMEOUT_MS = 4000;

export async function dockerEngineAnswers(
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<EngineAnswer> {
  const r = await runDocker(['version', '--format', '{{.Server.Version}}'], {
    timeoutMs: options.timeoutMs ?? ENGINE_TIMEOUT_MS,
    env: options.env,
  });
  if (r.notFound) {
    return { ok: false, reason: 'o comando docker não está instalado neste computador' };
  }
  if (r.timedOut) {
    return { ok: false, reason: 'o Docker está instalado, mas o motor (daemon) não respondeu a tempo' };
  }
  const version = r.stdout.trim();
  if (r.code !== 0 || version === '' || version.startsWith('<no value>')) {
    return {
      ok: false,
      reason: 'o Docker está instalado, mas o motor (daemon) não está respondendo',
    };
  }
  return { ok: true, reason: `o Docker ${version} está respondendo`, serverVersion: version };
}
