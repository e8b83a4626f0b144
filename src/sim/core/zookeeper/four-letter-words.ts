// The four-letter words of a ZooKeeper 3.4.6 standalone server, as pure functions of the
// server's figures. Texts follow NIOServerCnxn (StatCommand, MonitorCommand, ConfCommand,
// EnvCommand, ConsCommand), ServerStats.toString, ServerCnxn.dumpConnectionInfo,
// ZooKeeperServer.dumpConf and Environment.list. Java's println writes "\n" on Linux.

/** Version.getFullVersion() of the 3.4.6 release. */
export const ZK_346_VERSION = '3.4.6-1569965, built on 02/20/2014 09:09 GMT';

/** The words a 3.4.6 server knows (no whitelist in 3.4.6). */
export const FOUR_LETTER_WORDS = [
  'conf',
  'cons',
  'crst',
  'dump',
  'envi',
  'gtmk',
  'ruok',
  'stmk',
  'srst',
  'srvr',
  'stat',
  'wchc',
  'wchp',
  'wchs',
  'mntr',
  'isro',
] as const;

export type FourLetterWord = (typeof FOUR_LETTER_WORDS)[number];

export function isFourLetterWord(word: string): word is FourLetterWord {
  return (FOUR_LETTER_WORDS as readonly string[]).includes(word);
}

export interface ZkConnectionFigures {
  /** InetSocketAddress.toString of the peer: "/127.0.0.1:54321". */
  remote: string;
  /** Selector interest ops: 1 (OP_READ) for a client connection, 0 for the 4lw connection itself. */
  interestOps: number;
  queued: number;
  received: number;
  sent: number;
  /** 0n before the session is established. */
  sessionId: bigint;
  lastOperation: string;
  established: number;
  timeout: number;
  lastCxid: number;
  lastZxid: number;
  lastResponseTime: number;
  lastLatency: number;
  minLatency: number;
  avgLatency: number;
  maxLatency: number;
}

export interface ZkServerFigures {
  version: string;
  minLatency: number;
  avgLatency: number;
  maxLatency: number;
  packetsReceived: number;
  packetsSent: number;
  connections: ZkConnectionFigures[];
  outstanding: number;
  zxid: number;
  nodeCount: number;
  watchCount: number;
  ephemeralsCount: number;
  approximateDataSize: number;
  openFileDescriptors: number;
  maxFileDescriptors: number;
  conf: ZkConf;
  environment: [string, string][];
  /** For `dump`: live sessions with the (tick-rounded) time they expire. */
  sessions?: { id: bigint; expiresAt: number }[];
  /** For `dump`: ephemeral node paths by owning session. */
  ephemerals?: [bigint, string[]][];
  /** For `wchs`/`wchc`/`wchp`: data watches as (path, session id) pairs. */
  dataWatches?: { path: string; sessionId: bigint }[];
}

export interface ZkConf {
  clientPort: number;
  dataDir: string;
  dataLogDir: string;
  tickTime: number;
  maxClientCnxns: number;
  minSessionTimeout: number;
  maxSessionTimeout: number;
  serverId: number;
}

const hex = (n: number | bigint) => BigInt.asUintN(64, BigInt(n)).toString(16);

export function ruok(): string {
  return 'imok';
}

function connectionLine(c: ZkConnectionFigures, brief: boolean): string {
  let s = ` ${c.remote}[${c.interestOps === 0 ? '0' : c.interestOps.toString(16)}](queued=${c.queued},recved=${c.received},sent=${c.sent}`;
  if (!brief && c.sessionId !== 0n) {
    s += `,sid=0x${hex(c.sessionId)},lop=${c.lastOperation},est=${c.established},to=${c.timeout}`;
    if (c.lastCxid >= 0) s += `,lcxid=0x${hex(c.lastCxid)}`;
    s += `,lzxid=0x${hex(c.lastZxid)},lresp=${c.lastResponseTime},llat=${c.lastLatency}`;
    s += `,minlat=${c.minLatency},avglat=${c.avgLatency},maxlat=${c.maxLatency}`;
  }
  return s + ')';
}

function serverStats(f: ZkServerFigures): string {
  return (
    `Latency min/avg/max: ${f.minLatency}/${f.avgLatency}/${f.maxLatency}\n` +
    `Received: ${f.packetsReceived}\n` +
    `Sent: ${f.packetsSent}\n` +
    `Connections: ${f.connections.length}\n` +
    `Outstanding: ${f.outstanding}\n` +
    `Zxid: 0x${hex(f.zxid)}\n` +
    `Mode: standalone\n`
  );
}

/** `stat`: version, the client list, the server statistics and the node count. */
export function stat(f: ZkServerFigures): string {
  let s = `Zookeeper version: ${f.version}\nClients:\n`;
  for (const c of f.connections) s += connectionLine(c, true) + '\n';
  s += '\n';
  return s + serverStats(f) + `Node count: ${f.nodeCount}\n`;
}

