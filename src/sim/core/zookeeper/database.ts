// The simulated ZooKeeper 3.4.6 standalone server state: the data tree, the sessions and the
// watches. Behaviour follows ZooKeeper 3.4 (DataTree, PrepRequestProcessor, SessionTrackerImpl,
// WatchManager): every write (even one that fails validation) takes the next zxid, the sequence
// suffix of a sequential node is the parent's cversion as 10 zero-padded digits, ephemeral nodes
// belong to a session and vanish when it closes or expires, watches are one-shot.
// Pure TypeScript: time comes from the injected Clock.
import type { Clock, TimerHandle } from '../clock.ts';
import type { ZkAccess } from '../service.ts';
import { ZkCode, ZkError } from './errors.ts';

export interface ZkStat {
  czxid: number;
  mzxid: number;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  /** Session id owning an ephemeral node; 0n for persistent nodes. */
  ephemeralOwner: bigint;
  dataLength: number;
  numChildren: number;
  pzxid: number;
}

export interface ZkAcl {
  perms: number;
  scheme: string;
  id: string;
}

/** ZooDefs.Ids.OPEN_ACL_UNSAFE: world:anyone with every permission (ALL = 31). */
export const OPEN_ACL_UNSAFE: readonly ZkAcl[] = [{ perms: 31, scheme: 'world', id: 'anyone' }];

/** Watcher.Event.EventType values as they travel in WatcherEvent.type. */
export const ZkEventType = {
  None: -1,
  NodeCreated: 1,
  NodeDeleted: 2,
  NodeDataChanged: 3,
  NodeChildrenChanged: 4,
} as const;

/** Watcher.Event.KeeperState values. */
export const ZkKeeperState = {
  Disconnected: 0,
  SyncConnected: 3,
  AuthFailed: 4,
  ConnectedReadOnly: 5,
  Expired: -112,
} as const;

export interface ZkWatchedEvent {
  type: number;
  state: number;
  path: string;
}

/** A watcher is identified by the function object: the same function watching the same path
 *  twice is notified once (WatchManager keeps a set per path). */
export type ZkWatcher = (event: ZkWatchedEvent) => void;

export interface ZkSessionInfo {
  id: bigint;
  /** Negotiated timeout in milliseconds. */
  timeout: number;
  password: Uint8Array;
}

export interface ZkDatabaseOptions {
  /** zoo.cfg tickTime; the reference stack uses 2000. */
  tickTime?: number;
  /** Defaults to 2 × tickTime, as in 3.4. */
  minSessionTimeout?: number;
  /** Defaults to 20 × tickTime, as in 3.4. */
  maxSessionTimeout?: number;
}

/** A node keeps the stat fields it owns; dataLength and numChildren are derived when a stat is read. */
interface ZNode extends Omit<ZkStat, 'dataLength' | 'numChildren'> {
  data: Uint8Array;
  acl: ZkAcl[];
  children: Set<string>;
}

/** An empty node with zeroed stats, as the tree's fixed nodes start. */
function blankNode(acl: ZkAcl[]): ZNode {
  return {
    data: new Uint8Array(0),
    acl,
    czxid: 0,
    mzxid: 0,
    ctime: 0,
    mtime: 0,
    version: 0,
    cversion: 0,
    aversion: 0,
    ephemeralOwner: 0n,
    pzxid: 0,
    children: new Set(),
  };
}

interface Session {
  id: bigint;
  timeout: number;
  /** When the session expires unless touched again (already rounded up to a tick). */
  expiresAt: number;
  closing: boolean;
}

/** One entry of a persisted snapshot. `data` is base64. */
export interface ZkSnapshotNode {
  path: string;
  data: string;
  czxid: number;
  mzxid: number;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  pzxid: number;
  acl?: ZkAcl[];
}

export interface ZkSnapshot {
  format: 'zk-sim/1';
  zxid: number;
  nodes: ZkSnapshotNode[];
}

export type MultiOp =
  | {
      type: 'create';
      path: string;
      data: Uint8Array;
      ephemeral: boolean;
      sequential: boolean;
      acl?: readonly ZkAcl[];
    }
  | { type: 'delete'; path: string; version: number }
  | { type: 'setData'; path: string; data: Uint8Array; version: number }
  | { type: 'check'; path: string; version: number };

