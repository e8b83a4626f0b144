// Chronos 3.0.1 schedules: ISO 8601 repeating intervals `R[n]/<start>/<period>`.
//
// Standalone on purpose (no imports): the course site's schedule explainer loads this file in
// the browser. It follows what Chronos does with Joda-Time, not the ISO standard in general:
//  - the whole string must match `(R[0-9]*)/(.*)/(P.*)`; `R` alone repeats forever (-1 inside);
//  - an empty start means "now minus one second";
//  - the start is read like Joda's `DateTime.parse` (ISO date, optional `T` time, optional
//    offset); without an offset it is UTC (the JVM zone of the Chronos container);
//  - when `scheduleTimeZone` is set, the start's wall-clock fields are kept and re-read in that
//    zone, so an explicit `Z` or offset in the start is ignored (the "UTC vs São Paulo" trap);
//    an unknown zone id silently becomes UTC/GMT, as Java's TimeZone.getTimeZone does;
//  - the period is Joda's standard ISO period `PnYnMnWnDTnHnMnS` (seconds may have a fraction);
//    years, months, weeks and days move the calendar in the start's zone, hours, minutes and
//    seconds are exact durations.
// Assumptions (Joda details not verified): designators after `P` are accepted in any case,
// negative numbers in periods and week/ordinal dates in the start are refused.

/** Where a start instant's wall-clock fields are read: a fixed UTC offset or a tz database zone. */
export type ScheduleZone = { kind: 'fixed'; offsetMinutes: number } | { kind: 'tz'; id: string };

export interface Period {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
  millis: number;
}

export interface ParsedSchedule {
  /** Repetitions left; -1 means forever (`R` without a number). */
  repeat: number;
  /** The start instant, in epoch milliseconds. */
  start: number;
  /** The zone the start is expressed in (and in which calendar periods are added). */
  zone: ScheduleZone;
  period: Period;
}

/** The 400 message Chronos 3.0.1 answers for a schedule it cannot parse. */
export function invalidScheduleMessage(schedule: string): string {
  return `Cannot parse schedule '${schedule}' (wtf bro)`;
}

const EXPRESSION = /^(R[0-9]*)\/(.*)\/(P.*)$/s;
const START =
  /^([+-]?\d{4,9})(?:-(\d{2})(?:-(\d{2}))?)?(?:T(?:(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?)?(Z|[+-]\d{2}(?::\d{2})?)?)?$/;
const PERIOD =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d{1,3}))?S)?)?$/i;

const UTC: ScheduleZone = { kind: 'fixed', offsetMinutes: 0 };

/** Parses a schedule as Chronos does; undefined when Chronos would answer "Cannot parse schedule". */
export function parseSchedule(schedule: string, timeZone = '', now = Date.now()): ParsedSchedule | undefined {
  const m = EXPRESSION.exec(schedule);
  if (!m) return undefined;
  const repeatText = m[1].slice(1);
  const repeat = repeatText === '' ? -1 : Number(repeatText);
  if (!Number.isSafeInteger(repeat)) return undefined;
  const period = parsePeriod(m[3]);
  if (!period) return undefined;
  if (m[2] === '') return { repeat, start: now - 1000, zone: UTC, period };
  const start = parseStart(m[2], timeZone);
  if (!start) return undefined;
  return { repeat, start: start.epoch, zone: start.zone, period };
}

export function isValidSchedule(schedule: string, timeZone = ''): boolean {
  return parseSchedule(schedule, timeZone) !== undefined;
}

/** Validates a schedule: undefined when valid, else the exact 400 message of Chronos. */
export function validateSchedule(schedule: string, timeZone = ''): string | undefined {
  return isValidSchedule(schedule, timeZone) ? undefined : invalidScheduleMessage(schedule);
}

