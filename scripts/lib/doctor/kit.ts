// The preflight as the kit runs it: real probes, the student's .env, ports of this project's running
// services skipped (they are ours, not a clash).
import { composeArgs, kitRoot } from '../cluster/docker/compose.ts';
import { kitEnv } from '../env.ts';
import { parseComposePs } from '../cluster/docker/ps.ts';
import { agentsHash, agentsHashFile } from '../cluster/docker/state.ts';
import { runDoctor, type DoctorReport } from './checks.ts';
import { realProbes, type Probes } from './probes.ts';

export interface KitDoctorOptions {
  root?: string;
  env?: NodeJS.ProcessEnv;
  probes?: Probes;
}

export async function runKitDoctor(options: KitDoctorOptions = {}): Promise<DoctorReport> {
  const root = options.root ?? kitRoot();
  const processEnv = options.env ?? process.env;
  const env = kitEnv(root, processEnv);
  const probes = options.probes ?? realProbes({ env: processEnv, agentsHashFile: agentsHashFile(root) });
  // Which of our services already run (their ports are busy because of us).
  const running = async () => {
    const ps = await probes.docker([...composeArgs({ root }), 'ps', '--format', 'json'], { timeoutMs: 8000 });
    return ps.code === 0
      ? parseComposePs(ps.stdout)
          .filter((s) => s.state === 'running')
          .map((s) => s.service)
      : [];
  };
  return runDoctor({
    probes,
    env,
    skipPortsOf: running,
    agentsHash: agentsHash(root, env),
  });
}