export type MultiOpResult =
  | { type: 'create'; path: string }
  | { type: 'delete' }
  | { type: 'setData'; stat: ZkStat }
  | { type: 'check' };

export interface CreateOptions {
  ephemeralOwner?: bigint;
  sequential?: boolean;
  acl?: readonly ZkAcl[];
}

// Paths ZooKeeper keeps for itself; they cannot be deleted (DataTree.isSpecialPath).
const SPECIAL_PATHS = new Set(['/', '/zookeeper', '/zookeeper/quota']);

/** PathUtils.validatePath: absolute, no empty, "." or ".." segments, no trailing slash, no
 *  control or reserved characters. Throws BADARGUMENTS. */
export function validatePath(path: string, sequential = false): void {
  const check = sequential ? path + '1' : path;
  const bad = () => new ZkError(ZkCode.BADARGUMENTS, path);
  if (check.length === 0 || check[0] !== '/') throw bad();
  if (check.length === 1) return;
  if (check.endsWith('/')) throw bad();
  for (const segment of check.slice(1).split('/')) {
    if (segment === '' || segment === '.' || segment === '..') throw bad();
  }
  for (const ch of check) {
    const c = ch.codePointAt(0) ?? 0;
    if (
      c === 0 ||
      (c > 0x00 && c <= 0x1f) ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0xd800 && c <= 0xf8ff) ||
      (c >= 0xfff0 && c <= 0xffff)
    ) {
      throw bad();
    }
  }
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const MASK64 = (1n << 64n) - 1n;

export class ZkDatabase {
  readonly tickTime: number;
  readonly minSessionTimeout: number;
  readonly maxSessionTimeout: number;

  private nodes = new Map<string, ZNode>();
  private ephemerals = new Map<bigint, Set<string>>();
  private dataWatches = new Map<string, Set<ZkWatcher>>();
  private childWatches = new Map<string, Set<ZkWatcher>>();
  private sessions = new Map<bigint, Session>();
  /** Ephemeral owners named by in-process services (ZkAccess), mapped to pseudo session ids. */
  private namedOwners = new Map<string, bigint>();
  private namedOwnerIds = new Set<bigint>();
  private expiryListeners = new Set<(sessionId: bigint) => void>();
  private expiryTimer: TimerHandle | undefined;
  private expiryTimerAt = Infinity;
  private suspended = false;
  private nextSessionId: bigint;
  private lastZxid = 0;
  /** While a multi is applied, every operation shares its single zxid. */
  private batchZxid: number | undefined;

  constructor(
    readonly clock: Clock,
    options: ZkDatabaseOptions = {},
  ) {
    this.tickTime = options.tickTime ?? 2000;
    this.minSessionTimeout = options.minSessionTimeout ?? 2 * this.tickTime;
    this.maxSessionTimeout = options.maxSessionTimeout ?? 20 * this.tickTime;
    this.nextSessionId = this.initialSessionId();
    this.resetTree();
  }

  // ---------------------------------------------------------------- zxid and counters

  /** The last zxid processed (what `stat` prints as Zxid and replies carry). */
  get zxid(): number {
    return this.lastZxid;
  }

  private nextZxid(): number {
    if (this.batchZxid !== undefined) return this.batchZxid;
    return ++this.lastZxid;
  }

  /** DataTree.getNodeCount: the root is stored under two keys ("" and "/"), so a fresh server
   *  with /, /zookeeper and /zookeeper/quota reports 4. */
  get nodeCount(): number {
    return this.nodes.size + 1;
  }

  get watchCount(): number {
    let n = 0;
    for (const set of this.dataWatches.values()) n += set.size;
    for (const set of this.childWatches.values()) n += set.size;
    return n;
  }

  get ephemeralsCount(): number {
    let n = 0;
    for (const set of this.ephemerals.values()) n += set.size;
    return n;
  }

