// End to end: the simulated ZooKeeper on an ephemeral port, driven by the real npm client
// (node-zookeeper-client speaks the 3.4 protocol, without the read-only byte) and by raw
// sockets (four-letter words, the read-only byte, errors).
import { createRequire } from 'node:module';
import { connect as netConnect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RealClock } from '../core/clock.ts';
import { ZkDatabase } from '../core/zookeeper/database.ts';
import {
  decodeConnectResponse,
  encodeConnectRequest,
  encodeRequest,
  JuteReader,
  readReplyHeader,
} from '../core/zookeeper/jute.ts';
import { ZooKeeperServer } from './zookeeper-server.ts';

// node-zookeeper-client ships no types: the few calls used here, typed by hand.
type Cb<T> = (error: ZkClientError | null, value: T, extra?: unknown) => void;
interface ZkClientError extends Error {
  getCode(): number;
}
interface ZkClientEvent {
  getType(): number;
  getPath(): string;
}
interface ZkClientStat {
  version: number;
  cversion: number;
  numChildren: number;
  dataLength: number;
  ephemeralOwner: Buffer;
}
interface ZkClient {
  connect(): void;
  close(): void;
  once(event: 'connected' | 'disconnected' | 'expired', fn: () => void): void;
  getSessionId(): Buffer;
  create(path: string, data: Buffer | null, mode: number, cb: Cb<string>): void;
  remove(path: string, version: number, cb: (error: ZkClientError | null) => void): void;
  exists(path: string, watcher: ((e: ZkClientEvent) => void) | undefined, cb: Cb<ZkClientStat | null>): void;
  getData(
    path: string,
    watcher: ((e: ZkClientEvent) => void) | undefined,
    cb: (error: ZkClientError | null, data: Buffer, stat: ZkClientStat) => void,
  ): void;
  setData(path: string, data: Buffer, version: number, cb: Cb<ZkClientStat>): void;
  getChildren(
    path: string,
    watcher: ((e: ZkClientEvent) => void) | undefined,
    cb: (error: ZkClientError | null, children: string[], stat: ZkClientStat) => void,
  ): void;
  transaction(): {
    create(path: string, data?: Buffer, acls?: unknown, mode?: number): ReturnType<ZkClient['transaction']>;
    setData(path: string, data: Buffer, version?: number): ReturnType<ZkClient['transaction']>;
    remove(path: string, version?: number): ReturnType<ZkClient['transaction']>;
    check(path: string, version?: number): ReturnType<ZkClient['transaction']>;
    commit(
      cb: (error: ZkClientError | null, results: { type: number; err?: number; path?: string }[]) => void,
    ): void;
  };
}
interface ZkClientModule {
  createClient(connection: string, options?: Record<string, unknown>): ZkClient;
  CreateMode: {
    PERSISTENT: number;
    EPHEMERAL: number;
    PERSISTENT_SEQUENTIAL: number;
    EPHEMERAL_SEQUENTIAL: number;
  };
  Event: {
    NODE_CREATED: number;
    NODE_DELETED: number;
    NODE_DATA_CHANGED: number;
    NODE_CHILDREN_CHANGED: number;
  };
}
const zookeeper = createRequire(import.meta.url)('node-zookeeper-client') as ZkClientModule;
const { CreateMode, Event } = zookeeper;

function call<T>(fn: (cb: (error: ZkClientError | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((error, value) => (error ? reject(error) : resolve(value))));
}

function errorCode(promise: Promise<unknown>): Promise<number> {
  return promise.then(
    () => 0,
    (e: ZkClientError) => e.getCode(),
  );
}

async function connected(port: number): Promise<ZkClient> {
  const client = zookeeper.createClient(`127.0.0.1:${port}`, { sessionTimeout: 10_000, retries: 0 });
  await new Promise<void>((resolve) => {
    client.once('connected', resolve);
    client.connect();
  });
  return client;
}

/** Sends bytes on a fresh socket and collects everything until the server closes it. */
function rawExchange(port: number, payload: Uint8Array | string, keepOpenMs = 0): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = netConnect(port, '127.0.0.1', () => socket.write(payload));
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    if (keepOpenMs) setTimeout(() => socket.end(), keepOpenMs);
  });
}