/** `srvr`: `stat` without the client list. */
export function srvr(f: ZkServerFigures): string {
  return `Zookeeper version: ${f.version}\n` + serverStats(f) + `Node count: ${f.nodeCount}\n`;
}

/** `cons`: full details of every connection, then a blank line. */
export function cons(f: ZkServerFigures): string {
  return f.connections.map((c) => connectionLine(c, false) + '\n').join('') + '\n';
}

/** `mntr`: tab-separated key/value lines; the file-descriptor pair only on Unix (the
 *  reference image is Linux), the follower lines only on a quorum leader (never here). */
export function mntr(f: ZkServerFigures): string {
  const lines: [string, string | number][] = [
    ['version', f.version],
    ['avg_latency', f.avgLatency],
    ['max_latency', f.maxLatency],
    ['min_latency', f.minLatency],
    ['packets_received', f.packetsReceived],
    ['packets_sent', f.packetsSent],
    ['num_alive_connections', f.connections.length],
    ['outstanding_requests', f.outstanding],
    ['server_state', 'standalone'],
    ['znode_count', f.nodeCount],
    ['watch_count', f.watchCount],
    ['ephemerals_count', f.ephemeralsCount],
    ['approximate_data_size', f.approximateDataSize],
    ['open_file_descriptor_count', f.openFileDescriptors],
    ['max_file_descriptor_count', f.maxFileDescriptors],
  ];
  return lines.map(([k, v]) => `zk_${k}\t${v}\n`).join('');
}

/** `conf`: ZooKeeperServer.dumpConf of a standalone server. */
export function conf(f: ZkServerFigures): string {
  const c = f.conf;
  return (
    `clientPort=${c.clientPort}\n` +
    `dataDir=${c.dataDir}\n` +
    `dataLogDir=${c.dataLogDir}\n` +
    `tickTime=${c.tickTime}\n` +
    `maxClientCnxns=${c.maxClientCnxns}\n` +
    `minSessionTimeout=${c.minSessionTimeout}\n` +
    `maxSessionTimeout=${c.maxSessionTimeout}\n` +
    `serverId=${c.serverId}\n`
  );
}

