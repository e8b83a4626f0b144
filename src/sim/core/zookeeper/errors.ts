// ZooKeeper 3.4 result codes (org.apache.zookeeper.KeeperException.Code) and the error the
// simulated data tree throws. The numeric values travel on the wire in ReplyHeader.err.

export const ZkCode = {
  OK: 0,
  SYSTEMERROR: -1,
  RUNTIMEINCONSISTENCY: -2,
  DATAINCONSISTENCY: -3,
  CONNECTIONLOSS: -4,
  MARSHALLINGERROR: -5,
  UNIMPLEMENTED: -6,
  OPERATIONTIMEOUT: -7,
  BADARGUMENTS: -8,
  APIERROR: -100,
  NONODE: -101,
  NOAUTH: -102,
  BADVERSION: -103,
  NOCHILDRENFOREPHEMERALS: -108,
  NODEEXISTS: -110,
  NOTEMPTY: -111,
  SESSIONEXPIRED: -112,
  INVALIDCALLBACK: -113,
  INVALIDACL: -114,
  AUTHFAILED: -115,
  SESSIONMOVED: -118,
  NOTREADONLY: -119,
} as const;

export type ZkCodeName = keyof typeof ZkCode;

/** The names the Java client prints after "KeeperErrorCode = " (e.g. "NoNode", "NodeExists"). */
const JAVA_NAMES: Record<number, string> = {
  [ZkCode.SYSTEMERROR]: 'SystemError',
  [ZkCode.RUNTIMEINCONSISTENCY]: 'RuntimeInconsistency',
  [ZkCode.UNIMPLEMENTED]: 'Unimplemented',
  [ZkCode.BADARGUMENTS]: 'BadArguments',
  [ZkCode.NONODE]: 'NoNode',
  [ZkCode.NOAUTH]: 'NoAuth',
  [ZkCode.BADVERSION]: 'BadVersion',
  [ZkCode.NOCHILDRENFOREPHEMERALS]: 'NoChildrenForEphemerals',
  [ZkCode.NODEEXISTS]: 'NodeExists',
  [ZkCode.NOTEMPTY]: 'Directory not empty',
  [ZkCode.SESSIONEXPIRED]: 'Session expired',
  [ZkCode.INVALIDACL]: 'InvalidACL',
};

export class ZkError extends Error {
  constructor(
    readonly code: number,
    readonly path?: string,
  ) {
    const name = JAVA_NAMES[code] ?? `code ${code}`;
    super(`KeeperErrorCode = ${name}${path !== undefined ? ` for ${path}` : ''}`);
    this.name = 'ZkError';
  }
}

export function isZkError(error: unknown, code?: number): error is ZkError {
  return error instanceof ZkError && (code === undefined || error.code === code);
}