export function parsePeriod(text: string): Period | undefined {
  const m = PERIOD.exec(text);
  if (!m) return undefined;
  if (/T$/i.test(text)) return undefined; // a `T` with no time field after it
  if (text.length === 1) return undefined; // `P` alone
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  const p: Period = {
    years: n(m[1]),
    months: n(m[2]),
    weeks: n(m[3]),
    days: n(m[4]),
    hours: n(m[5]),
    minutes: n(m[6]),
    seconds: n(m[7]),
    millis: m[8] === undefined ? 0 : Number(m[8].padEnd(3, '0')),
  };
  if (Object.values(p).some((v) => !Number.isSafeInteger(v) || v > 2 ** 31 - 1)) return undefined;
  return p;
}

/** Prints a period as Joda's ISOPeriodFormat.standard does (zero fields left out; `PT0S` if all zero). */
export function formatPeriod(p: Period): string {
  let out = 'P';
  if (p.years) out += `${p.years}Y`;
  if (p.months) out += `${p.months}M`;
  if (p.weeks) out += `${p.weeks}W`;
  if (p.days) out += `${p.days}D`;
  let time = '';
  if (p.hours) time += `${p.hours}H`;
  if (p.minutes) time += `${p.minutes}M`;
  if (p.seconds || p.millis) {
    time += p.millis ? `${p.seconds}.${String(p.millis).padStart(3, '0')}S` : `${p.seconds}S`;
  }
  if (time) out += `T${time}`;
  return out === 'P' ? 'PT0S' : out;
}

function parseStart(text: string, timeZone: string): { epoch: number; zone: ScheduleZone } | undefined {
  const m = START.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  const local = utcFields(year, month, day, hour, minute, second, millis);
  let zone: ScheduleZone = UTC;
  if (m[8] !== undefined && m[8] !== 'Z') {
    const sign = m[8][0] === '-' ? -1 : 1;
    const hh = Number(m[8].slice(1, 3));
    const mm = m[8].length > 3 ? Number(m[8].slice(4, 6)) : 0;
    if (hh > 23 || mm > 59) return undefined;
    zone = { kind: 'fixed', offsetMinutes: sign * (hh * 60 + mm) };
  }
  // withZoneRetainFields: the wall-clock fields stay, the offset written in the text is dropped.
  if (timeZone) zone = zoneFor(timeZone);
  return { epoch: localToInstant(local, zone), zone };
}

/** The zone Java's TimeZone.getTimeZone would give for an id: unknown ids become GMT. */
export function zoneFor(id: string): ScheduleZone {
  if (id === 'UTC' || id === 'GMT' || id === 'Z') return UTC;
  const custom = /^GMT([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(id);
  if (custom) {
    const minutes = Number(custom[2]) * 60 + (custom[3] ? Number(custom[3]) : 0);
    return { kind: 'fixed', offsetMinutes: custom[1] === '-' ? -minutes : minutes };
  }
  return formatterFor(id) ? { kind: 'tz', id } : UTC;
}

/** Whether a time zone id is known (Chronos itself accepts unknown ids silently as GMT). */
export function isKnownTimeZone(id: string): boolean {
  return id === 'UTC' || id === 'GMT' || formatterFor(id) !== undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(id: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(id);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: id,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      f = null;
    }
    formatters.set(id, f);
  }
  return f ?? undefined;
}

/** The zone's offset from UTC at an instant, in minutes. */
export function offsetAt(zone: ScheduleZone, epoch: number): number {
  if (zone.kind === 'fixed') return zone.offsetMinutes;
  const f = formatterFor(zone.id);
  if (!f) return 0;
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(epoch))) parts[p.type] = p.value;
  let year = Number(parts.year);
  if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
  const asUtc = utcFields(
    year,
    Number(parts.month),
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
    0,
  );
  const whole = epoch - (((epoch % 1000) + 1000) % 1000);
  return Math.round((asUtc - whole) / 60000);
}

