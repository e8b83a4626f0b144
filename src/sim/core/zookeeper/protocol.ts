// The ZooKeeper client protocol as a 3.4 standalone server speaks it, over any byte stream.
// A transport adapter (the Node TCP server, or anything in a browser) feeds raw bytes to a
// ZkConnection and writes out what it emits. Framing: every packet carries a 4-byte big-endian
// length; before a connection has sent its ConnectRequest, a first "length" that spells a
// four-letter word is answered as text and the connection is closed (NIOServerCnxn.readLength).
import type { MultiOp, ZkDatabase, ZkWatchedEvent, ZkWatcher } from './database.ts';
import { ZkCode, ZkError } from './errors.ts';
import {
  answerFourLetterWord,
  isFourLetterWord,
  notWhitelisted,
  REFERENCE_ENVIRONMENT,
  referenceConf,
  ZK_346_VERSION,
  type ZkConf,
  type ZkConnectionFigures,
  type ZkServerFigures,
} from './four-letter-words.ts';
import {
  CreateFlags,
  decodeConnectRequest,
  decodeRequest,
  encodeConnectResponse,
  encodeNotification,
  encodeReply,
  JuteError,
  OpCode,
  Xid,
  type MultiResult,
  type ZkRequest,
  type ZkResponse,
} from './jute.ts';

/** BinaryInputArchive.maxBuffer: jute.maxbuffer defaults to 0xfffff bytes. */
export const MAX_PACKET = 0xfffff;

export interface ZkTransport {
  write(bytes: Uint8Array): void;
  /** Closes the connection (after what was written has been flushed). */
  end(): void;
  /** The peer as Java prints an InetSocketAddress: "/127.0.0.1:54321". */
  readonly remote: string;
}

export interface ZkServerCoreOptions {
  clientPort?: number;
  version?: string;
  environment?: [string, string][];
  conf?: Partial<ZkConf>;
  /** Reported by mntr (ASSUMPTION: a container's fds are not known; a plausible base count). */
  baseFileDescriptors?: number;
  maxFileDescriptors?: number;
  /** Words a 3.4.10+ server would answer; others get the "not in the whitelist" line.
   *  Undefined (the default) is 3.4.6: no whitelist. See WHITELIST_3410_DEFAULT. */
  fourLetterWhitelist?: readonly string[];
  /** Receives one line per notable event (sessions opened, expired, closed). */
  log?: (line: string) => void;
}

const hex = (n: bigint) => '0x' + n.toString(16);

/** The server: counters for the four-letter words and the set of live connections. */
export class ZkServerCore {
  readonly connections = new Set<ZkConnection>();
  /** Which session each connection's watcher belongs to (for the wch* words). */
  readonly watcherSessions = new WeakMap<ZkWatcher, bigint>();
  packetsReceived = 0;
  packetsSent = 0;
  private latencyCount = 0;
  private latencyTotal = 0;
  private latencyMin = Infinity;
  private latencyMax = 0;
  private readonly options: ZkServerCoreOptions;

  constructor(
    readonly db: ZkDatabase,
    options: ZkServerCoreOptions = {},
  ) {
    this.options = options;
    this.activate();
  }

  private unsubscribe: (() => void) | undefined;

  /** Listens for session expiry (to close the expired session's connection). */
  activate(): void {
    this.unsubscribe ??= this.db.onSessionExpired((id) => {
      this.log(`Expiring session ${hex(id)}, timeout exceeded`);
      for (const c of this.connections) if (c.sessionId === id) c.close();
    });
  }