  /** DataTree.approximateDataSize: path length plus data length of every node (root twice). */
  get approximateDataSize(): number {
    let n = 0;
    for (const [path, node] of this.nodes) {
      n += path.length + node.data.length;
      if (path === '/') n += node.data.length; // the "" alias
    }
    return n;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  // ---------------------------------------------------------------- tree

  private resetTree(): void {
    this.nodes.clear();
    this.ephemerals.clear();
    const blank = () => blankNode([...OPEN_ACL_UNSAFE]);
    const root = blank();
    const zk = blank();
    const quota = blank();
    root.children.add('zookeeper');
    zk.children.add('quota');
    this.nodes.set('/', root);
    this.nodes.set('/zookeeper', zk);
    this.nodes.set('/zookeeper/quota', quota);
  }

  private statOf(node: ZNode): ZkStat {
    return {
      czxid: node.czxid,
      mzxid: node.mzxid,
      ctime: node.ctime,
      mtime: node.mtime,
      version: node.version,
      cversion: node.cversion,
      aversion: node.aversion,
      ephemeralOwner: node.ephemeralOwner,
      dataLength: node.data.length,
      numChildren: node.children.size,
      pzxid: node.pzxid,
    };
  }

  private nodeOrThrow(path: string): ZNode {
    const node = this.nodes.get(path);
    if (!node) throw new ZkError(ZkCode.NONODE, path);
    return node;
  }

  /** Creates a node; returns its actual path (with the sequence suffix when sequential).
   *  Checks in the order PrepRequestProcessor does: path, ACL, parent, existence, ephemeral parent. */
  create(path: string, data: Uint8Array, options: CreateOptions = {}): string {
    const zxid = this.nextZxid();
    const sequential = options.sequential ?? false;
    const owner = options.ephemeralOwner ?? 0n;
    validatePath(path, sequential);
    const acl = options.acl ?? OPEN_ACL_UNSAFE;
    if (acl.length === 0) throw new ZkError(ZkCode.INVALIDACL, path);
    const parentPath = parentOf(path);
    const parent = this.nodeOrThrow(parentPath);
    let actual = path;
    if (sequential) actual = path + String(parent.cversion).padStart(10, '0');
    validatePath(actual);
    if (this.nodes.has(actual)) throw new ZkError(ZkCode.NODEEXISTS, actual);
    if (parent.ephemeralOwner !== 0n) throw new ZkError(ZkCode.NOCHILDRENFOREPHEMERALS, actual);
    if (owner !== 0n && !this.sessions.has(owner) && !this.namedOwnerIds.has(owner)) {
      throw new ZkError(ZkCode.SESSIONEXPIRED, actual);
    }
    const now = this.clock.now();
    const node: ZNode = {
      data: data.slice(),
      acl: acl.map((a) => ({ ...a })),
      czxid: zxid,
      mzxid: zxid,
      ctime: now,
      mtime: now,
      version: 0,
      cversion: 0,
      aversion: 0,
      ephemeralOwner: owner,
      pzxid: zxid,
      children: new Set(),
    };
    parent.cversion++;
    parent.pzxid = zxid;
    parent.children.add(nameOf(actual));
    this.nodes.set(actual, node);
    if (owner !== 0n) {
      let set = this.ephemerals.get(owner);
      if (!set) this.ephemerals.set(owner, (set = new Set()));
      set.add(actual);
    }
    this.trigger(this.dataWatches, actual, ZkEventType.NodeCreated);
    this.trigger(this.childWatches, parentPath, ZkEventType.NodeChildrenChanged);
    return actual;
  }

  /** Deletes a node; version -1 matches any version. */
  delete(path: string, version = -1): void {
    this.nextZxid();
    validatePath(path);
    if (SPECIAL_PATHS.has(path)) throw new ZkError(ZkCode.BADARGUMENTS, path);
    this.nodeOrThrow(parentOf(path));
    const node = this.nodeOrThrow(path);
    if (version !== -1 && node.version !== version) throw new ZkError(ZkCode.BADVERSION, path);
    if (node.children.size > 0) throw new ZkError(ZkCode.NOTEMPTY, path);
    this.removeNode(path, this.lastZxid);
  }

  private removeNode(path: string, zxid: number): void {
    const node = this.nodes.get(path);
    if (!node) return;
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath);
    this.nodes.delete(path);
    if (parent) {
      // 3.4 DataTree.deleteNode updates only the parent's pzxid: cversion counts creations,
      // so a sequence number is never reused.
      parent.children.delete(nameOf(path));
      parent.pzxid = zxid;
    }
    if (node.ephemeralOwner !== 0n) this.ephemerals.get(node.ephemeralOwner)?.delete(path);
    const notified = this.trigger(this.dataWatches, path, ZkEventType.NodeDeleted);
    this.trigger(this.childWatches, path, ZkEventType.NodeDeleted, notified);
    this.trigger(this.childWatches, parentPath, ZkEventType.NodeChildrenChanged);
  }

