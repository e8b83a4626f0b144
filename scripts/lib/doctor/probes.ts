// What the preflight needs from the machine, behind one interface so tests can replace any part of it.
import { promises as dns } from 'node:dns';
import { existsSync, readFileSync, statfsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { runDocker, type DockerResult, type RunOptions } from '../cluster/docker/run.ts';

export interface Probes {
  docker(args: readonly string[], options?: RunOptions): Promise<DockerResult>;
  /** true when nothing listens on 127.0.0.1:port (we could bind it). */
  portFree(port: number): Promise<boolean>;
  /** The address a host name resolves to on this computer, or null. */
  lookup(name: string): Promise<string | null>;
  /** Free bytes on the filesystem holding `path`, or null when it cannot be measured here. */
  freeBytes(path: string): number | null;
  platform(): NodeJS.Platform;
  /** Linux inside WSL2 (the kernel says "microsoft"). */
  isWsl(): boolean;
  /** The kit's saved hash of the agents' configuration at the last `up`, or null. */
  savedAgentsHash(): string | null;
}

export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export function realProbes(options: { env?: NodeJS.ProcessEnv; agentsHashFile?: string } = {}): Probes {
  const env = options.env ?? process.env;
  return {
    docker: (args, o) => runDocker(args, { env, ...o }),
    portFree: (port) => portFree(port),
    lookup: async (name) => {
      try {
        return (await dns.lookup(name, { family: 4 })).address;
      } catch {
        return null;
      }
    },
    freeBytes: (p) => {
      try {
        const s = statfsSync(p);
        return s.bavail * s.bsize;
      } catch {
        return null;
      }
    },
    platform: () => os.platform(),
    isWsl: () => {
      try {
        return os.platform() === 'linux' && /microsoft/i.test(readFileSync('/proc/version', 'utf8'));
      } catch {
        return false;
      }
    },
    savedAgentsHash: () => {
      const f = options.agentsHashFile;
      return f && existsSync(f) ? readFileSync(f, 'utf8').trim() : null;
    },
  };
}