  /** Stops listening to the database (the server is stopped or discarded). */
  deactivate(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  get fourLetterWhitelist(): readonly string[] | undefined {
    return this.options.fourLetterWhitelist;
  }

  set clientPort(port: number) {
    this.options.clientPort = port;
  }

  log(line: string): void {
    this.options.log?.(line);
  }

  /** A new transport connection. */
  open(transport: ZkTransport): ZkConnection {
    const c = new ZkConnection(this, transport);
    this.connections.add(c);
    return c;
  }

  /** Closes every client connection (server stop). */
  closeAll(): void {
    for (const c of [...this.connections]) c.close();
  }

  recordLatency(ms: number): void {
    this.latencyCount++;
    this.latencyTotal += ms;
    this.latencyMin = Math.min(this.latencyMin, ms);
    this.latencyMax = Math.max(this.latencyMax, ms);
  }

  resetStats(): void {
    this.packetsReceived = 0;
    this.packetsSent = 0;
    this.latencyCount = 0;
    this.latencyTotal = 0;
    this.latencyMin = Infinity;
    this.latencyMax = 0;
  }

  /** Everything the four-letter words print. */
  figures(): ZkServerFigures {
    const db = this.db;
    const tickTime = db.tickTime;
    return {
      version: this.options.version ?? ZK_346_VERSION,
      minLatency: this.latencyMin === Infinity ? 0 : this.latencyMin,
      avgLatency: this.latencyCount ? Math.floor(this.latencyTotal / this.latencyCount) : 0,
      maxLatency: this.latencyMax,
      packetsReceived: this.packetsReceived,
      packetsSent: this.packetsSent,
      connections: [...this.connections].map((c) => c.figures()),
      outstanding: 0,
      zxid: db.zxid,
      nodeCount: db.nodeCount,
      watchCount: db.watchCount,
      ephemeralsCount: db.ephemeralsCount,
      approximateDataSize: db.approximateDataSize,
      openFileDescriptors: (this.options.baseFileDescriptors ?? 26) + this.connections.size,
      maxFileDescriptors: this.options.maxFileDescriptors ?? 1048576,
      conf: {
        ...referenceConf(this.options.clientPort ?? 2181, tickTime),
        minSessionTimeout: db.minSessionTimeout,
        maxSessionTimeout: db.maxSessionTimeout,
        ...this.options.conf,
      },
      environment: this.options.environment ?? REFERENCE_ENVIRONMENT,
      sessions: db.sessionExpiries(),
      ephemerals: db.ephemeralsByOwner(),
      dataWatches: db
        .dataWatchTable()
        .flatMap(([path, watchers]) =>
          watchers.map((w) => ({ path, sessionId: this.watcherSessions.get(w) ?? 0n })),
        ),
    };
  }
}

/** Last-operation names as ServerCnxn stats print them (FinalRequestProcessor lastOp). */
const LAST_OP: Partial<Record<ZkRequest['op'], string>> = {
  create: 'CREA',
  delete: 'DELE',
  exists: 'EXIS',
  getData: 'GETD',
  setData: 'SETD',
  getACL: 'GACL',
  setACL: 'SACL',
  getChildren: 'GETC',
  getChildren2: 'GETC',
  sync: 'SYNC',
  ping: 'PING',
  closeSession: 'CLOS',
  setWatches: 'SETW',
  multi: 'MULT',
};

/** One client connection: framing, the connect handshake, requests and notifications. */
export class ZkConnection {
  sessionId = 0n;
  private timeout = 0;
  private initialized = false;
  private closed = false;
  private pending: Uint8Array = new Uint8Array(0);
  private received = 0;
  private sent = 0;
  private interestOps = 1;
  private readonly established: number;
  private lastOp = 'NA';
  private lastCxid = -1;
  private lastZxid = -1;
  private lastResponseTime = 0;
  private readonly watcher: ZkWatcher = (event: ZkWatchedEvent) => this.notify(event);

