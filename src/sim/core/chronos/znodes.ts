// What Chronos writes into ZooKeeper (spec C.3). Its store is Mesos' ZooKeeperState: each znode
// under `<zk_path>/state/` holds a serialized `mesos.internal.state.Entry` protobuf
// (`name` = 1, `uuid` = 2, `value` = 3), whose value is the job JSON or the FrameworkID protobuf.

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function field(tag: number, bytes: Uint8Array): number[] {
  return [(tag << 3) | 2, ...varint(bytes.length), ...bytes];
}

/** A version-4-shaped UUID in 16 bytes, derived from a seed (the simulator has no randomness source it must use). */
function uuidBytes(seed: number): Uint8Array {
  const out = new Uint8Array(16);
  let x = Math.floor(seed) % 2147483647 || 7;
  for (let i = 0; i < 16; i++) {
    x = (x * 16807) % 2147483647;
    out[i] = x & 0xff;
  }
  out[6] = (out[6] & 0x0f) | 0x40;
  out[8] = (out[8] & 0x3f) | 0x80;
  return out;
}

export function encodeEntry(name: string, value: Uint8Array, seed: number): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const parts: [number, Uint8Array][] = [
    [1, nameBytes],
    [2, uuidBytes(seed + name.length)],
    [3, value],
  ];
  const heads = parts.map(([tag, bytes]) => [(tag << 3) | 2, ...varint(bytes.length)]);
  const out = new Uint8Array(parts.reduce((n, [, b], i) => n + heads[i].length + b.length, 0));
  let at = 0;
  parts.forEach(([, bytes], i) => {
    out.set(heads[i], at);
    at += heads[i].length;
    out.set(bytes, at);
    at += bytes.length;
  });
  return out;
}

/** `mesos.FrameworkID { required string value = 1; }` */
export function encodeFrameworkId(id: string): Uint8Array {
  return Uint8Array.from(field(1, new TextEncoder().encode(id)));
}

/** Reads an Entry back: its name and value (for tests and tools). */
export function decodeEntry(data: Uint8Array): { name: string; value: Uint8Array } | undefined {
  let i = 0;
  let name: string | undefined;
  let value: Uint8Array | undefined;
  while (i < data.length) {
    const key = data[i++];
    if ((key & 7) !== 2) return undefined;
    let len = 0;
    let shift = 1;
    for (;;) {
      const b = data[i++];
      len += (b & 0x7f) * shift;
      shift *= 128;
      if (b < 0x80) break;
    }
    const chunk = data.subarray(i, i + len);
    i += len;
    if (key >> 3 === 1) name = new TextDecoder().decode(chunk);
    if (key >> 3 === 3) value = chunk;
  }
  return name !== undefined && value !== undefined ? { name, value } : undefined;
}
