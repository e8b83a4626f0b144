// JSON as Marathon 1.3.6 writes it: compact, fields in a fixed order, and Scala doubles with a
// decimal point ("cpus":1.0). JavaScript numbers lose that distinction, so double fields are
// wrapped in `Dbl` while a response is being built and written by `stringify`.

export class Dbl {
  constructor(readonly value: number) {}
}

export function dbl(value: number): Dbl {
  return new Dbl(value);
}

/** A Scala/Java Double as `toString` prints it for the values the course meets (1.0, 0.5, 128.0). */
export function formatDouble(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return v.toFixed(1);
  return String(v);
}

/** Compact JSON where `Dbl` values keep their decimal point; `undefined` fields are omitted. */
export function stringify(value: unknown): string {
  if (value instanceof Dbl) return formatDouble(value.value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value))
    return '[' + value.map((v) => (v === undefined ? 'null' : stringify(v))).join(',') + ']';
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      parts.push(JSON.stringify(k) + ':' + stringify(v));
    }
    return '{' + parts.join(',') + '}';
  }
  return 'null';
}

/** Joda's ISO format in UTC with milliseconds: 2016-11-04T15:12:27.123Z. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function parseIsoTime(s: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/.test(s)) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}
