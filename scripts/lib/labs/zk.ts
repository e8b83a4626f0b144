// Reads the ZooKeeper tree with a real client (node-zookeeper-client), for checks that look at znodes.
// Each read has a deadline; an unreachable ZooKeeper becomes an AmbienteError.
import { createRequire } from 'node:module';
import { AmbienteError } from '../../../src/cluster/clients/http.ts';
import type { ZkReader } from '../../../src/cluster/clients/index.ts';

interface ZkClient {
  connect(): void;
  close(): void;
  once(event: 'connected' | 'disconnected', fn: () => void): void;
  getChildren(
    path: string,
    cb: (error: (Error & { code?: number }) | null, children: string[]) => void,
  ): void;
  getData(
    path: string,
    cb: (error: (Error & { code?: number }) | null, data: Buffer | undefined) => void,
  ): void;
}

interface ZkModule {
  createClient(
    connection: string,
    options: { sessionTimeout: number; spinDelay: number; retries: number },
  ): ZkClient;
}

const NO_NODE = -101;

export function zkReader(host: string, port: number, timeoutMs = 4000): ZkReader & { close(): void } {
  const zookeeper = createRequire(import.meta.url)('node-zookeeper-client') as ZkModule;
  const open = new Set<ZkClient>();
  const unreachable = (details: string) =>
    new AmbienteError(
      `O ZooKeeper não respondeu em ${host}:${port}. Veja se o cluster está de pé com \`npm run cluster -- status\`.`,
      details,
    );
  // One short session per read: a check reads a znode or two, and a session kept idle between reads
  // can expire (the simulator's clock may run faster than the client's pings).
  const call = <T>(fn: (c: ZkClient, done: (e: (Error & { code?: number }) | null, v?: T) => void) => void) =>
    new Promise<T | undefined>((resolve, reject) => {
      const c = zookeeper.createClient(`${host}:${port}`, {
        sessionTimeout: 10_000,
        spinDelay: 200,
        retries: 1,
      });
      open.add(c);
      const finish = (f: () => void) => {
        clearTimeout(timer);
        open.delete(c);
        c.close();
        f();
      };
      const timer = setTimeout(() => finish(() => reject(unreachable('timed out'))), timeoutMs);
      c.once('connected', () =>
        fn(c, (error, value) => {
          if (error && error.code === NO_NODE) finish(() => resolve(undefined));
          else if (error) finish(() => reject(unreachable(error.message)));
          else finish(() => resolve(value));
        }),
      );
      c.connect();
    });
  return {
    children: (path) => call<string[]>((c, done) => c.getChildren(path, (e, children) => done(e, children))),
    getData: (path) =>
      call<string>((c, done) =>
        c.getData(path, (e, data) => done(e, data ? data.toString('utf8') : undefined)),
      ),
    close: () => {
      for (const c of open) c.close();
      open.clear();
    },
  };
}
