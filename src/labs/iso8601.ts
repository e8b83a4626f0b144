// Chronos 3.0.1 schedules, `R[n]/<start>/<period>`, as its Iso8601Expressions reads them, and the
// wall-clock time a start means in a time zone. Used by the lab 03 checks (isomorphic: Intl only).

export interface Period {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export interface ParsedSchedule {
  /** null = repeat forever (`R`). */
  repeat: number | null;
  /** The first run, as an instant (ms since the epoch). */
  start: number;
  period: Period;
  /** The period in ms when it has no years or months. */
  periodMs?: number;
}

const PERIOD =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

export function parsePeriod(text: string): Period | undefined {
  const m = PERIOD.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const n = (i: number) => (m[i] ? Number(m[i]) : 0);
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

export function periodMs(p: Period): number | undefined {
  if (p.years || p.months) return undefined;
  return ((((p.weeks * 7 + p.days) * 24 + p.hours) * 60 + p.minutes) * 60 + p.seconds) * 1000;
}

/** Offset of a time zone from UTC at an instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

function isZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses a Chronos schedule. With a non-empty scheduleTimeZone, the start's wall-clock fields are read
 * in that zone, whatever offset the text carries (Chronos re-interprets them; an unknown zone id becomes
 * GMT there, silently — here it is reported, since it is almost always a typo). Without a zone, a start
 * with no offset is UTC (the JVM's zone in the course images).
 */
export function parseChronosSchedule(
  schedule: string,
  scheduleTimeZone = '',
): ParsedSchedule | { error: string } {
  const bad = (why: string) => ({ error: `O agendamento "${schedule}" não é válido: ${why}` });
  const parts = /^(R\d*)\/(.*)\/(P.*)$/.exec(schedule.trim());
  if (!parts) return bad('o formato é R/<início>/<período>, como "R/2026-03-01T06:15:00Z/P1D".');
  const repeat = parts[1] === 'R' ? null : Number(parts[1].slice(1));
  const period = parsePeriod(parts[3]);
  if (!period) return bad(`o período "${parts[3]}" não está em ISO 8601 (exemplos: PT1M, PT1H, P1D).`);
  if (periodMs(period) === 0) return bad('o período não pode ser zero.');
  let start: number;
  if (parts[2] === '') {
    start = Date.now() - 1000;
  } else {
    const m = DATE_TIME.exec(parts[2]);
    if (!m) return bad(`o início "${parts[2]}" não é uma data ISO 8601 (exemplo: 2026-03-01T06:15:00Z).`);
    const fields = [
      Number(m[1]),
      Number(m[2]) - 1,
      Number(m[3]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
    ];
    const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
    const wall = Date.UTC(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], ms);
    if (scheduleTimeZone !== '') {
      if (!isZone(scheduleTimeZone)) {
        return bad(`o fuso "${scheduleTimeZone}" não existe (use um nome como "America/Sao_Paulo").`);
      }
      const guess = wall - zoneOffsetMs(wall, scheduleTimeZone);
      start = wall - zoneOffsetMs(guess, scheduleTimeZone);
    } else if (!m[8] || m[8] === 'Z') {
      start = wall;
    } else {
      const sign = m[8][0] === '-' ? -1 : 1;
      const digits = m[8].slice(1).replace(':', '');
      const offset = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
      start = wall - sign * offset;
    }
    if (start < Date.UTC(1970, 0, 1, 0, 0, 1)) return bad('o início é anterior a 1970.');
  }
  return { repeat, start, period, periodMs: periodMs(period) };
}

/** Hours and minutes of an instant on the wall clock of a time zone. */
export function wallClock(instant: number, timeZone: string): { hour: number; minute: number } {
  const local = instant + zoneOffsetMs(instant, timeZone);
  const d = new Date(local);
  return { hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

export function hhmm(t: { hour: number; minute: number }): string {
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}
