// Health-check probes against real processes, for Marathon's HTTP, TCP and COMMAND checks.
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { Prober } from '../core/service.ts';

export interface NodeProberOptions {
  /** PATH/HOME/LANG from the parent so commands work, as the process executor does. */
  inherit?: readonly string[];
  parentEnv?: NodeJS.ProcessEnv;
}

export function createNodeProber(options: NodeProberOptions = {}): Prober {
  const inherit = options.inherit ?? ['PATH', 'HOME', 'LANG'];
  const parentEnv = options.parentEnv ?? process.env;
  return {
    http(url: string, timeoutMs: number): Promise<number | undefined> {
      return new Promise((resolve) => {
        let target: URL;
        try {
          target = new URL(url);
        } catch {
          resolve(undefined);
          return;
        }
        const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
        // Marathon's HTTPS checks do not verify certificates.
        const req = send(target, { method: 'GET', timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
          res.resume();
          resolve(res.statusCode);
        });
        req.on('timeout', () => req.destroy());
        req.on('error', () => resolve(undefined));
        req.end();
      });
    },
    tcp(host: string, port: number, timeoutMs: number): Promise<boolean> {
      return new Promise((resolve) => {
        const socket = connect({ host, port });
        const done = (ok: boolean) => {
          socket.destroy();
          resolve(ok);
        };
        socket.setTimeout(timeoutMs, () => done(false));
        socket.once('connect', () => done(true));
        socket.once('error', () => done(false));
      });
    },
    command(command: string, env: Record<string, string>, timeoutMs: number): Promise<number | undefined> {
      return new Promise((resolve) => {
        const full: Record<string, string> = {};
        for (const name of inherit) if (parentEnv[name] !== undefined) full[name] = parentEnv[name]!;
        Object.assign(full, env);
        const child = spawn('sh', ['-c', command], { env: full, stdio: 'ignore', detached: true });
        let settled = false;
        const timer = setTimeout(() => {
          settled = true;
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // gone already
          }
          resolve(undefined);
        }, timeoutMs);
        child.once('error', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(127);
        });
        child.once('exit', (code) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(code ?? 128);
        });
      });
    },
  };
}
