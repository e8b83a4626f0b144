// What the docker backend remembers between runs, in the kit's git-ignored state folder (.lab/).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeFile } from './compose.ts';

export function stateDir(root: string): string {
  return path.join(root, '.lab');
}

export function agentsHashFile(root: string): string {
  return path.join(stateDir(root), 'docker-agents.sha256');
}

/**
 * A fingerprint of what makes an agent's saved state incompatible when it changes (Mesos refuses to recover
 * with "Incompatible agent info"): the agents' resources, attributes, hostnames and ports.
 */
export function agentsHash(root: string, env: Record<string, string | undefined>): string {
  let text = '';
  try {
    text = readFileSync(composeFile(root), 'utf8');
  } catch {
    // no compose file: hash only the ports
  }
  const lines = text
    .split(/\r?\n/)
    .filter((l) => /MESOS_(RESOURCES|ATTRIBUTES|HOSTNAME|PORT)\b/.test(l))
    .map((l) => l.trim());
  lines.push(`AGENT1_PORT=${env.AGENT1_PORT ?? ''}`, `AGENT2_PORT=${env.AGENT2_PORT ?? ''}`);
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

export function saveAgentsHash(root: string, hash: string): void {
  mkdirSync(stateDir(root), { recursive: true });
  writeFileSync(agentsHashFile(root), hash + '\n');
}
