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

const MARK = '\u0000dbl:';
const MARKED = /"\\u0000dbl:([^"]*)"/g;

/** Compact JSON where `Dbl` values keep their decimal point; `undefined` fields are omitted. */
export function stringify(value: unknown): string {
  // Native JSON.stringify with Dbl written as a marked string, then unquoted.
  const text = JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Dbl ? MARK + formatDouble(v.value) : v,
  );
  if (text === undefined) return 'null';
  return text.includes('\\u0000dbl:') ? text.replace(MARKED, '$1') : text;
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
