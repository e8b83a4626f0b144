// Jute, ZooKeeper's binary record format (BinaryOutputArchive / BinaryInputArchive), and the
// records of the client protocol from zookeeper.jute (3.4): big-endian ints and longs, a boolean
// as one byte, buffers and strings as an int length (-1 for null) then bytes (UTF-8 for strings),
// vectors as an int count (-1 for null) then the elements.
import type { ZkAcl, ZkStat } from './database.ts';

/** ZooDefs.OpCode */
export const OpCode = {
  notification: 0,
  create: 1,
  delete: 2,
  exists: 3,
  getData: 4,
  setData: 5,
  getACL: 6,
  setACL: 7,
  getChildren: 8,
  sync: 9,
  ping: 11,
  getChildren2: 12,
  check: 13,
  multi: 14,
  auth: 100,
  setWatches: 101,
  sasl: 102,
  createSession: -10,
  closeSession: -11,
  error: -1,
} as const;

/** Special xids (ClientCnxn): notifications, pings, auth and set-watches packets. */
export const Xid = {
  notification: -1,
  ping: -2,
  auth: -4,
  setWatches: -8,
} as const;

/** CreateMode flags in CreateRequest.flags. */
export const CreateFlags = {
  persistent: 0,
  ephemeral: 1,
  sequential: 2,
  ephemeralSequential: 3,
} as const;

export class JuteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JuteError';
  }
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

export class JuteWriter {
  private bytes = new Uint8Array(256);
  private view = new DataView(this.bytes.buffer);
  private length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }

  int(value: number): this {
    this.ensure(4);
    this.view.setInt32(this.length, value);
    this.length += 4;
    return this;
  }

  long(value: bigint | number): this {
    this.ensure(8);
    this.view.setBigInt64(this.length, BigInt.asIntN(64, BigInt(value)));
    this.length += 8;
    return this;
  }

  bool(value: boolean): this {
    this.ensure(1);
    this.bytes[this.length++] = value ? 1 : 0;
    return this;
  }

  raw(data: Uint8Array): this {
    this.ensure(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
    return this;
  }

  buffer(data: Uint8Array | null): this {
    if (data === null) return this.int(-1);
    return this.int(data.length).raw(data);
  }

  ustring(text: string | null): this {
    if (text === null) return this.int(-1);
    return this.buffer(utf8Encoder.encode(text));
  }

  vector<T>(items: readonly T[] | null, write: (w: this, item: T) => void): this {
    if (items === null) return this.int(-1);
    this.int(items.length);
    for (const item of items) write(this, item);
    return this;
  }

  stat(s: ZkStat): this {
    return this.long(s.czxid)
      .long(s.mzxid)
      .long(s.ctime)
      .long(s.mtime)
      .int(s.version)
      .int(s.cversion)
      .int(s.aversion)
      .long(s.ephemeralOwner)
      .int(s.dataLength)
      .int(s.numChildren)
      .long(s.pzxid);
  }

  acl(a: ZkAcl): this {
    return this.int(a.perms).ustring(a.scheme).ustring(a.id);
  }

  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  /** The bytes with the 4-byte length prefix every packet carries on the wire. */
  toFrame(): Uint8Array {
    const out = new Uint8Array(this.length + 4);
    new DataView(out.buffer).setInt32(0, this.length);
    out.set(this.bytes.subarray(0, this.length), 4);
    return out;
  }
}

export class JuteReader {
  private readonly view: DataView;
  offset: number;

  constructor(
    private readonly bytes: Uint8Array,
    offset = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private need(n: number): void {
    if (n < 0 || this.offset + n > this.bytes.length) {
      throw new JuteError(`record truncated: need ${n} bytes at ${this.offset} of ${this.bytes.length}`);
    }
  }

  int(): number {
    this.need(4);
    const v = this.view.getInt32(this.offset);
    this.offset += 4;
    return v;
  }

  long(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.offset);
    this.offset += 8;
    return v;
  }

  /** A long that is known to fit in a double (zxids, times). */
  longNumber(): number {
    return Number(this.long());
  }

  bool(): boolean {
    this.need(1);
    return this.bytes[this.offset++] !== 0;
  }

