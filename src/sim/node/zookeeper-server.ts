// The simulated ZooKeeper on a TCP port: a node:net adapter around the pure protocol engine
// (src/sim/core/zookeeper/protocol.ts). While closed, the port is not listening, so clients get
// "connection refused" as with a stopped container; sessions do not expire while the server is
// down (the real session tracker is not running either) and get a fresh timeout on restart.
import { createServer, type Server, type Socket } from 'node:net';
import type { ZkDatabase } from '../core/zookeeper/database.ts';
import { ZkServerCore, type ZkConnection, type ZkServerCoreOptions } from '../core/zookeeper/protocol.ts';

export class ZooKeeperServer {
  readonly core: ZkServerCore;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;

  constructor(
    readonly db: ZkDatabase,
    options: ZkServerCoreOptions = {},
  ) {
    this.core = new ZkServerCore(db, options);
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** The bound port (0 while stopped). */
  get port(): number {
    return this.server ? this.boundPort : 0;
  }

  /** Starts listening; resolves with the bound port (pass 0 for an ephemeral one). Rejects with
   *  the Node error (e.g. EADDRINUSE) when the port cannot be bound. */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    if (this.server) return this.boundPort;
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.address() as { port: number }).port;
    this.core.clientPort = port === 0 ? this.boundPort : port;
    this.core.activate();
    this.db.resumeSessions();
    return this.boundPort;
  }

  /** Same as listen: the name the orchestrator's `cluster start zookeeper` reads best with. */
  start(port: number, host = '127.0.0.1'): Promise<number> {
    return this.listen(port, host);
  }

  /** Stops listening and drops every client connection; sessions survive (suspended). */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.db.suspendSessions();
    this.core.closeAll();
    this.core.deactivate();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  stop(): Promise<void> {
    return this.close();
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const remote = `/${socket.remoteAddress ?? '127.0.0.1'}:${socket.remotePort ?? 0}`;
    let connection: ZkConnection | undefined = this.core.open({
      remote,
      write: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      end: () => {
        if (!socket.destroyed) socket.end();
      },
    });
    socket.on('data', (chunk: Buffer) => {
      // One chunk may hold many pipelined requests: gather their replies into one write.
      socket.cork();
      connection?.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      socket.uncork();
    });
    const gone = () => {
      this.sockets.delete(socket);
      connection?.close();
      connection = undefined;
    };
    socket.on('close', gone);
    socket.on('error', () => socket.destroy());
  }
}
