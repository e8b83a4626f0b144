import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.ts';
import { ZkDatabase, ZkEventType, type ZkWatchedEvent } from './database.ts';
import { ZkCode, ZkError } from './errors.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ZkError) return e.code;
    throw e;
  }
  return undefined;
}

describe('ZkDatabase tree', () => {
  it('starts like a fresh 3.4 server: /zookeeper/quota, node count 4, zxid 0', () => {
    const db = new ZkDatabase(new VirtualClock());
    expect(db.getChildren('/').children).toEqual(['zookeeper']);
    expect(db.getChildren('/zookeeper').children).toEqual(['quota']);
    expect(db.nodeCount).toBe(4);
    expect(db.zxid).toBe(0);
  });

  it('keeps stats: czxid, mzxid, ctime, mtime, version, cversion, pzxid, dataLength, numChildren', () => {
    const clock = new VirtualClock(1_000_000);
    const db = new ZkDatabase(clock);
    db.create('/a', enc('x'));
    clock.advance(500);
    db.setData('/a', enc('hello'));
    db.create('/a/b', enc(''));
    const stat = db.exists('/a')!;
    expect(stat).toMatchObject({
      czxid: 1,
      mzxid: 2,
      ctime: 1_000_000,
      mtime: 1_000_500,
      version: 1,
      cversion: 1,
      aversion: 0,
      ephemeralOwner: 0n,
      dataLength: 5,
      numChildren: 1,
      pzxid: 3,
    });
    expect(db.zxid).toBe(3);
  });

  it('numbers sequential nodes with the parent cversion, 10 digits', () => {
    const db = new ZkDatabase(new VirtualClock());
    db.create('/q', new Uint8Array());
    expect(db.create('/q/n_', enc('1'), { sequential: true })).toBe('/q/n_0000000000');
    db.create('/q/plain', new Uint8Array());
    expect(db.create('/q/n_', enc('2'), { sequential: true })).toBe('/q/n_0000000002');
    db.delete('/q/n_0000000000'); // deleting does not change the parent's cversion in 3.4
    expect(db.exists('/q')!.cversion).toBe(3);
    expect(db.create('/q/', enc('3'), { sequential: true })).toBe('/q/0000000003');
  });

  it('returns the right error codes', () => {
    const db = new ZkDatabase(new VirtualClock());
    expect(codeOf(() => db.create('/x/y', enc('')))).toBe(ZkCode.NONODE);
    db.create('/x', enc(''));
    expect(codeOf(() => db.create('/x', enc('')))).toBe(ZkCode.NODEEXISTS);
    db.create('/x/y', enc(''));
    expect(codeOf(() => db.delete('/x'))).toBe(ZkCode.NOTEMPTY);
    expect(codeOf(() => db.delete('/x/y', 3))).toBe(ZkCode.BADVERSION);
    expect(codeOf(() => db.setData('/x/y', enc('a'), 7))).toBe(ZkCode.BADVERSION);
    expect(codeOf(() => db.setData('/nope', enc('a')))).toBe(ZkCode.NONODE);
    expect(codeOf(() => db.getData('/nope'))).toBe(ZkCode.NONODE);
    expect(codeOf(() => db.create('bad', enc('')))).toBe(ZkCode.BADARGUMENTS);
    expect(codeOf(() => db.create('/a//b', enc('')))).toBe(ZkCode.BADARGUMENTS);
    expect(codeOf(() => db.delete('/zookeeper'))).toBe(ZkCode.BADARGUMENTS);
    const s = db.createSession(10_000);
    db.create('/eph', enc(''), { ephemeralOwner: s.id });
    expect(codeOf(() => db.create('/eph/child', enc('')))).toBe(ZkCode.NOCHILDRENFOREPHEMERALS);
    expect(codeOf(() => db.setData('/x/y', enc('a'), 0))).toBeUndefined();
    expect(codeOf(() => db.delete('/x/y', 1))).toBeUndefined();
  });

  it('fires watches once, with the event types DataTree uses', () => {
    const db = new ZkDatabase(new VirtualClock());
    const events: ZkWatchedEvent[] = [];
    const w = (e: ZkWatchedEvent) => events.push(e);
    expect(db.exists('/w', w)).toBeNull();
    db.getChildren('/', w);
    db.create('/w', enc('a'));
    expect(events.map((e) => [e.type, e.path])).toEqual([
      [ZkEventType.NodeCreated, '/w'],
      [ZkEventType.NodeChildrenChanged, '/'],
    ]);
    db.setData('/w', enc('b'));
    expect(events).toHaveLength(2); // one-shot
    db.getData('/w', w);
    db.getData('/w', w); // same watcher twice: one notification
    db.setData('/w', enc('c'));
    expect(events.slice(2).map((e) => e.type)).toEqual([ZkEventType.NodeDataChanged]);
    db.getData('/w', w);
    db.getChildren('/w', w);
    db.delete('/w');
    expect(events.slice(3).map((e) => [e.type, e.path])).toEqual([[ZkEventType.NodeDeleted, '/w']]);
    expect(db.watchCount).toBe(0);
  });

  it('forgets a removed watcher', () => {
    const db = new ZkDatabase(new VirtualClock());
    let fired = 0;
    const w = () => fired++;
    db.exists('/z', w);
    expect(db.watchCount).toBe(1);
    db.removeWatcher(w);
    db.create('/z', enc(''));
    expect(fired).toBe(0);
  });
});

