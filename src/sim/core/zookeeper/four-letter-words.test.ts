import { describe, expect, it } from 'vitest';
import {
  answerFourLetterWord,
  conf,
  cons,
  dump,
  envi,
  javaDate,
  isFourLetterWord,
  mntr,
  REFERENCE_ENVIRONMENT,
  referenceConf,
  ruok,
  srvr,
  stat,
  type ZkConnectionFigures,
  type ZkServerFigures,
  wchc,
  wchp,
  wchs,
  ZK_346_VERSION,
} from './four-letter-words.ts';

const client: ZkConnectionFigures = {
  remote: '/127.0.0.1:50412',
  interestOps: 1,
  queued: 0,
  received: 12,
  sent: 12,
  sessionId: 0x1519e8c5b6a0000n,
  lastOperation: 'PING',
  established: 1767225600000,
  timeout: 10000,
  lastCxid: 10,
  lastZxid: 0x1b,
  lastResponseTime: 1767225612000,
  lastLatency: 0,
  minLatency: 0,
  avgLatency: 0,
  maxLatency: 1,
};

const self: ZkConnectionFigures = {
  ...client,
  remote: '/127.0.0.1:50500',
  interestOps: 0,
  received: 1,
  sent: 0,
  sessionId: 0n,
};

const figures: ZkServerFigures = {
  version: ZK_346_VERSION,
  minLatency: 0,
  avgLatency: 0,
  maxLatency: 3,
  packetsReceived: 40,
  packetsSent: 39,
  connections: [client, self],
  outstanding: 0,
  zxid: 0x1b,
  nodeCount: 6,
  watchCount: 1,
  ephemeralsCount: 1,
  approximateDataSize: 210,
  openFileDescriptors: 28,
  maxFileDescriptors: 1048576,
  conf: referenceConf(2181),
  environment: REFERENCE_ENVIRONMENT,
};