  buffer(): Uint8Array | null {
    const n = this.int();
    if (n === -1) return null;
    this.need(n);
    const out = this.bytes.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  ustring(): string | null {
    const b = this.buffer();
    return b === null ? null : utf8Decoder.decode(b);
  }

  vector<T>(read: (r: this) => T): T[] | null {
    const n = this.int();
    if (n === -1) return null;
    if (n < 0 || n > this.remaining) throw new JuteError(`bad vector length ${n}`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(read(this));
    return out;
  }

  stat(): ZkStat {
    return {
      czxid: this.longNumber(),
      mzxid: this.longNumber(),
      ctime: this.longNumber(),
      mtime: this.longNumber(),
      version: this.int(),
      cversion: this.int(),
      aversion: this.int(),
      ephemeralOwner: this.long(),
      dataLength: this.int(),
      numChildren: this.int(),
      pzxid: this.longNumber(),
    };
  }

  acl(): ZkAcl {
    return { perms: this.int(), scheme: this.ustring() ?? '', id: this.ustring() ?? '' };
  }
}

// ------------------------------------------------------------------ records

export interface ConnectRequest {
  protocolVersion: number;
  lastZxidSeen: bigint;
  timeOut: number;
  sessionId: bigint;
  passwd: Uint8Array;
  /** Present only when the client sent the trailing byte (3.4 clients do; older ones and
   *  node-zookeeper-client do not). The server answers with the byte only if it was sent. */
  readOnly?: boolean;
}

export function encodeConnectRequest(r: ConnectRequest): Uint8Array {
  const w = new JuteWriter().int(r.protocolVersion).long(r.lastZxidSeen).int(r.timeOut).long(r.sessionId);
  w.buffer(r.passwd);
  if (r.readOnly !== undefined) w.bool(r.readOnly);
  return w.toBytes();
}

export function decodeConnectRequest(bytes: Uint8Array): ConnectRequest {
  const r = new JuteReader(bytes);
  const req: ConnectRequest = {
    protocolVersion: r.int(),
    lastZxidSeen: r.long(),
    timeOut: r.int(),
    sessionId: r.long(),
    passwd: r.buffer() ?? new Uint8Array(0),
  };
  // ZooKeeperServer.processConnectRequest: the byte is optional ("old client" without it).
  if (r.remaining >= 1) req.readOnly = r.bool();
  return req;
}

export interface ConnectResponse {
  protocolVersion: number;
  timeOut: number;
  sessionId: bigint;
  passwd: Uint8Array;
  readOnly?: boolean;
}

export function encodeConnectResponse(r: ConnectResponse): Uint8Array {
  const w = new JuteWriter().int(r.protocolVersion).int(r.timeOut).long(r.sessionId).buffer(r.passwd);
  if (r.readOnly !== undefined) w.bool(r.readOnly);
  return w.toBytes();
}

export function decodeConnectResponse(bytes: Uint8Array): ConnectResponse {
  const r = new JuteReader(bytes);
  const res: ConnectResponse = {
    protocolVersion: r.int(),
    timeOut: r.int(),
    sessionId: r.long(),
    passwd: r.buffer() ?? new Uint8Array(0),
  };
  if (r.remaining >= 1) res.readOnly = r.bool();
  return res;
}

export interface RequestHeader {
  xid: number;
  type: number;
}

export interface ReplyHeader {
  xid: number;
  zxid: bigint | number;
  err: number;
}

export function writeReplyHeader(w: JuteWriter, h: ReplyHeader): JuteWriter {
  return w.int(h.xid).long(h.zxid).int(h.err);
}

export function readReplyHeader(r: JuteReader): { xid: number; zxid: bigint; err: number } {
  return { xid: r.int(), zxid: r.long(), err: r.int() };
}

export interface WatcherEvent {
  type: number;
  state: number;
  path: string;
}

export function writeWatcherEvent(w: JuteWriter, e: WatcherEvent): JuteWriter {
  return w.int(e.type).int(e.state).ustring(e.path);
}

export function readWatcherEvent(r: JuteReader): WatcherEvent {
  return { type: r.int(), state: r.int(), path: r.ustring() ?? '' };
}

/** Client requests after the header, by op code. */
export type ZkRequest =
  | { op: 'create'; path: string; data: Uint8Array; acl: ZkAcl[]; flags: number }
  | { op: 'delete'; path: string; version: number }
  | { op: 'exists'; path: string; watch: boolean }
  | { op: 'getData'; path: string; watch: boolean }
  | { op: 'setData'; path: string; data: Uint8Array; version: number }
  | { op: 'getACL'; path: string }
  | { op: 'setACL'; path: string; acl: ZkAcl[]; version: number }
  | { op: 'getChildren'; path: string; watch: boolean }
  | { op: 'getChildren2'; path: string; watch: boolean }
  | { op: 'sync'; path: string }
  | { op: 'check'; path: string; version: number }
  | { op: 'ping' }
  | { op: 'closeSession' }
  | { op: 'auth'; type: number; scheme: string; auth: Uint8Array }
  | {
      op: 'setWatches';
      relativeZxid: bigint;
      dataWatches: string[];
      existWatches: string[];
      childWatches: string[];
    }
  | { op: 'multi'; ops: ZkRequest[] }
  | { op: 'unknown'; type: number };

const str = (r: JuteReader) => r.ustring() ?? '';

/** Reads one operation body (shared by plain requests and multi sub-operations). */
function readOp(type: number, r: JuteReader): ZkRequest {
  switch (type) {
    case OpCode.create:
      return {
        op: 'create',
        path: str(r),
        data: r.buffer() ?? new Uint8Array(0),
        acl: r.vector((x) => x.acl()) ?? [],
        flags: r.int(),
      };
    case OpCode.delete:
      return { op: 'delete', path: str(r), version: r.int() };
    case OpCode.exists:
      return { op: 'exists', path: str(r), watch: r.bool() };
    case OpCode.getData:
      return { op: 'getData', path: str(r), watch: r.bool() };
    case OpCode.setData:
      return { op: 'setData', path: str(r), data: r.buffer() ?? new Uint8Array(0), version: r.int() };
    case OpCode.getACL:
      return { op: 'getACL', path: str(r) };
    case OpCode.setACL:
      return { op: 'setACL', path: str(r), acl: r.vector((x) => x.acl()) ?? [], version: r.int() };
    case OpCode.getChildren:
      return { op: 'getChildren', path: str(r), watch: r.bool() };
    case OpCode.getChildren2:
      return { op: 'getChildren2', path: str(r), watch: r.bool() };
    case OpCode.sync:
      return { op: 'sync', path: str(r) };
    case OpCode.check:
      return { op: 'check', path: str(r), version: r.int() };
    case OpCode.ping:
      return { op: 'ping' };
    case OpCode.closeSession:
      return { op: 'closeSession' };
    case OpCode.auth:
      return { op: 'auth', type: r.int(), scheme: str(r), auth: r.buffer() ?? new Uint8Array(0) };
    case OpCode.setWatches:
      return {
        op: 'setWatches',
        relativeZxid: r.long(),
        dataWatches: r.vector(str) ?? [],
        existWatches: r.vector(str) ?? [],
        childWatches: r.vector(str) ?? [],
      };
    case OpCode.multi: {
      // MultiTransactionRecord: (MultiHeader, op)* ended by a MultiHeader with done = true.
      const ops: ZkRequest[] = [];
      for (;;) {
        const opType = r.int();
        const done = r.bool();
        r.int(); // err, -1 in requests
        if (done) break;
        ops.push(readOp(opType, r));
      }
      return { op: 'multi', ops };
    }
    default:
      return { op: 'unknown', type };
  }
}

/** Decodes a request packet (without its length prefix): RequestHeader then the body. */
export function decodeRequest(bytes: Uint8Array): { header: RequestHeader; request: ZkRequest } {
  const r = new JuteReader(bytes);
  const header = { xid: r.int(), type: r.int() };
  return { header, request: readOp(header.type, r) };
}

const opCodeOf: Record<ZkRequest['op'], number> = {
  create: OpCode.create,
  delete: OpCode.delete,
  exists: OpCode.exists,
  getData: OpCode.getData,
  setData: OpCode.setData,
  getACL: OpCode.getACL,
  setACL: OpCode.setACL,
  getChildren: OpCode.getChildren,
  getChildren2: OpCode.getChildren2,
  sync: OpCode.sync,
  check: OpCode.check,
  ping: OpCode.ping,
  closeSession: OpCode.closeSession,
  auth: OpCode.auth,
  setWatches: OpCode.setWatches,
  multi: OpCode.multi,
  unknown: 0,
};

function writeOp(w: JuteWriter, req: ZkRequest): void {
  switch (req.op) {
    case 'create':
      w.ustring(req.path)
        .buffer(req.data)
        .vector(req.acl, (x, a) => x.acl(a))
        .int(req.flags);
      return;
    case 'delete':
    case 'check':
      w.ustring(req.path).int(req.version);
      return;
    case 'exists':
    case 'getData':
    case 'getChildren':
    case 'getChildren2':
      w.ustring(req.path).bool(req.watch);
      return;
    case 'setData':
      w.ustring(req.path).buffer(req.data).int(req.version);
      return;
    case 'getACL':
    case 'sync':
      w.ustring(req.path);
      return;
    case 'setACL':
      w.ustring(req.path)
        .vector(req.acl, (x, a) => x.acl(a))
        .int(req.version);
      return;
    case 'auth':
      w.int(req.type).ustring(req.scheme).buffer(req.auth);
      return;
    case 'setWatches':
      w.long(req.relativeZxid)
        .vector(req.dataWatches, (x, s) => x.ustring(s))
        .vector(req.existWatches, (x, s) => x.ustring(s))
        .vector(req.childWatches, (x, s) => x.ustring(s));
      return;
    case 'multi':
      for (const op of req.ops) {
        w.int(opCodeOf[op.op]).bool(false).int(-1);
        writeOp(w, op);
      }
      w.int(-1).bool(true).int(-1);
      return;
    case 'ping':
    case 'closeSession':
    case 'unknown':
      return;
  }
}

/** Encodes a request packet (what a client sends), without the length prefix. */
export function encodeRequest(xid: number, req: ZkRequest): Uint8Array {
  const type = req.op === 'unknown' ? req.type : opCodeOf[req.op];
  const w = new JuteWriter().int(xid).int(type);
  writeOp(w, req);
  return w.toBytes();
}

/** Response bodies that follow a ReplyHeader with err 0. */
export type ZkResponse =
  | { op: 'create'; path: string }
  | { op: 'stat'; stat: ZkStat } // exists, setData, setACL
  | { op: 'getData'; data: Uint8Array; stat: ZkStat }
  | { op: 'getChildren'; children: string[] }
  | { op: 'getChildren2'; children: string[]; stat: ZkStat }
  | { op: 'getACL'; acl: ZkAcl[]; stat: ZkStat }
  | { op: 'sync'; path: string }
  | { op: 'multi'; results: MultiResult[] }
  | { op: 'empty' };

/** One result of a multi: the op code of the result record and its body. */
export type MultiResult =
  | { type: typeof OpCode.create; path: string }
  | { type: typeof OpCode.delete }
  | { type: typeof OpCode.setData; stat: ZkStat }
  | { type: typeof OpCode.check }
  | { type: typeof OpCode.error; err: number };

export function writeResponse(w: JuteWriter, res: ZkResponse): JuteWriter {
  switch (res.op) {
    case 'create':
    case 'sync':
      return w.ustring(res.path);
    case 'stat':
      return w.stat(res.stat);
    case 'getData':
      return w.buffer(res.data).stat(res.stat);
    case 'getChildren':
      return w.vector(res.children, (x, s) => x.ustring(s));
    case 'getChildren2':
      return w.vector(res.children, (x, s) => x.ustring(s)).stat(res.stat);
    case 'getACL':
      return w.vector(res.acl, (x, a) => x.acl(a)).stat(res.stat);
    case 'multi':
      // MultiResponse: (MultiHeader{type, done=false, err}, body)* then {-1, true, -1}.
      for (const result of res.results) {
        const err = result.type === OpCode.error ? result.err : 0;
        w.int(result.type).bool(false).int(err);
        if (result.type === OpCode.create) w.ustring(result.path);
        else if (result.type === OpCode.setData) w.stat(result.stat);
        else if (result.type === OpCode.error) w.int(result.err);
      }
      return w.int(-1).bool(true).int(-1);
    case 'empty':
      return w;
  }
}

/** Encodes a full response packet (header + optional body) with its length prefix. */
export function encodeReply(header: ReplyHeader, body?: ZkResponse): Uint8Array {
  const w = writeReplyHeader(new JuteWriter(), header);
  if (body) writeResponse(w, body);
  return w.toFrame();
}

/** Encodes a watch notification packet (xid -1, zxid -1) with its length prefix. */
export function encodeNotification(event: WatcherEvent): Uint8Array {
  const w = writeReplyHeader(new JuteWriter(), { xid: Xid.notification, zxid: -1n, err: 0 });
  return writeWatcherEvent(w, event).toFrame();
}
