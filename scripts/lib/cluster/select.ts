// Which backend runs the cluster: `--backend`, else LAB_BACKEND, else (for commands about a running
// cluster) the one remembered in `.lab/`, else `auto`, which picks docker when an engine answers and
// sim otherwise, and says why.
import type { LabEnv, BackendChoice } from '../env.ts';
import { isBackendChoice } from '../env.ts';
import { readKitState } from '../state.ts';
import { LabError, type Backend, type BackendName } from './backend.ts';
import { SimBackend } from './sim/sim-backend.ts';

export interface Selection {
  backend: Backend;
  name: BackendName;
  /** Portuguese: why this backend. */
  reason: string;
  /** Whether `auto` made the choice. */
  automatic: boolean;
}

export interface SelectOptions {
  /** The `--backend` value, if given. */
  flag?: string;
  env: LabEnv;
  stateDir: string;
  /** `up` starts something new; the other commands act on what runs, so they prefer the remembered backend. */
  command: string;
  /** Injected in tests. */
  probeDocker?: () => Promise<{ ok: boolean; reason: string }>;
  createDocker?: () => Promise<Backend | undefined>;
}

export const BACKEND_LABEL: Record<BackendName, string> = { sim: 'simulador', docker: 'Docker' };

/** The docker probe: does a Docker engine answer? (scripts/lib/cluster/docker/detect.ts) */
export async function probeDockerEngine(): Promise<{ ok: boolean; reason: string }> {
  // Loaded on demand: a command that does not need Docker does not pay for loading its code.
  const { dockerEngineAnswers } = await import('./docker/detect.ts');
  return dockerEngineAnswers();
}

/** The docker backend (scripts/lib/cluster/docker/backend.ts), with the same settings the simulator reads. */
export async function createDockerBackendIfAvailable(env: LabEnv): Promise<Backend | undefined> {
  const { createDockerBackend } = await import('./docker/backend.ts');
  return createDockerBackend({ root: env.root, env: env.vars as NodeJS.ProcessEnv });
}

export async function selectBackend(options: SelectOptions): Promise<Selection> {
  const { env, stateDir } = options;
  const sim = () => new SimBackend({ env, stateDir });
  const createDocker = options.createDocker ?? (() => createDockerBackendIfAvailable(env));

  let choice: BackendChoice;
  let reason: string;
  const remembered = readKitState(stateDir).backend;
  if (options.flag !== undefined) {
    if (!isBackendChoice(options.flag)) {
      throw new LabError(
        `O backend "${options.flag}" não existe. Use --backend sim, --backend docker ou --backend auto.`,
      );
    }
    choice = options.flag;
    reason = 'pedido com --backend';
  } else if (env.backend) {
    choice = env.backend;
    reason = 'definido em LAB_BACKEND';
  } else if (options.command !== 'up' && remembered) {
    choice = remembered;
    reason = 'é o backend do último cluster up';
  } else {
    choice = 'auto';
    reason = '';
  }

  if (choice === 'sim') return { backend: sim(), name: 'sim', reason, automatic: false };
  if (choice === 'docker') {
    const docker = await createDocker();
    if (!docker) {
      throw new LabError(
        'O backend docker ainda não está disponível nesta versão do kit. Use --backend sim (o cluster simulado).',
      );
    }
    return { backend: docker, name: 'docker', reason, automatic: false };
  }

  // auto: a simulator already up stays in use; otherwise Docker if its engine answers.
  const simBackend = sim();
  if (await simBackend.live()) {
    return { backend: simBackend, name: 'sim', reason: 'o cluster simulado já está no ar', automatic: true };
  }
  const answer = await (options.probeDocker ?? probeDockerEngine)();
  if (answer.ok) {
    const docker = await createDocker();
    if (docker) return { backend: docker, name: 'docker', reason: answer.reason, automatic: true };
    return {
      backend: simBackend,
      name: 'sim',
      reason: `${answer.reason}, mas o backend docker ainda não está disponível nesta versão do kit`,
      automatic: true,
    };
  }
  return { backend: simBackend, name: 'sim', reason: answer.reason, automatic: true };
}