  /** Replaces a node's data; version -1 matches any version. Returns the new stat. */
  setData(path: string, data: Uint8Array, version = -1): ZkStat {
    const zxid = this.nextZxid();
    validatePath(path);
    const node = this.nodeOrThrow(path);
    if (version !== -1 && node.version !== version) throw new ZkError(ZkCode.BADVERSION, path);
    node.data = data.slice();
    node.version++;
    node.mzxid = zxid;
    node.mtime = this.clock.now();
    this.trigger(this.dataWatches, path, ZkEventType.NodeDataChanged);
    return this.statOf(node);
  }

  /** Reads a node. A watcher is registered only when the node exists (DataTree.getData). */
  getData(path: string, watcher?: ZkWatcher): { data: Uint8Array; stat: ZkStat } {
    validatePath(path);
    const node = this.nodeOrThrow(path);
    if (watcher) this.addWatch(this.dataWatches, path, watcher);
    return { data: node.data.slice(), stat: this.statOf(node) };
  }

  /** The node's stat, or null. A watcher is registered even when the node does not exist,
   *  so it fires on creation (DataTree.statNode). */
  exists(path: string, watcher?: ZkWatcher): ZkStat | null {
    validatePath(path);
    if (watcher) this.addWatch(this.dataWatches, path, watcher);
    const node = this.nodes.get(path);
    return node ? this.statOf(node) : null;
  }

  /** Child names (sorted; the real server returns hash order, which nobody may rely on). */
  getChildren(path: string, watcher?: ZkWatcher): { children: string[]; stat: ZkStat } {
    validatePath(path);
    const node = this.nodeOrThrow(path);
    if (watcher) this.addWatch(this.childWatches, path, watcher);
    return { children: [...node.children].sort(), stat: this.statOf(node) };
  }

  getAcl(path: string): { acl: ZkAcl[]; stat: ZkStat } {
    validatePath(path);
    const node = this.nodeOrThrow(path);
    return { acl: node.acl.map((a) => ({ ...a })), stat: this.statOf(node) };
  }

  setAcl(path: string, acl: readonly ZkAcl[], version = -1): ZkStat {
    this.nextZxid();
    validatePath(path);
    if (acl.length === 0) throw new ZkError(ZkCode.INVALIDACL, path);
    const node = this.nodeOrThrow(path);
    if (version !== -1 && node.aversion !== version) throw new ZkError(ZkCode.BADVERSION, path);
    node.acl = acl.map((a) => ({ ...a }));
    node.aversion++;
    return this.statOf(node);
  }