describe('ZkDatabase sessions', () => {
  it('negotiates the timeout between 2 and 20 ticks', () => {
    const db = new ZkDatabase(new VirtualClock());
    expect(db.createSession(1000).timeout).toBe(4000);
    expect(db.createSession(30_000).timeout).toBe(30_000);
    expect(db.createSession(120_000).timeout).toBe(40_000);
  });

  it('gives session ids with the server id 1 in the top byte and a 16-byte password', () => {
    const db = new ZkDatabase(new VirtualClock());
    const a = db.createSession(10_000);
    const b = db.createSession(10_000);
    expect(a.id >> 56n).toBe(1n);
    expect(b.id).toBe(a.id + 1n);
    expect(a.password).toHaveLength(16);
    expect(db.reattachSession(a.id, a.password, 10_000)?.id).toBe(a.id);
    expect(db.reattachSession(a.id, b.password, 10_000)).toBeUndefined();
  });

  it('expires an idle session and removes its ephemeral nodes; touching keeps it', () => {
    const clock = new VirtualClock();
    const db = new ZkDatabase(clock);
    const expired: bigint[] = [];
    db.onSessionExpired((id) => expired.push(id));
    const idle = db.createSession(6000);
    const busy = db.createSession(6000);
    db.create('/mesos', new Uint8Array());
    db.create('/mesos/json.info_', enc('{}'), { ephemeralOwner: idle.id, sequential: true });
    db.create('/mesos/json.info_', enc('{}'), { ephemeralOwner: busy.id, sequential: true });
    const events: ZkWatchedEvent[] = [];
    db.getChildren('/mesos', (e) => events.push(e));
    for (let i = 0; i < 10; i++) {
      clock.advance(1000);
      db.touchSession(busy.id);
    }
    expect(expired).toEqual([idle.id]);
    expect(db.hasSession(idle.id)).toBe(false);
    expect(db.getChildren('/mesos').children).toEqual(['json.info_0000000001']);
    expect(events.map((e) => e.type)).toEqual([ZkEventType.NodeChildrenChanged]);
    expect(db.ephemeralsCount).toBe(1);
    db.closeSession(busy.id);
    expect(db.getChildren('/mesos').children).toEqual([]);
    expect(expired).toEqual([idle.id]); // closing is not expiring
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('ZkDatabase access() and persistence', () => {
  it('lets services write znodes directly, with owners for ephemeral nodes', () => {
    const db = new ZkDatabase(new VirtualClock());
    const zk = db.access();
    const path = zk.create('/mesos/json.info_', enc('{"id":"m1"}'), {
      ephemeralOwner: 'mesos-master',
      sequential: true,
    });
    expect(path).toBe('/mesos/json.info_0000000000');
    expect(zk.exists('/mesos')).toBe(true);
    expect(dec(zk.getData(path))).toBe('{"id":"m1"}');
    expect(db.exists(path)!.ephemeralOwner).not.toBe(0n);
    zk.create('/marathon/state/app:x', enc('1'));
    zk.setData('/marathon/state/app:x', enc('2'));
    expect(zk.children('/marathon/state')).toEqual(['app:x']);
    expect(zk.children('/nothing')).toEqual([]);
    expect(zk.getData('/nothing')).toBeUndefined();
    zk.delete('/nothing');
    expect(() => zk.create('/marathon/state/app:x', enc(''))).toThrow(ZkError);
    zk.expireOwner('mesos-master');
    expect(zk.children('/mesos')).toEqual([]);
    expect(
      zk.create('/mesos/json.info_', enc('{}'), { ephemeralOwner: 'mesos-master', sequential: true }),
    ).toBe('/mesos/json.info_0000000001');
  });

  it('serializes the persistent part and restores it', () => {
    const clock = new VirtualClock();
    const db = new ZkDatabase(clock);
    const zk = db.access();
    zk.create('/marathon/state/app:web', enc('{"id":"/web"}'));
    zk.create('/chronos/state/state/J_job', new Uint8Array([0, 1, 2, 255]));
    zk.create('/mesos/json.info_', enc('{}'), { ephemeralOwner: 'mesos-master', sequential: true });
    const snapshot = JSON.parse(JSON.stringify(db.serialize()));
    const other = new ZkDatabase(clock);
    other.restore(snapshot);
    expect(other.access().getData('/chronos/state/state/J_job')).toEqual(new Uint8Array([0, 1, 2, 255]));
    expect(dec(other.access().getData('/marathon/state/app:web'))).toBe('{"id":"/web"}');
    expect(other.access().children('/mesos')).toEqual([]);
    expect(other.access().children('/zookeeper')).toEqual(['quota']);
    expect(other.zxid).toBe(db.zxid);
    expect(other.exists('/marathon/state/app:web')).toEqual(db.exists('/marathon/state/app:web'));
    // the sequence continues where it was, as with a real data directory
    expect(other.access().create('/mesos/json.info_', enc('{}'), { sequential: true })).toBe(
      '/mesos/json.info_0000000001',
    );
  });
});
