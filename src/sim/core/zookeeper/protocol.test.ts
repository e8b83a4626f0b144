// The protocol engine on a VirtualClock, through an in-memory transport: sessions expire with
// the clock, reconnects re-attach, watches are re-armed with SetWatches.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.ts';
import { ZkDatabase, ZkEventType } from './database.ts';
import {
  decodeConnectResponse,
  encodeConnectRequest,
  encodeRequest,
  JuteReader,
  readReplyHeader,
  readWatcherEvent,
  type ConnectResponse,
  type ZkRequest,
} from './jute.ts';
import { ZkServerCore, type ZkConnection } from './protocol.ts';

function frame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + 4);
  new DataView(out.buffer).setInt32(0, payload.length);
  out.set(payload, 4);
  return out;
}

/** A fake client: collects the frames the server writes. */
class FakeClient {
  frames: Uint8Array[] = [];
  /** Everything written, unparsed (four-letter-word answers are plain text). */
  raw = new Uint8Array(0);
  ended = false;
  connection: ZkConnection;
  private buffer = new Uint8Array(0);
  private xid = 1;

  constructor(server: ZkServerCore, port = 40000) {
    this.connection = server.open({
      remote: `/127.0.0.1:${port}`,
      write: (bytes) => this.receive(bytes),
      end: () => {
        this.ended = true;
      },
    });
  }

  private receive(bytes: Uint8Array): void {
    const raw = new Uint8Array(this.raw.length + bytes.length);
    raw.set(this.raw);
    raw.set(bytes, this.raw.length);
    this.raw = raw;
    const all = new Uint8Array(this.buffer.length + bytes.length);
    all.set(this.buffer);
    all.set(bytes, this.buffer.length);
    let o = 0;
    while (all.length - o >= 4) {
      const len = new DataView(all.buffer, o).getInt32(0);
      if (all.length - o - 4 < len) break;
      this.frames.push(all.slice(o + 4, o + 4 + len));
      o += 4 + len;
    }
    this.buffer = all.slice(o);
  }

  connect(
    sessionId = 0n,
    passwd: Uint8Array = new Uint8Array(16),
    timeOut = 10_000,
    lastZxidSeen = 0n,
  ): ConnectResponse {
    this.connection.data(
      frame(encodeConnectRequest({ protocolVersion: 0, lastZxidSeen, timeOut, sessionId, passwd })),
    );
    return decodeConnectResponse(this.frames.shift()!);
  }

  send(request: ZkRequest, xid = this.xid++) {
    // split the packet in two chunks to exercise the framing
    const bytes = frame(encodeRequest(xid, request));
    this.connection.data(bytes.subarray(0, 3));
    this.connection.data(bytes.subarray(3));
    const r = new JuteReader(this.frames.shift()!);
    return { header: readReplyHeader(r), body: r };
  }

  notifications() {
    return this.frames.splice(0).map((f) => {
      const r = new JuteReader(f);
      const header = readReplyHeader(r);
      return { xid: header.xid, ...readWatcherEvent(r) };
    });
  }
}

function setup() {
  const clock = new VirtualClock();
  const db = new ZkDatabase(clock);
  const server = new ZkServerCore(db, { clientPort: 2181 });
  return { clock, db, server };
}