  constructor(
    private readonly server: ZkServerCore,
    private readonly transport: ZkTransport,
  ) {
    this.established = server.db.clock.now();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  figures(): ZkConnectionFigures {
    return {
      remote: this.transport.remote,
      interestOps: this.interestOps,
      queued: 0,
      received: this.received,
      sent: this.sent,
      sessionId: this.sessionId,
      lastOperation: this.lastOp,
      established: this.established,
      timeout: this.timeout,
      lastCxid: this.lastCxid,
      lastZxid: this.lastZxid,
      lastResponseTime: this.lastResponseTime,
      lastLatency: 0,
      minLatency: 0,
      avgLatency: 0,
      maxLatency: 0,
    };
  }

  /** Bytes arrived from the peer. */
  data(chunk: Uint8Array): void {
    if (this.closed) return;
    this.pending = this.pending.length ? concat(this.pending, chunk) : chunk;
    while (!this.closed && this.pending.length >= 4) {
      if (!this.initialized) {
        const word = String.fromCharCode(...this.pending.subarray(0, 4));
        if (isFourLetterWord(word)) {
          this.fourLetterWord(word);
          return;
        }
      }
      const view = new DataView(this.pending.buffer, this.pending.byteOffset, this.pending.byteLength);
      const len = view.getInt32(0);
      if (len < 0 || len > MAX_PACKET) {
        // "Len error": the real server drops the connection.
        this.close();
        return;
      }
      if (this.pending.length < 4 + len) return;
      const packet = this.pending.slice(4, 4 + len);
      this.pending = this.pending.subarray(4 + len);
      this.countReceived();
      try {
        if (this.initialized) this.request(packet);
        else this.connect(packet);
      } catch (error) {
        if (error instanceof JuteError) {
          this.close(); // a malformed packet ends the connection, as an IOException does
          return;
        }
        throw error;
      }
    }
  }

  /** The peer went away (or the server closes the connection). The session stays until it
   *  times out, so the client may reconnect to it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.connections.delete(this);
    this.server.db.removeWatcher(this.watcher);
    this.transport.end();
  }

  private countReceived(): void {
    this.received++;
    this.server.packetsReceived++;
  }

  private send(frame: Uint8Array): void {
    if (this.closed) return;
    this.transport.write(frame);
    this.sent++;
    this.server.packetsSent++;
  }

  private fourLetterWord(word: Parameters<typeof answerFourLetterWord>[0]): void {
    this.countReceived();
    this.interestOps = 0; // the selection key is cancelled before the command runs
    const whitelist = this.server.fourLetterWhitelist;
    if (whitelist && !whitelist.includes(word)) {
      this.send(new TextEncoder().encode(notWhitelisted(word)));
      this.close();
      return;
    }
    if (word === 'srst') this.server.resetStats();
    if (word === 'crst') for (const c of this.server.connections) c.resetStats();
    const text = answerFourLetterWord(word, this.server.figures());
    if (text !== undefined) this.send(new TextEncoder().encode(text));
    this.close();
  }

  private resetStats(): void {
    this.received = 0;
    this.sent = 0;
    this.lastOp = 'NA';
    this.lastCxid = -1;
    this.lastZxid = -1;
    this.lastResponseTime = 0;
  }

  /** ZooKeeperServer.processConnectRequest. */
  private connect(packet: Uint8Array): void {
    const db = this.server.db;
    const req = decodeConnectRequest(packet);
    const hasReadOnlyByte = req.readOnly !== undefined;
    // A client that accepts read-only servers (readOnly true) is served normally by a
    // read-write server; only a read-only server refuses the others.
    if (Number(req.lastZxidSeen) > db.zxid) {
      // "Refusing session request for client as it has seen zxid ... our last zxid is ..."
      this.server.log(`Refusing session request: client has seen zxid 0x${req.lastZxidSeen.toString(16)}`);
      this.close();
      return;
    }
    let session;
    if (req.sessionId === 0n) {
      session = db.createSession(req.timeOut);
      this.server.log(`Established session ${hex(session.id)} with negotiated timeout ${session.timeout}`);
    } else {
      for (const other of this.server.connections)
        if (other !== this && other.sessionId === req.sessionId) other.close();
      session = db.reattachSession(req.sessionId, req.passwd, req.timeOut);
    }
    this.initialized = true;
    this.interestOps = 1;
    if (!session) {
      // Invalid or expired session: timeout 0, id 0, 16 zero bytes, then the connection closes.
      this.send(
        frameOf(
          encodeConnectResponse({
            protocolVersion: 0,
            timeOut: 0,
            sessionId: 0n,
            passwd: new Uint8Array(16),
            readOnly: hasReadOnlyByte ? false : undefined,
          }),
        ),
      );
      this.close();
      return;
    }
    this.sessionId = session.id;
    this.timeout = session.timeout;
    this.server.watcherSessions.set(this.watcher, session.id);
    this.send(
      frameOf(
        encodeConnectResponse({
          protocolVersion: 0,
          timeOut: session.timeout,
          sessionId: session.id,
          passwd: session.password,
          readOnly: hasReadOnlyByte ? false : undefined,
        }),
      ),
    );
  }

  private notify(event: ZkWatchedEvent): void {
    this.send(encodeNotification(event));
  }

  private reply(xid: number, err: number, body?: ZkResponse): void {
    const zxid = this.server.db.zxid;
    this.lastZxid = zxid;
    this.lastResponseTime = this.server.db.clock.now();
    if (xid >= 0) this.lastCxid = xid;
    this.send(encodeReply({ xid, zxid, err }, err === 0 ? body : undefined));
  }

  private request(packet: Uint8Array): void {
    const db = this.server.db;
    const { header, request } = decodeRequest(packet);
    if (!db.touchSession(this.sessionId)) {
      // The session expired or was closed meanwhile: SessionExpiredException closes the connection.
      this.close();
      return;
    }
    this.lastOp = LAST_OP[request.op] ?? this.lastOp;
    this.server.recordLatency(0);
    switch (request.op) {
      case 'ping':
        this.reply(Xid.ping, 0);
        return;
      case 'auth':
        // digest credentials are accepted (ACLs are not enforced); other schemes fail.
        if (request.scheme === 'digest') {
          this.send(encodeReply({ xid: header.xid, zxid: 0, err: 0 }));
        } else {
          this.send(encodeReply({ xid: header.xid, zxid: 0, err: ZkCode.AUTHFAILED }));
          this.close();
        }
        return;
      case 'closeSession':
        this.server.log(`Processed session termination for sessionid: ${hex(this.sessionId)}`);
        db.closeSession(this.sessionId);
        this.reply(header.xid, 0);
        this.close();
        return;
      case 'setWatches':
        db.setWatches(
          Number(request.relativeZxid),
          request.dataWatches,
          request.existWatches,
          request.childWatches,
          this.watcher,
        );
        this.reply(header.xid, 0);
        return;
      case 'unknown':
      case 'check':
        this.reply(header.xid, ZkCode.UNIMPLEMENTED);
        this.close();
        return;
      case 'multi':
        this.reply(header.xid, 0, { op: 'multi', results: this.multi(request.ops) });
        return;
      default: {
        let body: ZkResponse;
        try {
          body = this.operation(request);
        } catch (error) {
          if (error instanceof ZkError) {
            this.reply(header.xid, error.code);
            return;
          }
          throw error;
        }
        this.reply(header.xid, 0, body);
      }
    }
  }

  private operation(request: ZkRequest): ZkResponse {
    const db = this.server.db;
    const watcher = (watch: boolean) => (watch ? this.watcher : undefined);
    switch (request.op) {
      case 'create': {
        const ephemeral = (request.flags & CreateFlags.ephemeral) !== 0;
        const sequential = (request.flags & CreateFlags.sequential) !== 0;
        const path = db.create(request.path, request.data, {
          ephemeralOwner: ephemeral ? this.sessionId : 0n,
          sequential,
          acl: request.acl,
        });
        return { op: 'create', path };
      }
      case 'delete':
        db.delete(request.path, request.version);
        return { op: 'empty' };
      case 'exists': {
        const stat = db.exists(request.path, watcher(request.watch));
        if (!stat) throw new ZkError(ZkCode.NONODE, request.path);
        return { op: 'stat', stat };
      }
      case 'getData': {
        const { data, stat } = db.getData(request.path, watcher(request.watch));
        return { op: 'getData', data, stat };
      }
      case 'setData':
        return { op: 'stat', stat: db.setData(request.path, request.data, request.version) };
      case 'getACL': {
        const { acl, stat } = db.getAcl(request.path);
        return { op: 'getACL', acl, stat };
      }
      case 'setACL':
        return { op: 'stat', stat: db.setAcl(request.path, request.acl, request.version) };
      case 'getChildren':
        return { op: 'getChildren', children: db.getChildren(request.path, watcher(request.watch)).children };
      case 'getChildren2': {
        const { children, stat } = db.getChildren(request.path, watcher(request.watch));
        return { op: 'getChildren2', children, stat };
      }
      case 'sync':
        return { op: 'sync', path: request.path };
      default:
        throw new ZkError(ZkCode.UNIMPLEMENTED);
    }
  }

  /** A multi: all operations or none (ZkDatabase.multi). Sub-operations other than create,
   *  delete, setData and check make the whole multi fail with UNIMPLEMENTED. */
  private multi(ops: ZkRequest[]): MultiResult[] {
    const converted: MultiOp[] = [];
    for (const op of ops) {
      switch (op.op) {
        case 'create':
          converted.push({
            type: 'create',
            path: op.path,
            data: op.data,
            acl: op.acl,
            ephemeral: (op.flags & CreateFlags.ephemeral) !== 0,
            sequential: (op.flags & CreateFlags.sequential) !== 0,
          });
          break;
        case 'delete':
        case 'check':
          converted.push({ type: op.op, path: op.path, version: op.version });
          break;
        case 'setData':
          converted.push({ type: 'setData', path: op.path, data: op.data, version: op.version });
          break;
        default:
          return ops.map(() => ({ type: OpCode.error, err: ZkCode.UNIMPLEMENTED }));
      }
    }
    const outcome = this.server.db.multi(converted, this.sessionId);
    if ('codes' in outcome) return outcome.codes.map((err) => ({ type: OpCode.error, err }));
    return outcome.results.map((r): MultiResult => {
      switch (r.type) {
        case 'create':
          return { type: OpCode.create, path: r.path };
        case 'delete':
          return { type: OpCode.delete };
        case 'setData':
          return { type: OpCode.setData, stat: r.stat };
        case 'check':
          return { type: OpCode.check };
      }
    });
  }
}

function frameOf(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + 4);
  new DataView(out.buffer).setInt32(0, payload.length);
  out.set(payload, 4);
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