describe('four-letter words (3.4.6 texts)', () => {
  it('ruok is imok without a newline', () => {
    expect(ruok()).toBe('imok');
  });

  it('stat lists clients, a blank line, the statistics and the node count', () => {
    expect(stat(figures)).toBe(
      'Zookeeper version: 3.4.6-1569965, built on 02/20/2014 09:09 GMT\n' +
        'Clients:\n' +
        ' /127.0.0.1:50412[1](queued=0,recved=12,sent=12)\n' +
        ' /127.0.0.1:50500[0](queued=0,recved=1,sent=0)\n' +
        '\n' +
        'Latency min/avg/max: 0/0/3\n' +
        'Received: 40\n' +
        'Sent: 39\n' +
        'Connections: 2\n' +
        'Outstanding: 0\n' +
        'Zxid: 0x1b\n' +
        'Mode: standalone\n' +
        'Node count: 6\n',
    );
  });

  it('srvr is stat without the client list', () => {
    expect(srvr(figures)).toBe(
      'Zookeeper version: 3.4.6-1569965, built on 02/20/2014 09:09 GMT\n' +
        'Latency min/avg/max: 0/0/3\n' +
        'Received: 40\n' +
        'Sent: 39\n' +
        'Connections: 2\n' +
        'Outstanding: 0\n' +
        'Zxid: 0x1b\n' +
        'Mode: standalone\n' +
        'Node count: 6\n',
    );
  });

  it('mntr prints tab-separated zk_ keys in MonitorCommand order', () => {
    expect(mntr(figures)).toBe(
      [
        'zk_version\t3.4.6-1569965, built on 02/20/2014 09:09 GMT',
        'zk_avg_latency\t0',
        'zk_max_latency\t3',
        'zk_min_latency\t0',
        'zk_packets_received\t40',
        'zk_packets_sent\t39',
        'zk_num_alive_connections\t2',
        'zk_outstanding_requests\t0',
        'zk_server_state\tstandalone',
        'zk_znode_count\t6',
        'zk_watch_count\t1',
        'zk_ephemerals_count\t1',
        'zk_approximate_data_size\t210',
        'zk_open_file_descriptor_count\t28',
        'zk_max_file_descriptor_count\t1048576',
        '',
      ].join('\n'),
    );
  });

  it('conf prints the standalone server configuration', () => {
    expect(conf(figures)).toBe(
      'clientPort=2181\n' +
        'dataDir=/tmp/zookeeper/version-2\n' +
        'dataLogDir=/tmp/zookeeper/version-2\n' +
        'tickTime=2000\n' +
        'maxClientCnxns=60\n' +
        'minSessionTimeout=4000\n' +
        'maxSessionTimeout=40000\n' +
        'serverId=0\n',
    );
  });

  it('envi starts with Environment: and lists the Environment.list keys in order', () => {
    const lines = envi(figures).split('\n');
    expect(lines[0]).toBe('Environment:');
    expect(lines.slice(1, -1).map((l) => l.slice(0, l.indexOf('=')))).toEqual([
      'zookeeper.version',
      'host.name',
      'java.version',
      'java.vendor',
      'java.home',
      'java.class.path',
      'java.library.path',
      'java.io.tmpdir',
      'java.compiler',
      'os.name',
      'os.arch',
      'os.version',
      'user.name',
      'user.home',
      'user.dir',
    ]);
    expect(lines.at(-1)).toBe('');
  });

  it('cons adds session details for established sessions only', () => {
    expect(cons(figures)).toBe(
      ' /127.0.0.1:50412[1](queued=0,recved=12,sent=12,sid=0x1519e8c5b6a0000,lop=PING,est=1767225600000,' +
        'to=10000,lcxid=0xa,lzxid=0x1b,lresp=1767225612000,llat=0,minlat=0,avglat=0,maxlat=1)\n' +
        ' /127.0.0.1:50500[0](queued=0,recved=1,sent=0)\n' +
        '\n',
    );
  });

  it('knows the 3.4.6 words and nothing else', () => {
    expect(
      ['ruok', 'stat', 'srvr', 'mntr', 'conf', 'envi', 'cons', 'isro', 'wchs'].every(isFourLetterWord),
    ).toBe(true);
    expect(isFourLetterWord('hello'.slice(0, 4))).toBe(false);
    expect(answerFourLetterWord('isro', figures)).toBe('rw');
    expect(answerFourLetterWord('gtmk', figures)).toBeUndefined();
  });

  it('formats dates as java.util.Date.toString in UTC', () => {
    expect(javaDate(Date.UTC(2026, 10, 26, 1, 0, 3))).toBe('Thu Nov 26 01:00:03 UTC 2026');
  });

  it('dump lists session buckets and ephemeral nodes by session', () => {
    const t = Date.UTC(2026, 0, 1, 12, 0, 10);
    const text = dump({
      ...figures,
      sessions: [
        { id: 0x100000000000001n, expiresAt: t },
        { id: 0x100000000000000n, expiresAt: t },
        { id: 0x100000000000002n, expiresAt: t + 2000 },
      ],
      ephemerals: [[0x100000000000000n, ['/mesos/json.info_0000000000']]],
    });
    expect(text).toBe(
      'SessionTracker dump:\n' +
        'Session Sets (2):\n' +
        '2 expire at Thu Jan 01 12:00:10 UTC 2026:\n' +
        '\t0x100000000000000\n' +
        '\t0x100000000000001\n' +
        '1 expire at Thu Jan 01 12:00:12 UTC 2026:\n' +
        '\t0x100000000000002\n' +
        'ephemeral nodes dump:\n' +
        'Sessions with Ephemerals (1):\n' +
        '0x100000000000000:\n' +
        '\t/mesos/json.info_0000000000\n',
    );
  });

  it('wchs, wchp and wchc summarise data watches', () => {
    const f = {
      ...figures,
      dataWatches: [
        { path: '/a', sessionId: 0x10n },
        { path: '/b', sessionId: 0x10n },
        { path: '/a', sessionId: 0x11n },
      ],
    };
    expect(wchs(f)).toBe('2 connections watching 2 paths\nTotal watches:3\n');
    expect(wchp(f)).toBe('/a\n\t0x10\n\t0x11\n/b\n\t0x10\n\n');
    expect(wchc(f)).toBe('0x10\n\t/a\n\t/b\n0x11\n\t/a\n\n');
  });
});