/** `envi`: "Environment:" then key=value lines in Environment.list order. */
export function envi(f: ZkServerFigures): string {
  return 'Environment:\n' + f.environment.map(([k, v]) => `${k}=${v}\n`).join('');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** java.util.Date.toString() in a JVM whose time zone is UTC (the container's):
 *  "Thu Nov 26 01:00:03 UTC 2026". */
export function javaDate(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  );
}

/** `dump`: the session tracker's expiry buckets, then the ephemeral nodes by session
 *  (SessionTrackerImpl.dumpSessions, DataTree.dumpEphemerals). Java prints hash-ordered sets;
 *  here they are sorted. */
export function dump(f: ZkServerFigures): string {
  const buckets = new Map<number, bigint[]>();
  for (const s of f.sessions ?? []) buckets.set(s.expiresAt, [...(buckets.get(s.expiresAt) ?? []), s.id]);
  let out = `SessionTracker dump:\nSession Sets (${buckets.size}):\n`;
  for (const time of [...buckets.keys()].sort((a, b) => a - b)) {
    const ids = buckets.get(time)!.sort((a, b) => (a < b ? -1 : 1));
    out += `${ids.length} expire at ${javaDate(time)}:\n` + ids.map((id) => `\t0x${hex(id)}\n`).join('');
  }
  const eph = f.ephemerals ?? [];
  out += `ephemeral nodes dump:\nSessions with Ephemerals (${eph.length}):\n`;
  for (const [owner, paths] of eph) out += `0x${hex(owner)}:\n` + paths.map((p) => `\t${p}\n`).join('');
  return out;
}

/** `wchs`: WatchManager.toString of the data watches, then a newline. */
export function wchs(f: ZkServerFigures): string {
  const w = f.dataWatches ?? [];
  const sessions = new Set(w.map((x) => x.sessionId));
  const paths = new Set(w.map((x) => x.path));
  return `${sessions.size} connections watching ${paths.size} paths\nTotal watches:${w.length}\n`;
}

/** `wchp` (by path) and `wchc` (by connection): the data watches, then a blank line. */
export function wchp(f: ZkServerFigures): string {
  const byPath = new Map<string, bigint[]>();
  for (const { path, sessionId } of f.dataWatches ?? [])
    byPath.set(path, [...(byPath.get(path) ?? []), sessionId]);
  let out = '';
  for (const [path, ids] of byPath) out += `${path}\n` + ids.map((id) => `\t0x${hex(id)}\n`).join('');
  return out + '\n';
}

export function wchc(f: ZkServerFigures): string {
  const bySession = new Map<bigint, string[]>();
  for (const { path, sessionId } of f.dataWatches ?? []) {
    bySession.set(sessionId, [...(bySession.get(sessionId) ?? []), path]);
  }
  let out = '';
  for (const [id, paths] of bySession) out += `0x${hex(id)}\n` + paths.map((p) => `\t${p}\n`).join('');
  return out + '\n';
}

/** `isro`: "rw" for a normal (not read-only) server. No newline. */
export function isro(): string {
  return 'rw';
}

/** 3.4.10 and later (the 3.4.14 image the real compose file uses) know a whitelist
 *  (`4lw.commands.whitelist`); by default on the 3.4 line every word is on it except wchp and
 *  wchc. 3.4.6 has no whitelist. */
export const WHITELIST_3410_DEFAULT: readonly FourLetterWord[] = FOUR_LETTER_WORDS.filter(
  (w) => w !== 'wchp' && w !== 'wchc',
);

/** What a 3.4.10+ server answers for a word that is not on its whitelist (NopCommand). */
export function notWhitelisted(word: string): string {
  return `${word} is not executed because it is not in the whitelist.\n`;
}

/** The answer to a word, or undefined for the words this simulator does not model
 *  (gtmk, stmk: the connection is then closed with no output). */
export function answerFourLetterWord(word: FourLetterWord, f: ZkServerFigures): string | undefined {
  switch (word) {
    case 'ruok':
      return ruok();
    case 'stat':
      return stat(f);
    case 'srvr':
      return srvr(f);
    case 'cons':
      return cons(f);
    case 'mntr':
      return mntr(f);
    case 'conf':
      return conf(f);
    case 'envi':
      return envi(f);
    case 'isro':
      return isro();
    case 'dump':
      return dump(f);
    case 'wchs':
      return wchs(f);
    case 'wchp':
      return wchp(f);
    case 'wchc':
      return wchc(f);
    case 'srst':
      return 'Server stats reset.\n';
    case 'crst':
      return 'Connection stats reset.\n';
    default:
      return undefined;
  }
}

/** What the reference container reports about itself (mesoscloud/zookeeper:3.4.6-ubuntu-14.04:
 *  Ubuntu 14.04, openjdk-7-jre-headless, ZooKeeper in /opt/zookeeper, zoo.cfg with tickTime 2000
 *  and dataDir /tmp/zookeeper, compose hostname `zookeeper`). ASSUMPTION: the exact JDK update,
 *  kernel version and class path are not recorded in the spec; these are representative values
 *  for that image (the kernel is the host's on a real machine). */
export const REFERENCE_ENVIRONMENT: [string, string][] = [
  ['zookeeper.version', ZK_346_VERSION],
  ['host.name', 'zookeeper'],
  ['java.version', '1.7.0_181'],
  ['java.vendor', 'Oracle Corporation'],
  ['java.home', '/usr/lib/jvm/java-7-openjdk-amd64/jre'],
  [
    'java.class.path',
    '/opt/zookeeper/bin/../build/classes:/opt/zookeeper/bin/../build/lib/*.jar:' +
      '/opt/zookeeper/bin/../lib/slf4j-log4j12-1.6.1.jar:/opt/zookeeper/bin/../lib/slf4j-api-1.6.1.jar:' +
      '/opt/zookeeper/bin/../lib/netty-3.7.0.Final.jar:/opt/zookeeper/bin/../lib/log4j-1.2.16.jar:' +
      '/opt/zookeeper/bin/../lib/jline-0.9.94.jar:/opt/zookeeper/bin/../zookeeper-3.4.6.jar:' +
      '/opt/zookeeper/bin/../src/java/lib/*.jar:/opt/zookeeper/bin/../conf:',
  ],
  [
    'java.library.path',
    '/usr/java/packages/lib/amd64:/usr/lib/x86_64-linux-gnu/jni:/lib/x86_64-linux-gnu:' +
      '/usr/lib/x86_64-linux-gnu:/usr/lib/jni:/lib:/usr/lib',
  ],
  ['java.io.tmpdir', '/tmp'],
  ['java.compiler', '<NA>'],
  ['os.name', 'Linux'],
  ['os.arch', 'amd64'],
  ['os.version', '5.15.0'],
  ['user.name', 'root'],
  ['user.home', '/root'],
  ['user.dir', '/'],
];

/** The reference zoo.cfg as `conf` prints it: FileTxnSnapLog appends "version-2" to dataDir,
 *  maxClientCnxns defaults to 60, a standalone server has id 0. */
export function referenceConf(clientPort: number, tickTime = 2000): ZkConf {
  return {
    clientPort,
    dataDir: '/tmp/zookeeper/version-2',
    dataLogDir: '/tmp/zookeeper/version-2',
    tickTime,
    maxClientCnxns: 60,
    minSessionTimeout: 2 * tickTime,
    maxSessionTimeout: 20 * tickTime,
    serverId: 0,
  };
}