/** Epoch ms whose wall clock in `zone` shows these local fields (given as a UTC timestamp). */
function localToInstant(local: number, zone: ScheduleZone): number {
  if (zone.kind === 'fixed') return local - zone.offsetMinutes * 60000;
  const first = local - offsetAt(zone, local) * 60000;
  const second = local - offsetAt(zone, first) * 60000;
  if (second === first) return first;
  // Near a transition: prefer the candidate whose wall clock matches; in a gap, move forward.
  if (instantToLocal(second, zone) === local) return second;
  if (instantToLocal(first, zone) === local) return first;
  return Math.max(first, second);
}

function instantToLocal(epoch: number, zone: ScheduleZone): number {
  return epoch + offsetAt(zone, epoch) * 60000;
}

function utcFields(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

/** Adds `times` × period to an instant, as Joda's `DateTime.plus(period.multipliedBy(times))`. */
export function addPeriod(epoch: number, zone: ScheduleZone, p: Period, times = 1): number {
  let t = epoch;
  if (p.years || p.months || p.weeks || p.days) {
    const local = new Date(instantToLocal(t, zone));
    const totalMonths = local.getUTCMonth() + (p.years * 12 + p.months) * times;
    const year = local.getUTCFullYear() + Math.floor(totalMonths / 12);
    const month = (((totalMonths % 12) + 12) % 12) + 1;
    const day = Math.min(local.getUTCDate(), daysInMonth(year, month));
    let shifted = utcFields(
      year,
      month,
      day,
      local.getUTCHours(),
      local.getUTCMinutes(),
      local.getUTCSeconds(),
      local.getUTCMilliseconds(),
    );
    shifted += (p.weeks * 7 + p.days) * times * 86_400_000;
    t = localToInstant(shifted, zone);
  }
  return t + periodExactMillis(p) * times;
}

/** The hours/minutes/seconds/millis part of a period, in milliseconds. */
function periodExactMillis(p: Period): number {
  return ((p.hours * 60 + p.minutes) * 60 + p.seconds) * 1000 + p.millis;
}

/** Joda's `Period.toStandardSeconds` (weeks and days as 7 × 24 h and 24 h; millis dropped). */
function standardSeconds(p: Period): number {
  return Math.floor(((p.weeks * 7 + p.days) * 86_400_000 + periodExactMillis(p)) / 1000);
}

/** Prints an instant as Joda's ISODateTimeFormat.dateTime: `yyyy-MM-ddTHH:mm:ss.SSSZZ` (`Z` for +00:00). */
export function formatInstant(epoch: number, zone: ScheduleZone = UTC): string {
  const offset = offsetAt(zone, epoch);
  const d = new Date(epoch + offset * 60000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const y = d.getUTCFullYear();
  const year = y < 0 ? `-${pad(-y, 4)}` : pad(y, 4);
  const base = `${year}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
  if (offset === 0) return `${base}Z`;
  const abs = Math.abs(offset);
  return `${base}${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Builds a schedule string as Chronos does after moving it (`Iso8601Expressions.create`). */
export function formatSchedule(s: ParsedSchedule): string {
  const r = s.repeat === -1 ? 'R' : `R${s.repeat}`;
  return `${r}/${formatInstant(s.start, s.zone)}/${formatPeriod(s.period)}`;
}

/**
 * How many whole periods move the start after `now` (Chronos' `calculateSkips`): month-based
 * periods are stepped one by one, others divided in whole seconds; 0 when the start is ahead.
 */
export function skipsUntil(s: ParsedSchedule, now: number): number {
  // Joda's toStandardSeconds throws for a period with years and no months; stepping one
  // period at a time is what such a period can only mean, so years are stepped too (assumption).
  if (s.period.months >= 1 || s.period.years >= 1) {
    let skips = 0;
    let t = s.start;
    while (t < now) {
      t = addPeriod(t, s.zone, s.period);
      skips++;
      if (skips > 1_000_000) break;
    }
    return skips;
  }
  const secs = standardSeconds(s.period);
  if (s.start < now && secs > 0) return Math.floor(Math.floor((now - s.start) / 1000) / secs) + 1;
  return 0;
}

/**
 * The schedule after one launch at `now`, as Chronos 3.0.1 rewrites it: the start moves forward
 * by `skipsUntil` periods and a finite count goes down by one (the spec's reading of
 * `JobUtils.skipForward` applied on every launch). Undefined for an unparsable schedule.
 */
export function advanceAfterLaunch(schedule: string, timeZone: string, now: number): string | undefined {
  const s = parseSchedule(schedule, timeZone, now);
  if (!s) return undefined;
  const skips = skipsUntil(s, now);
  const start = skips > 0 ? addPeriod(s.start, s.zone, s.period, skips) : s.start;
  const repeat = s.repeat === -1 ? -1 : Math.max(0, s.repeat - 1);
  return formatSchedule({ ...s, start, repeat });
}

/**
 * The next `count` run times (epoch ms) from `now` on, as the scheduler would launch them if
 * every run started on time: a start already in the past runs at once (at `now`).
 */
export function nextRuns(schedule: string, timeZone = '', now = Date.now(), count = 5): number[] {
  let current: string | undefined = schedule;
  const runs: number[] = [];
  let t = now;
  for (let i = 0; i < count && current; i++) {
    const s = parseSchedule(current, timeZone, t);
    if (!s || s.repeat === 0) break;
    const at = Math.max(s.start, t);
    runs.push(at);
    // the scheduler launches strictly after the start, so the next start is after `at`
    t = at + 1;
    current = advanceAfterLaunch(current, timeZone, t);
  }
  return runs;
}

// ---- explanation in Portuguese, for the course site's schedule explainer ---------------------

const UNITS: [keyof Period, string, string][] = [
  ['years', 'ano', 'anos'],
  ['months', 'mês', 'meses'],
  ['weeks', 'semana', 'semanas'],
  ['days', 'dia', 'dias'],
  ['hours', 'hora', 'horas'],
  ['minutes', 'minuto', 'minutos'],
  ['seconds', 'segundo', 'segundos'],
  ['millis', 'milissegundo', 'milissegundos'],
];

/** "1 minuto", "1 dia e 12 horas", "2 semanas". */
export function describePeriod(p: Period): string {
  const parts = UNITS.filter(([k]) => p[k] > 0).map(([k, one, many]) => `${p[k]} ${p[k] === 1 ? one : many}`);
  if (parts.length === 0) return '0 segundos';
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} e ${parts[parts.length - 1]}`;
}

export interface ScheduleExplanation {
  valid: boolean;
  /** The 400 message Chronos would answer, when invalid. */
  error?: string;
  /** One sentence in Portuguese: how many times, from when, how often. */
  summary?: string;
  /** The next runs (epoch ms), at most `count`. */
  runs: number[];
}

/** Explains a schedule as Chronos 3.0.1 would run it, in Portuguese. */
export function explainSchedule(
  schedule: string,
  timeZone = '',
  now = Date.now(),
  count = 5,
): ScheduleExplanation {
  const s = parseSchedule(schedule, timeZone, now);
  if (!s) return { valid: false, error: invalidScheduleMessage(schedule), runs: [] };
  const times =
    s.repeat === -1
      ? 'Repete para sempre'
      : s.repeat === 0
        ? 'Não roda nenhuma vez'
        : `Roda ${s.repeat} ${s.repeat === 1 ? 'vez' : 'vezes'}`;
  const from =
    s.start < now
      ? 'a partir de agora (o início já passou)'
      : `a partir de ${formatInstant(s.start, s.zone)}`;
  const zone = timeZone
    ? ` O fuso ${timeZone} vale para o horário escrito; um Z ou deslocamento no texto é ignorado.`
    : '';
  return {
    valid: true,
    summary: `${times}, ${from}, a cada ${describePeriod(s.period)}.${zone}`,
    runs: nextRuns(schedule, timeZone, now, count),
  };
}
