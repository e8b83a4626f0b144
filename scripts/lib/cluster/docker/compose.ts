// Where the compose files are, and the `docker compose` arguments every command of the backend starts with.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_NAME = 'mesos';

/** The kit's root folder (where package.json and the student's .env live). */
export function kitRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
}

export function composeFile(root = kitRoot()): string {
  return path.join(root, 'labs', 'cluster', 'compose.yaml');
}

export function dockerTasksFile(root = kitRoot()): string {
  return path.join(root, 'labs', 'cluster', 'compose.docker-tasks.yaml');
}

export interface ComposeArgsOptions {
  root?: string;
  /** Add the Docker-tasks override (only when the preflight allows it). */
  dockerTasks?: boolean;
}

/** `compose -p mesos -f …/compose.yaml [--env-file .env]`, to be followed by the subcommand. */
export function composeArgs(options: ComposeArgsOptions = {}): string[] {
  const root = options.root ?? kitRoot();
  const args = ['compose', '-p', PROJECT_NAME, '-f', composeFile(root)];
  if (options.dockerTasks) args.push('-f', dockerTasksFile(root));
  // The same .env as the simulator: at the kit's root, not beside the compose file.
  const envFile = path.join(root, '.env');
  if (existsSync(envFile)) args.push('--env-file', envFile);
  return args;
}