describe('ZkServerCore', () => {
  it('expires a silent session: the connection closes and ephemeral nodes go', () => {
    const { clock, db, server } = setup();
    const a = new FakeClient(server);
    const res = a.connect(0n, new Uint8Array(16), 6000);
    expect(res.timeOut).toBe(6000);
    a.send({
      op: 'create',
      path: '/e',
      data: new Uint8Array(),
      acl: [{ perms: 31, scheme: 'world', id: 'anyone' }],
      flags: 1,
    });
    for (let i = 0; i < 5; i++) {
      clock.advance(2000);
      a.send({ op: 'ping' }, -2);
    }
    expect(db.exists('/e')).not.toBeNull();
    clock.advance(8000);
    expect(a.ended).toBe(true);
    expect(db.exists('/e')).toBeNull();
    expect(server.connections.size).toBe(0);
  });

  it('re-attaches a reconnecting client to its session, and rejects a wrong password or an expired session', () => {
    const { clock, db, server } = setup();
    const a = new FakeClient(server);
    const first = a.connect();
    a.connection.close(); // network drop: the session stays
    const b = new FakeClient(server);
    const again = b.connect(first.sessionId, first.passwd);
    expect(again.sessionId).toBe(first.sessionId);
    expect(again.timeOut).toBe(10_000);

    const c = new FakeClient(server);
    const bad = c.connect(first.sessionId, new Uint8Array(16).fill(1));
    expect([bad.timeOut, bad.sessionId]).toEqual([0, 0n]);
    expect(c.ended).toBe(true);

    b.connection.close();
    clock.advance(30_000);
    expect(db.hasSession(first.sessionId)).toBe(false);
    const d = new FakeClient(server);
    expect(d.connect(first.sessionId, first.passwd).timeOut).toBe(0);
  });

  it('refuses a client that has seen a newer zxid than the server', () => {
    const { server } = setup();
    const a = new FakeClient(server);
    a.connection.data(
      frame(
        encodeConnectRequest({
          protocolVersion: 0,
          lastZxidSeen: 99n,
          timeOut: 5000,
          sessionId: 0n,
          passwd: new Uint8Array(16),
        }),
      ),
    );
    expect(a.frames).toHaveLength(0);
    expect(a.ended).toBe(true);
  });

  it('sends one notification per watch, with xid -1, and an exists watch on a missing node', () => {
    const { db, server } = setup();
    const a = new FakeClient(server);
    a.connect();
    const { header } = a.send({ op: 'exists', path: '/later', watch: true });
    expect(header.err).toBe(-101);
    db.access().create('/later', new Uint8Array([1]));
    db.access().setData('/later', new Uint8Array([2]));
    expect(a.notifications()).toEqual([{ xid: -1, type: ZkEventType.NodeCreated, state: 3, path: '/later' }]);
  });

  it('re-arms watches with SetWatches after a reconnect, firing at once for changes it missed', () => {
    const { db, server } = setup();
    const zk = db.access();
    zk.create('/x', new Uint8Array());
    zk.create('/y', new Uint8Array());
    const a = new FakeClient(server);
    const s = a.connect();
    const seen = BigInt(db.zxid);
    a.connection.close();
    zk.setData('/x', new Uint8Array([1])); // missed while away
    const b = new FakeClient(server);
    b.connect(s.sessionId, s.passwd, 10_000, seen);
    // As in FinalRequestProcessor, the missed change is notified before the SetWatches reply.
    b.connection.data(
      frame(
        encodeRequest(-8, {
          op: 'setWatches',
          relativeZxid: seen,
          dataWatches: ['/x', '/y'],
          existWatches: ['/z'],
          childWatches: [],
        }),
      ),
    );
    expect(b.frames).toHaveLength(2);
    const reply = b.frames.pop()!;
    expect(readReplyHeader(new JuteReader(reply))).toMatchObject({ xid: -8, err: 0 });
    expect(b.notifications().map((n) => [n.type, n.path])).toEqual([[ZkEventType.NodeDataChanged, '/x']]);
    zk.setData('/y', new Uint8Array([1]));
    zk.create('/z', new Uint8Array());
    expect(b.notifications().map((n) => [n.type, n.path])).toEqual([
      [ZkEventType.NodeDataChanged, '/y'],
      [ZkEventType.NodeCreated, '/z'],
    ]);
  });

  it('counts packets for the four-letter words and lists connections in stat', () => {
    const { server } = setup();
    const a = new FakeClient(server, 40001);
    a.connect();
    a.send({ op: 'ping' }, -2);
    const w = new FakeClient(server, 40002);
    w.connection.data(new TextEncoder().encode('stat'));
    const text = new TextDecoder().decode(w.raw);
    expect(w.ended).toBe(true);
    expect(text).toContain(
      ' /127.0.0.1:40001[1](queued=0,recved=2,sent=2)\n /127.0.0.1:40002[0](queued=0,recved=1,sent=0)\n\n',
    );
    expect(text).toContain('Received: 3\nSent: 2\nConnections: 2\n');
  });

  it('closes the connection on a length beyond jute.maxbuffer', () => {
    const { server } = setup();
    const a = new FakeClient(server);
    a.connect();
    a.connection.data(new Uint8Array([0x7f, 0, 0, 0]));
    expect(a.ended).toBe(true);
  });

  it('answers words off a 3.4.10+ whitelist with the NopCommand line', () => {
    const clock = new VirtualClock();
    const server = new ZkServerCore(new ZkDatabase(clock), { fourLetterWhitelist: ['srvr', 'ruok'] });
    const w = new FakeClient(server);
    w.connection.data(new TextEncoder().encode('wchc'));
    expect(new TextDecoder().decode(w.raw)).toBe(
      'wchc is not executed because it is not in the whitelist.\n',
    );
    expect(w.ended).toBe(true);
    const r = new FakeClient(server);
    r.connection.data(new TextEncoder().encode('ruok'));
    expect(new TextDecoder().decode(r.raw)).toBe('imok');
  });
});
