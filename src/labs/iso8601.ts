// Chronos 3.0.1 schedules for the lab checks: the verdict is the simulator's faithful parser
// (src/sim/core/chronos/iso8601.ts); this file only adds what the checks need on top of it — a
// Portuguese explanation of why a schedule is refused, the period as a duration, and the wall clock
// of an instant in a time zone.

import {
  type ParsedSchedule,
  type Period,
  offsetAt,
  parsePeriod,
  parseSchedule,
  zoneFor,
} from '../sim/core/chronos/iso8601.ts';

export type { ParsedSchedule, Period };

/** The period in ms when it has no years or months (those depend on the calendar). */
export function periodMs(p: Period): number | undefined {
  if (p.years || p.months) return undefined;
  return ((((p.weeks * 7 + p.days) * 24 + p.hours) * 60 + p.minutes) * 60 + p.seconds) * 1000 + p.millis;
}

/**
 * Parses a schedule exactly as Chronos does (an unknown `scheduleTimeZone` silently means GMT there,
 * so it does here too); when Chronos would refuse it, says in Portuguese which part is wrong.
 */
export function parseChronosSchedule(
  schedule: string,
  scheduleTimeZone = '',
): ParsedSchedule | { error: string } {
  const parsed = parseSchedule(schedule, scheduleTimeZone);
  if (parsed) return parsed;
  const bad = (why: string) => ({ error: `O agendamento "${schedule}" não é válido: ${why}` });
  const parts = /^(R\d*)\/(.*)\/(P.*)$/s.exec(schedule);
  if (!parts) return bad('o formato é R/<início>/<período>, como "R/2026-03-01T06:15:00Z/P1D".');
  if (!parsePeriod(parts[3])) {
    return bad(`o período "${parts[3]}" não está em ISO 8601 (exemplos: PT1M, PT1H, P1D).`);
  }
  if (!Number.isSafeInteger(Number(parts[1].slice(1)))) return bad('o número de repetições é grande demais.');
  return bad(`o início "${parts[2]}" não é uma data ISO 8601 (exemplo: 2026-03-01T06:15:00Z).`);
}

/** Hours and minutes of an instant on the wall clock of a time zone (as Chronos reads the zone id). */
export function wallClock(instant: number, timeZone: string): { hour: number; minute: number } {
  const d = new Date(instant + offsetAt(zoneFor(timeZone), instant) * 60_000);
  return { hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

export function hhmm(t: { hour: number; minute: number }): string {
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}