  /** Runs a multi-operation transaction: all operations apply under one zxid, or none does.
   *  Like PrepRequestProcessor, the operations are first checked in order against a view of
   *  the tree that includes the earlier operations' effects. Returns one code per operation:
   *  0 before the failing one, its error code, RUNTIMEINCONSISTENCY after it. */
  multi(ops: MultiOp[], ephemeralOwner: bigint): { results: MultiOpResult[] } | { codes: number[] } {
    const zxid = this.nextZxid();
    const view = new Map<
      string,
      { exists: boolean; version: number; numChildren: number; cversion: number; owner: bigint }
    >();
    const rec = (path: string) => {
      let r = view.get(path);
      if (!r) {
        const n = this.nodes.get(path);
        r = n
          ? {
              exists: true,
              version: n.version,
              numChildren: n.children.size,
              cversion: n.cversion,
              owner: n.ephemeralOwner,
            }
          : { exists: false, version: 0, numChildren: 0, cversion: 0, owner: 0n };
        view.set(path, r);
      }
      return r;
    };
    const fail = (i: number, code: number) => ({
      codes: ops.map((_, j) => (j < i ? ZkCode.OK : j === i ? code : ZkCode.RUNTIMEINCONSISTENCY)),
    });
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      try {
        validatePath(op.path, op.type === 'create' && op.sequential);
        if (op.type === 'create') {
          if ((op.acl ?? OPEN_ACL_UNSAFE).length === 0) throw new ZkError(ZkCode.INVALIDACL);
          const parent = rec(parentOf(op.path));
          if (!parent.exists) throw new ZkError(ZkCode.NONODE);
          const actual = op.sequential ? op.path + String(parent.cversion).padStart(10, '0') : op.path;
          const node = rec(actual);
          if (node.exists) throw new ZkError(ZkCode.NODEEXISTS);
          if (parent.owner !== 0n) throw new ZkError(ZkCode.NOCHILDRENFOREPHEMERALS);
          parent.cversion++;
          parent.numChildren++;
          Object.assign(node, {
            exists: true,
            version: 0,
            numChildren: 0,
            cversion: 0,
            owner: op.ephemeral ? ephemeralOwner : 0n,
          });
        } else {
          const node = rec(op.path);
          if (op.type === 'delete') {
            if (SPECIAL_PATHS.has(op.path)) throw new ZkError(ZkCode.BADARGUMENTS);
            if (!rec(parentOf(op.path)).exists) throw new ZkError(ZkCode.NONODE);
          }
          if (!node.exists) throw new ZkError(ZkCode.NONODE);
          if (op.version !== -1 && node.version !== op.version) throw new ZkError(ZkCode.BADVERSION);
          if (op.type === 'delete') {
            if (node.numChildren > 0) throw new ZkError(ZkCode.NOTEMPTY);
            node.exists = false;
            const parent = rec(parentOf(op.path));
            parent.numChildren--;
          } else if (op.type === 'setData') {
            node.version++;
          }
        }
      } catch (error) {
        if (error instanceof ZkError) return fail(i, error.code);
        throw error;
      }
    }
    this.batchZxid = zxid;
    try {
      const results: MultiOpResult[] = ops.map((op) => {
        switch (op.type) {
          case 'create':
            return {
              type: 'create',
              path: this.create(op.path, op.data, {
                sequential: op.sequential,
                ephemeralOwner: op.ephemeral ? ephemeralOwner : 0n,
                acl: op.acl,
              }),
            };
          case 'delete':
            this.delete(op.path, op.version);
            return { type: 'delete' };
          case 'setData':
            return { type: 'setData', stat: this.setData(op.path, op.data, op.version) };
          case 'check':
            return { type: 'check' };
        }
      });
      return { results };
    } finally {
      this.batchZxid = undefined;
    }
  }

  /** Every path in the tree, sorted (for tests and the `dump` view). */
  paths(): string[] {
    return [...this.nodes.keys()].sort();
  }

  /** Paths of the ephemeral nodes of a session (what `dump` lists). */
  ephemeralPaths(owner: bigint): string[] {
    return [...(this.ephemerals.get(owner) ?? [])].sort();
  }

  /** DataTree.ephemerals as `dump` prints it: every owner that has had ephemeral nodes and
   *  whose session has not ended (its set may be empty). */
  ephemeralsByOwner(): [bigint, string[]][] {
    return [...this.ephemerals].map(([owner, set]) => [owner, [...set].sort()]);
  }

  /** Live sessions and the time each expires unless touched, rounded to a tick as the
   *  session tracker's buckets are. In-process owners count as sessions kept alive by pings
   *  (ASSUMPTION: a 10 s session timeout, the default of Mesos, Marathon and Chronos). */
  sessionExpiries(): { id: bigint; expiresAt: number }[] {
    const out = [...this.sessions.values()].map((s) => ({ id: s.id, expiresAt: s.expiresAt }));
    const pinged = this.roundToTick(this.clock.now() + 10_000);
    for (const id of this.namedOwnerIds) out.push({ id, expiresAt: pinged });
    return out;
  }

  /** The data watches (getData/exists), by path, as the `wch*` words report them (3.4.6
   *  reports only data watches there; child watches count in watchCount). */
  dataWatchTable(): [string, ZkWatcher[]][] {
    return [...this.dataWatches].map(([path, set]) => [path, [...set]]);
  }

  // ---------------------------------------------------------------- watches

  private addWatch(table: Map<string, Set<ZkWatcher>>, path: string, watcher: ZkWatcher): void {
    let set = table.get(path);
    if (!set) table.set(path, (set = new Set()));
    set.add(watcher);
  }

  /** WatchManager.triggerWatch: removes the path's watchers, then notifies each once. */
  private trigger(
    table: Map<string, Set<ZkWatcher>>,
    path: string,
    type: number,
    skip?: Set<ZkWatcher>,
  ): Set<ZkWatcher> {
    const set = table.get(path);
    if (!set) return new Set();
    table.delete(path);
    const event: ZkWatchedEvent = { type, state: ZkKeeperState.SyncConnected, path };
    for (const watcher of set) {
      if (skip?.has(watcher)) continue;
      watcher(event);
    }
    return set;
  }

  /** Forgets every registration of this watcher (a connection went away). */
  removeWatcher(watcher: ZkWatcher): void {
    for (const table of [this.dataWatches, this.childWatches]) {
      for (const [path, set] of table) {
        set.delete(watcher);
        if (set.size === 0) table.delete(path);
      }
    }
  }

  /** Re-registers watches after a client reconnects (SetWatches, DataTree.setWatches): a change
   *  newer than relativeZxid is reported at once instead of being watched. */
  setWatches(
    relativeZxid: number,
    dataWatches: string[],
    existWatches: string[],
    childWatches: string[],
    watcher: ZkWatcher,
  ): void {
    const fire = (type: number, path: string) => watcher({ type, state: ZkKeeperState.SyncConnected, path });
    for (const path of dataWatches) {
      const node = this.nodes.get(path);
      if (!node) fire(ZkEventType.NodeDeleted, path);
      else if (node.mzxid > relativeZxid) fire(ZkEventType.NodeDataChanged, path);
      else this.addWatch(this.dataWatches, path, watcher);
    }
    for (const path of existWatches) {
      if (this.nodes.has(path)) fire(ZkEventType.NodeCreated, path);
      else this.addWatch(this.dataWatches, path, watcher);
    }
    for (const path of childWatches) {
      const node = this.nodes.get(path);
      if (!node) fire(ZkEventType.NodeDeleted, path);
      else if (node.pzxid > relativeZxid) fire(ZkEventType.NodeChildrenChanged, path);
      else this.addWatch(this.childWatches, path, watcher);
    }
  }

  // ---------------------------------------------------------------- sessions

  /** SessionTrackerImpl.initializeNextSession with server id 1 (standalone): the time in ms
   *  shifted into bits 8..47 and the server id in the top byte. */
  private initialSessionId(): bigint {
    const t = ((BigInt(this.clock.now()) << 24n) & MASK64) >> 8n;
    return t | (1n << 56n);
  }

  /** Clamps a requested timeout to [min, max] as ZooKeeperServer.processConnectRequest does. */
  negotiateTimeout(requested: number): number {
    return Math.min(Math.max(requested, this.minSessionTimeout), this.maxSessionTimeout);
  }

  /** Opens a session (a createSession transaction). */
  createSession(requestedTimeout: number): ZkSessionInfo {
    const id = this.nextSessionId++;
    const timeout = this.negotiateTimeout(requestedTimeout);
    this.nextZxid();
    this.sessions.set(id, {
      id,
      timeout,
      expiresAt: this.roundToTick(this.clock.now() + timeout),
      closing: false,
    });
    this.scheduleExpiry();
    return { id, timeout, password: this.passwordFor(id) };
  }

  /** Re-attaches a client to its session (reconnect): true when the session lives and the
   *  password matches; the timeout is negotiated again. */
  reattachSession(id: bigint, password: Uint8Array, requestedTimeout: number): ZkSessionInfo | undefined {
    const session = this.sessions.get(id);
    if (!session || session.closing) return undefined;
    const expected = this.passwordFor(id);
    if (password.length !== expected.length || expected.some((b, i) => b !== password[i])) return undefined;
    session.timeout = this.negotiateTimeout(requestedTimeout);
    this.touchSession(id);
    return { id, timeout: session.timeout, password: expected };
  }

  /** Any packet from the client (including pings) pushes the expiry forward. */
  touchSession(id: bigint): boolean {
    const session = this.sessions.get(id);
    if (!session || session.closing) return false;
    session.expiresAt = this.roundToTick(this.clock.now() + session.timeout);
    return true;
  }

  hasSession(id: bigint): boolean {
    return this.sessions.has(id);
  }

  sessionIds(): bigint[] {
    return [...this.sessions.keys()];
  }

  /** Closes a session (closeSession transaction): its ephemeral nodes are deleted. */
  closeSession(id: bigint): void {
    if (!this.sessions.has(id)) return;
    this.sessions.delete(id);
    this.killOwner(id);
    this.scheduleExpiry();
  }

  /** The server went down: session expiry stops (the session tracker is not running). */
  suspendSessions(): void {
    this.suspended = true;
    this.expiryTimer?.cancel();
    this.expiryTimer = undefined;
    this.expiryTimerAt = Infinity;
  }

  /** The server is back: each session gets a full timeout from now to reconnect, as sessions
   *  reloaded from a snapshot do. */
  resumeSessions(): void {
    if (!this.suspended) return;
    this.suspended = false;
    for (const s of this.sessions.values()) s.expiresAt = this.roundToTick(this.clock.now() + s.timeout);
    this.scheduleExpiry();
  }

  /** Called with the id of each session that expires (not for ones closed by the client). */
  onSessionExpired(listener: (sessionId: bigint) => void): () => void {
    this.expiryListeners.add(listener);
    return () => this.expiryListeners.delete(listener);
  }

  private killOwner(owner: bigint): void {
    const zxid = this.nextZxid();
    const paths = [...(this.ephemerals.get(owner) ?? [])].sort();
    this.ephemerals.delete(owner);
    for (const path of paths) this.removeNode(path, zxid);
  }

  /** Deterministic 16-byte password derived from the session id (the real server seeds a
   *  Random with sessionId ^ a fixed secret; the bytes differ, the length and role do not). */
  private passwordFor(id: bigint): Uint8Array {
    let x = (id ^ 0xb3415c0ffee2181n) & MASK64;
    const out = new Uint8Array(16);
    for (let i = 0; i < 16; i++) {
      x ^= (x << 13n) & MASK64;
      x ^= x >> 7n;
      x ^= (x << 17n) & MASK64;
      out[i] = Number(x & 0xffn);
    }
    return out;
  }

  private roundToTick(t: number): number {
    return (Math.floor(t / this.tickTime) + 1) * this.tickTime;
  }

  private scheduleExpiry(): void {
    if (this.suspended) return;
    let earliest = Infinity;
    for (const s of this.sessions.values()) earliest = Math.min(earliest, s.expiresAt);
    if (earliest === this.expiryTimerAt) return;
    this.expiryTimer?.cancel();
    this.expiryTimer = undefined;
    this.expiryTimerAt = earliest;
    if (earliest === Infinity) return;
    this.expiryTimer = this.clock.setTimeout(
      () => {
        this.expiryTimer = undefined;
        this.expiryTimerAt = Infinity;
        this.expireDue();
      },
      Math.max(0, earliest - this.clock.now()),
    );
  }

  private expireDue(): void {
    const now = this.clock.now();
    const due = [...this.sessions.values()].filter((s) => s.expiresAt <= now);
    for (const s of due) {
      s.closing = true;
      this.sessions.delete(s.id);
      this.killOwner(s.id);
      for (const listener of this.expiryListeners) listener(s.id);
    }
    this.scheduleExpiry();
  }

  // ---------------------------------------------------------------- services and persistence

  /** The owner id for an in-process service's ephemeral nodes (a pseudo session that never
   *  times out; it ends with `expireOwner`). */
  ownerId(owner: string): bigint {
    let id = this.namedOwners.get(owner);
    if (id === undefined) {
      id = this.nextSessionId++;
      this.nextZxid(); // like createSession
      this.namedOwners.set(owner, id);
      this.namedOwnerIds.add(id);
    }
    return id;
  }

  /** The tree as the simulated services use it: no session, no watches.
   *  - create makes missing parents (persistent, empty) and throws NODEEXISTS if the node exists;
   *  - setData throws NONODE for a missing node; getData returns undefined for it;
   *  - children is sorted and [] for a missing node;
   *  - delete of a missing node does nothing; of a node with children throws NOTEMPTY;
   *  - expireOwner deletes the owner's ephemeral nodes, like its session ending. */
  access(): ZkAccess {
    return {
      create: (path, data, options = {}) => {
        validatePath(path, options.sequential);
        const parts = parentOf(path).split('/').filter(Boolean);
        let prefix = '';
        for (const part of parts) {
          prefix += '/' + part;
          if (!this.nodes.has(prefix)) this.create(prefix, new Uint8Array(0));
        }
        const owner = options.ephemeralOwner === undefined ? 0n : this.ownerId(options.ephemeralOwner);
        return this.create(path, data, { sequential: options.sequential, ephemeralOwner: owner });
      },
      setData: (path, data) => {
        this.setData(path, data);
      },
      getData: (path) => this.nodes.get(path)?.data.slice(),
      children: (path) => [...(this.nodes.get(path)?.children ?? [])].sort(),
      delete: (path) => {
        if (this.nodes.has(path)) this.delete(path);
      },
      exists: (path) => this.nodes.has(path),
      expireOwner: (owner) => {
        const id = this.namedOwners.get(owner);
        if (id === undefined) return;
        this.namedOwners.delete(owner);
        this.namedOwnerIds.delete(id);
        this.killOwner(id);
      },
    };
  }

  /** The persistent part of the tree (ephemeral nodes and sessions are not kept, as they do
   *  not survive a real restart either once their sessions time out). */
  serialize(): ZkSnapshot {
    const nodes: ZkSnapshotNode[] = [];
    for (const path of this.paths()) {
      const node = this.nodes.get(path)!;
      if (node.ephemeralOwner !== 0n) continue;
      if (SPECIAL_PATHS.has(path) && path !== '/') continue;
      const entry: ZkSnapshotNode = {
        path,
        data: toBase64(node.data),
        czxid: node.czxid,
        mzxid: node.mzxid,
        ctime: node.ctime,
        mtime: node.mtime,
        version: node.version,
        cversion: node.cversion,
        aversion: node.aversion,
        pzxid: node.pzxid,
      };
      if (!isOpenAcl(node.acl)) entry.acl = node.acl.map((a) => ({ ...a }));
      nodes.push(entry);
    }
    return { format: 'zk-sim/1', zxid: this.lastZxid, nodes };
  }

  /** Replaces the whole state with a snapshot: sessions end (without notifications), ephemeral
   *  nodes go, watches are dropped. */
  restore(snapshot: ZkSnapshot): void {
    if (snapshot?.format !== 'zk-sim/1' || !Array.isArray(snapshot.nodes)) {
      throw new Error('unknown ZooKeeper snapshot format');
    }
    this.sessions.clear();
    this.namedOwners.clear();
    this.namedOwnerIds.clear();
    this.dataWatches.clear();
    this.childWatches.clear();
    this.resetTree();
    this.scheduleExpiry();
    const sorted = [...snapshot.nodes].sort((a, b) => a.path.split('/').length - b.path.split('/').length);
    for (const entry of sorted) {
      const existing = this.nodes.get(entry.path);
      const node: ZNode = existing ?? blankNode([]);
      Object.assign(node, {
        data: fromBase64(entry.data),
        acl: (entry.acl ?? OPEN_ACL_UNSAFE).map((a) => ({ ...a })),
        czxid: entry.czxid,
        mzxid: entry.mzxid,
        ctime: entry.ctime,
        mtime: entry.mtime,
        version: entry.version,
        cversion: entry.cversion,
        aversion: entry.aversion,
        pzxid: entry.pzxid,
      });
      if (!existing) {
        const parent = this.nodes.get(parentOf(entry.path));
        if (!parent) continue; // orphan in a damaged snapshot: skip it
        parent.children.add(nameOf(entry.path));
        this.nodes.set(entry.path, node);
      }
    }
    this.lastZxid = snapshot.nodes.reduce((m, n) => Math.max(m, n.czxid, n.mzxid, n.pzxid), snapshot.zxid);
  }
}

function isOpenAcl(acl: ZkAcl[]): boolean {
  return acl.length === 1 && acl[0].perms === 31 && acl[0].scheme === 'world' && acl[0].id === 'anyone';
}
