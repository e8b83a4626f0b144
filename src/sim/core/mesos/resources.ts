// Resource arithmetic for the simulated master and agents, and the JSON shape Mesos 1.1
// gives resources in its HTTP endpoints (src/common/http.cpp: scalars always present as
// doubles, including gpus; ranges as a string like "[31000-31009]", absent when empty).
import type { PortRange, Resources } from './api.ts';
import { dbl, type MesosJson } from './json.ts';

export function emptyResources(): Resources {
  return { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] };
}

// Scalars are kept in thousandths, as Mesos 1.1 rounds scalar resources to three decimals.
function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export function normalizeRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = ranges
    .filter((r) => r.end >= r.begin)
    .map((r) => ({ begin: r.begin, end: r.end }))
    .sort((a, b) => a.begin - b.begin);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.begin <= last.end + 1) last.end = Math.max(last.end, r.end);
    else out.push(r);
  }
  return out;
}

function subtractRanges(from: readonly PortRange[], take: readonly PortRange[]): PortRange[] {
  let current = normalizeRanges(from);
  for (const t of take) {
    const next: PortRange[] = [];
    for (const r of current) {
      if (t.end < r.begin || t.begin > r.end) {
        next.push(r);
        continue;
      }
      if (t.begin > r.begin) next.push({ begin: r.begin, end: t.begin - 1 });
      if (t.end < r.end) next.push({ begin: t.end + 1, end: r.end });
    }
    current = next;
  }
  return current;
}

function rangesContain(outer: readonly PortRange[], inner: readonly PortRange[]): boolean {
  const o = normalizeRanges(outer);
  return normalizeRanges(inner).every((r) => o.some((x) => x.begin <= r.begin && r.end <= x.end));
}

export function addResources(a: Resources, b: Resources): Resources {
  return {
    cpus: round(a.cpus + b.cpus),
    mem: round(a.mem + b.mem),
    disk: round(a.disk + b.disk),
    gpus: round(a.gpus + b.gpus),
    ports: normalizeRanges([...a.ports, ...b.ports]),
  };
}

export function subtractResources(a: Resources, b: Resources): Resources {
  return {
    cpus: Math.max(0, round(a.cpus - b.cpus)),
    mem: Math.max(0, round(a.mem - b.mem)),
    disk: Math.max(0, round(a.disk - b.disk)),
    gpus: Math.max(0, round(a.gpus - b.gpus)),
    ports: subtractRanges(a.ports, b.ports),
  };
}

export function sumResources(list: Iterable<Resources>): Resources {
  let total = emptyResources();
  for (const r of list) total = addResources(total, r);
  return total;
}

/** Whether `inner` fits inside `outer` (every scalar and every port). */
export function containsResources(outer: Resources, inner: Resources): boolean {
  return (
    round(inner.cpus) <= round(outer.cpus) &&
    round(inner.mem) <= round(outer.mem) &&
    round(inner.disk) <= round(outer.disk) &&
    round(inner.gpus) <= round(outer.gpus) &&
    rangesContain(outer.ports, inner.ports)
  );
}

export function isEmptyResources(r: Resources): boolean {
  return r.cpus <= 0 && r.mem <= 0 && r.disk <= 0 && r.gpus <= 0 && r.ports.length === 0;
}

/** The allocator offers an agent's leftovers only if they reach MIN_CPUS or MIN_MEM (src/master/constants.hpp). */
export function isAllocatable(r: Resources): boolean {
  return r.cpus >= 0.01 || r.mem >= 32;
}

export function rangesString(ranges: readonly PortRange[]): string {
  return (
    '[' +
    normalizeRanges(ranges)
      .map((r) => `${r.begin}-${r.end}`)
      .join(', ') +
    ']'
  );
}

/** `json(Resources)` of src/common/http.cpp: cpus, gpus, mem, disk always; ports only when present. */
export function resourcesJson(r: Resources): { [key: string]: MesosJson } {
  const out: { [key: string]: MesosJson } = {
    disk: dbl(r.disk),
    mem: dbl(r.mem),
    gpus: dbl(r.gpus),
    cpus: dbl(r.cpus),
  };
  if (r.ports.length > 0) out.ports = rangesString(r.ports);
  return out;
}

/** The protobuf-JSON list form used by the `*_full` fields (`/master/slaves`, agent `/state`). */
export function resourcesFullJson(r: Resources, role = '*'): MesosJson[] {
  const out: MesosJson[] = [];
  const scalar = (name: string, value: number) => {
    if (value > 0) out.push({ name, role, scalar: { value: dbl(value) }, type: 'SCALAR' });
  };
  scalar('cpus', r.cpus);
  scalar('mem', r.mem);
  scalar('disk', r.disk);
  scalar('gpus', r.gpus);
  if (r.ports.length > 0) {
    out.push({
      name: 'ports',
      ranges: { range: normalizeRanges(r.ports).map((p) => ({ begin: p.begin, end: p.end })) },
      role,
      type: 'RANGES',
    });
  }
  return out;
}

/** Parses MESOS_RESOURCES text such as `cpus:2;mem:1024;disk:2048;ports:[31000-31009]`. */
export function parseResources(text: string): Resources {
  const r = emptyResources();
  for (const part of text.split(';')) {
    const idx = part.indexOf(':');
    if (idx === -1) continue;
    const name = part
      .slice(0, idx)
      .trim()
      .replace(/\(.*\)$/, '');
    const value = part.slice(idx + 1).trim();
    if (name === 'ports') {
      const ranges: PortRange[] = [];
      for (const m of value.matchAll(/(\d+)\s*-\s*(\d+)/g))
        ranges.push({ begin: Number(m[1]), end: Number(m[2]) });
      r.ports = normalizeRanges(ranges);
    } else if (name === 'cpus' || name === 'mem' || name === 'disk' || name === 'gpus') {
      r[name] = Number(value);
    }
  }
  return r;
}

/** Parses MESOS_ATTRIBUTES text such as `rack:a;zone:1`. */
export function parseAttributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(';')) {
    const idx = part.indexOf(':');
    if (idx === -1) continue;
    out[part.slice(0, idx).trim()] = part.slice(idx + 1).trim();
  }
  return out;
}

/** Dominant share of an allocation in a cluster total (DRF). */
export function dominantShare(allocated: Resources, total: Resources): number {
  let share = 0;
  for (const key of ['cpus', 'mem', 'disk', 'gpus'] as const) {
    if (total[key] > 0) share = Math.max(share, allocated[key] / total[key]);
  }
  return share;
}
