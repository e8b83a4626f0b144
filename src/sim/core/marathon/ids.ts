// Marathon path ids (state/PathId.scala in 1.3.6), task ids (Task.Id.forRunSpec) and UUIDs.

/** The segment rule of PathId, printed in 422 bodies exactly as Marathon prints it. */
export const ID_SEGMENT_PATTERN =
  '^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])|(\\.|\\.\\.)$';

const SEGMENT =
  /^(?:(?:(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)*(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])|\.|\.\.)$/;

/** Splits an id into segments: empty segments dropped (leading, trailing and doubled slashes). */
export function segments(id: string): string[] {
  return id.split('/').filter((s) => s.length > 0);
}

/** Every raw segment fully matches the PathId rule (checked before `.`/`..` are resolved). */
export function validIdSegments(id: string): boolean {
  return segments(id).every((s) => SEGMENT.test(s));
}

/** Canonical absolute id: relative ids are taken against `base`, `.` and `..` resolved. */
export function canonicalId(id: string, base = '/'): string {
  const start = id.startsWith('/') ? [] : segments(base);
  const out = [...start];
  for (const s of segments(id)) {
    if (s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return '/' + out.join('/');
}

export function parentId(id: string): string {
  const s = segments(id);
  s.pop();
  return '/' + s.join('/');
}

/** The task id prefix: `/prod/web` → `prod_web`. */
export function safeId(id: string): string {
  return segments(id).join('_');
}

/** The Mesos task name Marathon uses: the id as a hostname, segments reversed (`web.prod`). */
export function hostnameOf(id: string): string {
  return segments(id).reverse().join('.');
}

const TASK_ID = /^(.+)[._]([^_.]+)$/;

/** The app id a task id belongs to (`prod_web.<uuid>` → `/prod/web`), as Task.Id.runSpecId reads it. */
export function appIdOfTask(taskId: string): string | undefined {
  const m = TASK_ID.exec(taskId);
  if (!m) return undefined;
  return '/' + m[1].split('_').join('/');
}

function randomBytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  globalThis.crypto.getRandomValues(b);
  return b;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** A random (version 4) UUID: deployment ids. */
export function uuidV4(): string {
  const b = randomBytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

let lastV1 = 0;
let v1Seq = 0;
const v1Node = hex(randomBytes(6));
const v1Clock = (randomBytes(2)[0] << 8) | randomBytes(1)[0];

/** A time-based (version 1) UUID from simulated time, as Marathon's task ids carry. */
export function uuidV1(nowMs: number): string {
  // 100-ns intervals since 1582-10-15; a sequence keeps ids unique within one millisecond.
  if (nowMs === lastV1) v1Seq++;
  else {
    lastV1 = nowMs;
    v1Seq = 0;
  }
  const ticks = (BigInt(nowMs) + 12219292800000n) * 10000n + BigInt(v1Seq % 10000);
  const timeLow = (ticks & 0xffffffffn).toString(16).padStart(8, '0');
  const timeMid = ((ticks >> 32n) & 0xffffn).toString(16).padStart(4, '0');
  const timeHi = (((ticks >> 48n) & 0x0fffn) | 0x1000n).toString(16).padStart(4, '0');
  const clockSeq = ((v1Clock & 0x3fff) | 0x8000).toString(16).padStart(4, '0');
  return `${timeLow}-${timeMid}-${timeHi}-${clockSeq}-${v1Node}`;
}

export function newTaskId(appId: string, nowMs: number): string {
  return `${safeId(appId)}.${uuidV1(nowMs)}`;
}
