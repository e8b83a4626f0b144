// Parses `docker compose ps --format json`: Compose >= 2.21 prints one JSON object per line, older
// releases one JSON array.
import { SERVICE_NAMES, type ServiceName } from '../../../../src/cluster/topology.ts';

export interface ComposeService {
  service: ServiceName;
  /** running, exited, restarting, created, paused, dead */
  state: string;
  /** healthy, unhealthy, starting, or '' without a health check */
  health: string;
  exitCode: number;
}

interface Row {
  Service?: string;
  State?: string;
  Health?: string;
  ExitCode?: number;
}

export function parseComposePs(stdout: string): ComposeService[] {
  const text = stdout.trim();
  if (text === '') return [];
  let rows: Row[] = [];
  if (text.startsWith('[')) {
    try {
      rows = JSON.parse(text) as Row[];
    } catch {
      rows = [];
    }
  } else {
    for (const line of text.split(/\r?\n/)) {
      try {
        rows.push(JSON.parse(line) as Row);
      } catch {
        // a warning line mixed into the output: ignore it
      }
    }
  }
  return rows
    .filter((r): r is Row & { Service: ServiceName } => SERVICE_NAMES.includes(r.Service as ServiceName))
    .map((r) => ({
      service: r.Service,
      state: (r.State ?? '').toLowerCase(),
      health: (r.Health ?? '').toLowerCase(),
      exitCode: Number(r.ExitCode ?? 0),
    }));
}