function frame(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(payload.length + 4);
  out.writeInt32BE(payload.length, 0);
  Buffer.from(payload).copy(out, 4);
  return out;
}

const fourLetter = async (port: number, word: string) => (await rawExchange(port, word)).toString('utf8');

describe('ZooKeeperServer with node-zookeeper-client', () => {
  let db: ZkDatabase;
  let server: ZooKeeperServer;
  let port: number;
  const clients: ZkClient[] = [];

  beforeEach(async () => {
    db = new ZkDatabase(new RealClock());
    server = new ZooKeeperServer(db);
    port = await server.listen(0);
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server.close();
  });

  it('creates, reads, updates, lists and deletes znodes', async () => {
    const client = await connected(port);
    clients.push(client);
    expect(
      await call<string>((cb) => client.create('/app', Buffer.from('v1'), CreateMode.PERSISTENT, cb)),
    ).toBe('/app');
    const seq1 = await call<string>((cb) =>
      client.create('/app/job-', null, CreateMode.PERSISTENT_SEQUENTIAL, cb),
    );
    const seq2 = await call<string>((cb) =>
      client.create('/app/job-', null, CreateMode.EPHEMERAL_SEQUENTIAL, cb),
    );
    expect([seq1, seq2]).toEqual(['/app/job-0000000000', '/app/job-0000000001']);
    await call<string>((cb) => client.create('/app/live', Buffer.from('x'), CreateMode.EPHEMERAL, cb));

    const stat = await call<ZkClientStat | null>((cb) => client.exists('/app', undefined, cb));
    expect(stat).toMatchObject({ version: 0, numChildren: 3, cversion: 3, dataLength: 2 });
    expect(await call<ZkClientStat | null>((cb) => client.exists('/nope', undefined, cb))).toBeNull();

    const [data] = await new Promise<[Buffer, ZkClientStat]>((resolve, reject) =>
      client.getData('/app', undefined, (e, d, s) => (e ? reject(e) : resolve([d, s]))),
    );
    expect(data.toString()).toBe('v1');

    const updated = await call<ZkClientStat>((cb) => client.setData('/app', Buffer.from('v2'), 0, cb));
    expect(updated.version).toBe(1);
    expect(await errorCode(call((cb) => client.setData('/app', Buffer.from('v3'), 0, cb)))).toBe(-103);

    const [children, childStat] = await new Promise<[string[], ZkClientStat]>((resolve, reject) =>
      client.getChildren('/app', undefined, (e, c, s) => (e ? reject(e) : resolve([c, s]))),
    );
    expect([...children].sort()).toEqual(['job-0000000000', 'job-0000000001', 'live']);
    expect(childStat.numChildren).toBe(3);

    // the session id is the 8 bytes the server sent; ephemeral nodes carry it as their owner
    const owner = (await call<ZkClientStat | null>((cb) => client.exists('/app/live', undefined, cb)))!
      .ephemeralOwner;
    expect(owner.equals(client.getSessionId())).toBe(true);

    expect(await errorCode(call((cb) => client.create('/app', null, CreateMode.PERSISTENT, cb)))).toBe(-110);
    expect(await errorCode(call((cb) => client.create('/none/x', null, CreateMode.PERSISTENT, cb)))).toBe(
      -101,
    );
    expect(await errorCode(call((cb) => client.create('/app/live/x', null, CreateMode.PERSISTENT, cb)))).toBe(
      -108,
    );
    expect(
      await errorCode(new Promise((res, rej) => client.remove('/app', -1, (e) => (e ? rej(e) : res(0))))),
    ).toBe(-111);
    expect(
      await errorCode(new Promise((res, rej) => client.remove('/app/live', 5, (e) => (e ? rej(e) : res(0))))),
    ).toBe(-103);
    await new Promise<void>((res, rej) => client.remove('/app/live', -1, (e) => (e ? rej(e) : res())));
    expect(await call<ZkClientStat | null>((cb) => client.exists('/app/live', undefined, cb))).toBeNull();
  });

  it('delivers a watch once, and removes ephemeral nodes when the session closes', async () => {
    const a = await connected(port);
    const b = await connected(port);
    clients.push(b);
    await call<string>((cb) => a.create('/w', Buffer.from('1'), CreateMode.PERSISTENT, cb));
    await call<string>((cb) => a.create('/w/eph', null, CreateMode.EPHEMERAL, cb));

    const dataEvents: ZkClientEvent[] = [];
    let onData!: () => void;
    const fired = new Promise<void>((resolve) => (onData = resolve));
    // wait for the read (and so the watch) to be registered before changing the node
    await new Promise<void>((registered) =>
      b.getData(
        '/w',
        (e) => {
          dataEvents.push(e);
          onData();
        },
        () => registered(),
      ),
    );
    await call<ZkClientStat>((cb) => a.setData('/w', Buffer.from('2'), -1, cb));
    await fired;
    await call<ZkClientStat>((cb) => a.setData('/w', Buffer.from('3'), -1, cb));
    expect(dataEvents.map((e) => [e.getType(), e.getPath()])).toEqual([[Event.NODE_DATA_CHANGED, '/w']]);

    let onChild!: (e: ZkClientEvent) => void;
    const childEvent = new Promise<ZkClientEvent>((resolve) => (onChild = resolve));
    await new Promise<void>((registered) => b.getChildren('/w', onChild, () => registered()));
    a.close();
    const e = await childEvent;
    expect([e.getType(), e.getPath()]).toEqual([Event.NODE_CHILDREN_CHANGED, '/w']);
    const [children] = await new Promise<[string[]]>((resolve) =>
      b.getChildren('/w', undefined, (_e, c) => resolve([c])),
    );
    expect(children).toEqual([]);
    // a 3rd write still seen by b: one-shot watches did not fire again
    expect(dataEvents).toHaveLength(1);
  });

  it('runs a multi atomically', async () => {
    const client = await connected(port);
    clients.push(client);
    const ok = await call<{ type: number; path?: string }[]>((cb) =>
      client
        .transaction()
        .create('/t')
        .create('/t/a', Buffer.from('1'))
        .setData('/t', Buffer.from('x'))
        .commit(cb),
    );
    expect(ok.map((r) => r.type)).toEqual([1, 1, 5]);
    const code = await errorCode(
      call((cb) => client.transaction().create('/t/b').remove('/t/missing').create('/t/c').commit(cb)),
    );
    expect(code).toBe(-101);
    expect(await call<ZkClientStat | null>((cb) => client.exists('/t/b', undefined, cb))).toBeNull();
  });

  it('lets a standard client read the leading master from /mesos/json.info_NNNNNNNNNN', async () => {
    const info = {
      address: { hostname: 'mesos-master', ip: '127.0.0.1', port: 5050 },
      hostname: 'mesos-master',
      id: 'a1b2c3d4-0000-0000-0000-000000000001',
      ip: 16777343,
      pid: 'master@127.0.0.1:5050',
      port: 5050,
      version: '1.1.0',
    };
    db.access().create('/mesos/json.info_', Buffer.from(JSON.stringify(info)), {
      ephemeralOwner: 'mesos-master',
      sequential: true,
    });
    const client = await connected(port);
    clients.push(client);
    const [children] = await new Promise<[string[]]>((resolve, reject) =>
      client.getChildren('/mesos', undefined, (e, c) => (e ? reject(e) : resolve([c]))),
    );
    expect(children).toEqual(['json.info_0000000000']);
    const data = await new Promise<Buffer>((resolve, reject) =>
      client.getData('/mesos/' + children[0], undefined, (e, d) => (e ? reject(e) : resolve(d))),
    );
    expect(JSON.parse(data.toString())).toEqual(info);

    // the master's session and its ephemeral node show in `dump`; a data watch in `wchs`
    const dumped = await fourLetter(port, 'dump');
    expect(dumped).toMatch(/^SessionTracker dump:\nSession Sets \(\d+\):\n/);
    expect(dumped).toMatch(
      /Sessions with Ephemerals \(1\):\n0x1[0-9a-f]{14}:\n\t\/mesos\/json\.info_0000000000\n$/,
    );
    await new Promise<void>((resolve) =>
      client.getData(
        '/mesos/' + children[0],
        () => {},
        () => resolve(),
      ),
    );
    expect(await fourLetter(port, 'wchs')).toBe('1 connections watching 1 paths\nTotal watches:1\n');
  });

  it('answers the four-letter words on a raw socket and closes the connection', async () => {
    expect(await fourLetter(port, 'ruok')).toBe('imok');
    const srvr = await fourLetter(port, 'srvr');
    expect(srvr).toMatch(
      /^Zookeeper version: 3\.4\.6-1569965, built on 02\/20\/2014 09:09 GMT\nLatency min\/avg\/max: 0\/0\/0\nReceived: 2\nSent: 1\nConnections: 1\nOutstanding: 0\nZxid: 0x0\nMode: standalone\nNode count: 4\n$/,
    );
    const mntr = await fourLetter(port, 'mntr');
    const keys = mntr
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t')[0]);
    expect(keys).toEqual([
      'zk_version',
      'zk_avg_latency',
      'zk_max_latency',
      'zk_min_latency',
      'zk_packets_received',
      'zk_packets_sent',
      'zk_num_alive_connections',
      'zk_outstanding_requests',
      'zk_server_state',
      'zk_znode_count',
      'zk_watch_count',
      'zk_ephemerals_count',
      'zk_approximate_data_size',
      'zk_open_file_descriptor_count',
      'zk_max_file_descriptor_count',
    ]);
    expect(mntr).toContain('zk_server_state\tstandalone\n');
    expect(await fourLetter(port, 'conf')).toContain(
      `clientPort=${port}\ndataDir=/tmp/zookeeper/version-2\n`,
    );
    expect(await fourLetter(port, 'envi')).toMatch(/^Environment:\nzookeeper\.version=3\.4\.6-1569965/);
    expect(await fourLetter(port, 'isro')).toBe('rw');
  });

  it('lists connected clients in stat', async () => {
    const client = await connected(port);
    clients.push(client);
    const stat = await fourLetter(port, 'stat');
    const lines = stat.split('\n');
    expect(lines[1]).toBe('Clients:');
    const clientLines = lines.filter((l) =>
      /^ \/127\.0\.0\.1:\d+\[[01]\]\(queued=0,recved=\d+,sent=\d+\)$/.test(l),
    );
    expect(clientLines).toHaveLength(2); // the client and this very connection
    expect(stat).toContain('\n\nLatency min/avg/max: ');
    expect(stat).toMatch(/Connections: 2\n/);
  });

  it('handles the ConnectRequest with and without the read-only byte', async () => {
    const base = {
      protocolVersion: 0,
      lastZxidSeen: 0n,
      timeOut: 1000,
      sessionId: 0n,
      passwd: new Uint8Array(16),
    };
    for (const readOnly of [undefined, false, true] as const) {
      const bytes = await rawExchange(port, frame(encodeConnectRequest({ ...base, readOnly })), 150);
      const len = bytes.readInt32BE(0);
      expect(bytes.length).toBe(len + 4);
      const res = decodeConnectResponse(new Uint8Array(bytes.subarray(4)));
      expect(res.timeOut).toBe(4000); // raised to 2 × tickTime
      expect(res.passwd).toHaveLength(16);
      expect(res.sessionId >> 56n).toBe(1n);
      expect(res.readOnly).toBe(readOnly === undefined ? undefined : false);
      expect(len).toBe(readOnly === undefined ? 36 : 37);
    }
  });

  it('answers ping and getChildren (op 8) on a raw socket, then closes the session', async () => {
    const connectReq = frame(
      encodeConnectRequest({
        protocolVersion: 0,
        lastZxidSeen: 0n,
        timeOut: 6000,
        sessionId: 0n,
        passwd: new Uint8Array(16),
      }),
    );
    const packets = Buffer.concat([
      connectReq,
      frame(encodeRequest(-2, { op: 'ping' })),
      frame(encodeRequest(1, { op: 'getChildren', path: '/', watch: false })),
      frame(encodeRequest(2, { op: 'getData', path: '/missing', watch: false })),
      frame(encodeRequest(3, { op: 'closeSession' })),
    ]);
    const bytes = new Uint8Array(await rawExchange(port, packets));
    const frames: Uint8Array[] = [];
    for (let o = 0; o < bytes.length;) {
      const len = new DataView(bytes.buffer, bytes.byteOffset + o).getInt32(0);
      frames.push(bytes.subarray(o + 4, o + 4 + len));
      o += 4 + len;
    }
    expect(frames).toHaveLength(5);
    const ping = readReplyHeader(new JuteReader(frames[1]));
    expect(ping).toEqual({ xid: -2, zxid: 1n, err: 0 });
    const r = new JuteReader(frames[2]);
    expect(readReplyHeader(r).err).toBe(0);
    expect(r.vector((x) => x.ustring())).toEqual(['zookeeper']);
    const missing = new JuteReader(frames[3]);
    expect(readReplyHeader(missing)).toMatchObject({ xid: 2, err: -101 });
    expect(missing.remaining).toBe(0);
    expect(readReplyHeader(new JuteReader(frames[4]))).toMatchObject({ xid: 3, err: 0 });
    expect(db.sessionCount).toBe(0);
  });

  it('refuses connections while stopped and serves the same tree again after start', async () => {
    db.access().create('/kept', Buffer.from('yes'));
    await server.close();
    await expect(rawExchange(port, 'ruok')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const again = await server.listen(port);
    expect(again).toBe(port);
    const client = await connected(port);
    clients.push(client);
    const data = await new Promise<Buffer>((resolve, reject) =>
      client.getData('/kept', undefined, (e, d) => (e ? reject(e) : resolve(d))),
    );
    expect(data.toString()).toBe('yes');
  });

  it('keeps a client session across a server stop and start, and its watch fires after the reconnect', async () => {
    const client = zookeeper.createClient(`127.0.0.1:${port}`, { sessionTimeout: 10_000, spinDelay: 50 });
    clients.push(client);
    await new Promise<void>((resolve) => {
      client.once('connected', resolve);
      client.connect();
    });
    await call<string>((cb) => client.create('/survivor', null, CreateMode.EPHEMERAL, cb));
    let watched!: (e: ZkClientEvent) => void;
    const event = new Promise<ZkClientEvent>((resolve) => (watched = resolve));
    await new Promise<void>((resolve) => client.getData('/survivor', watched, () => resolve()));
    const disconnected = new Promise<void>((resolve) => client.once('disconnected', resolve));
    await server.close();
    await disconnected;
    // `cluster start zookeeper`: a new server on the same port and database
    server = new ZooKeeperServer(db);
    await server.listen(port);
    await new Promise<void>((resolve) => client.once('connected', resolve));
    expect(db.exists('/survivor')).not.toBeNull();
    db.access().setData('/survivor', Buffer.from('changed'));
    const e = await event;
    expect([e.getType(), e.getPath()]).toEqual([Event.NODE_DATA_CHANGED, '/survivor']);
  });

  it('rejects with EADDRINUSE when the port is taken', async () => {
    const other = new ZooKeeperServer(db);
    await expect(other.listen(port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(other.running).toBe(false);
  });
});
