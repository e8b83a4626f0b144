import { describe, expect, it } from 'vitest';
import type { ZkStat } from './database.ts';
import {
  decodeConnectRequest,
  decodeConnectResponse,
  decodeRequest,
  encodeConnectRequest,
  encodeConnectResponse,
  encodeNotification,
  encodeReply,
  encodeRequest,
  JuteError,
  JuteReader,
  JuteWriter,
  OpCode,
  readReplyHeader,
  readWatcherEvent,
  type ZkRequest,
} from './jute.ts';

const stat: ZkStat = {
  czxid: 0x100000002,
  mzxid: 7,
  ctime: 1_767_225_600_000,
  mtime: 1_767_225_601_234,
  version: 3,
  cversion: -1,
  aversion: 0,
  ephemeralOwner: 0x0100_0000_1234_5678n,
  dataLength: 12,
  numChildren: 2,
  pzxid: 9,
};

describe('jute primitives', () => {
  it('writes big-endian ints and longs, one-byte booleans, length-prefixed buffers and strings', () => {
    const bytes = new JuteWriter()
      .int(1)
      .long(-2n)
      .bool(true)
      .buffer(new Uint8Array([9]))
      .ustring('é')
      .toBytes();
    expect([...bytes]).toEqual([
      0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 1, 0, 0, 0, 1, 9, 0, 0, 0, 2, 0xc3, 0xa9,
    ]);
  });

  it('encodes null buffers, strings and vectors as length -1', () => {
    const bytes = new JuteWriter()
      .buffer(null)
      .ustring(null)
      .vector(null, () => {})
      .toBytes();
    const r = new JuteReader(bytes);
    expect([r.buffer(), r.ustring(), r.vector((x) => x.int())]).toEqual([null, null, null]);
  });

  it('round-trips a Stat, with a 64-bit ephemeral owner', () => {
    const bytes = new JuteWriter().stat(stat).toBytes();
    expect(bytes).toHaveLength(68); // 6 longs + 5 ints
    expect(new JuteReader(bytes).stat()).toEqual(stat);
  });

  it('throws a JuteError on a truncated record', () => {
    const bytes = new JuteWriter().int(10).toBytes();
    expect(() => new JuteReader(bytes).buffer()).toThrow(JuteError);
  });

  it('frames with a 4-byte length prefix', () => {
    const frame = new JuteWriter().int(5).toFrame();
    expect([...frame]).toEqual([0, 0, 0, 4, 0, 0, 0, 5]);
  });
});

describe('jute records', () => {
  it('round-trips ConnectRequest with and without the read-only byte', () => {
    const base = {
      protocolVersion: 0,
      lastZxidSeen: 42n,
      timeOut: 30000,
      sessionId: 0x1234n,
      passwd: new Uint8Array(16),
    };
    const old = encodeConnectRequest(base);
    const modern = encodeConnectRequest({ ...base, readOnly: false });
    expect(old).toHaveLength(44);
    expect(modern).toHaveLength(45);
    expect(decodeConnectRequest(old)).toEqual(base);
    expect(decodeConnectRequest(modern)).toEqual({ ...base, readOnly: false });
  });

  it('round-trips ConnectResponse', () => {
    const res = {
      protocolVersion: 0,
      timeOut: 4000,
      sessionId: 0x0100_0001n,
      passwd: new Uint8Array(16).fill(7),
    };
    expect(decodeConnectResponse(encodeConnectResponse(res))).toEqual(res);
    expect(decodeConnectResponse(encodeConnectResponse({ ...res, readOnly: false }))).toEqual({
      ...res,
      readOnly: false,
    });
  });

  const requests: ZkRequest[] = [
    {
      op: 'create',
      path: '/a',
      data: new Uint8Array([1, 2]),
      acl: [{ perms: 31, scheme: 'world', id: 'anyone' }],
      flags: 3,
    },
    { op: 'delete', path: '/a', version: -1 },
    { op: 'exists', path: '/a', watch: true },
    { op: 'getData', path: '/a', watch: false },
    { op: 'setData', path: '/a', data: new Uint8Array([3]), version: 4 },
    { op: 'getACL', path: '/a' },
    { op: 'setACL', path: '/a', acl: [{ perms: 1, scheme: 'digest', id: 'u:x' }], version: 0 },
    { op: 'getChildren', path: '/', watch: true },
    { op: 'getChildren2', path: '/', watch: false },
    { op: 'sync', path: '/' },
    { op: 'ping' },
    { op: 'closeSession' },
    { op: 'auth', type: 0, scheme: 'digest', auth: new TextEncoder().encode('u:p') },
    { op: 'setWatches', relativeZxid: 12n, dataWatches: ['/a'], existWatches: [], childWatches: ['/', '/b'] },
    {
      op: 'multi',
      ops: [
        { op: 'create', path: '/m', data: new Uint8Array(), acl: [], flags: 0 },
        { op: 'check', path: '/m', version: 0 },
        { op: 'delete', path: '/m', version: -1 },
      ],
    },
  ];

  for (const request of requests) {
    it(`round-trips a ${request.op} request`, () => {
      const decoded = decodeRequest(encodeRequest(7, request));
      expect(decoded.header.xid).toBe(7);
      expect(decoded.request).toEqual(request);
    });
  }

  it('decodes an unknown op code as unknown', () => {
    const bytes = new JuteWriter().int(1).int(999).toBytes();
    expect(decodeRequest(bytes).request).toEqual({ op: 'unknown', type: 999 });
  });

  it('encodes replies: header then body, and a notification with xid -1 and zxid -1', () => {
    const reply = encodeReply({ xid: 5, zxid: 9, err: 0 }, { op: 'getChildren2', children: ['x'], stat });
    const r = new JuteReader(reply, 4);
    expect(readReplyHeader(r)).toEqual({ xid: 5, zxid: 9n, err: 0 });
    expect(r.vector((x) => x.ustring())).toEqual(['x']);
    expect(r.stat()).toEqual(stat);
    expect(r.remaining).toBe(0);

    const note = new JuteReader(encodeNotification({ type: 3, state: 3, path: '/w' }), 4);
    expect(readReplyHeader(note)).toEqual({ xid: -1, zxid: -1n, err: 0 });
    expect(readWatcherEvent(note)).toEqual({ type: 3, state: 3, path: '/w' });
  });

  it('encodes a multi response ended by {-1, true, -1}', () => {
    const reply = encodeReply(
      { xid: 1, zxid: 2, err: 0 },
      {
        op: 'multi',
        results: [
          { type: OpCode.create, path: '/m' },
          { type: OpCode.error, err: -101 },
        ],
      },
    );
    const r = new JuteReader(reply, 4);
    readReplyHeader(r);
    expect([r.int(), r.bool(), r.int(), r.ustring()]).toEqual([1, false, 0, '/m']);
    expect([r.int(), r.bool(), r.int(), r.int()]).toEqual([-1, false, -101, -101]);
    expect([r.int(), r.bool(), r.int()]).toEqual([-1, true, -1]);
    expect(r.remaining).toBe(0);
  });
});
