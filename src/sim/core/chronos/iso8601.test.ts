import { describe, expect, it } from 'vitest';
import {
  addPeriod,
  advanceAfterLaunch,
  formatInstant,
  formatPeriod,
  formatSchedule,
  invalidScheduleMessage,
  nextRuns,
  parsePeriod,
  parseSchedule,
  validateSchedule,
  explainSchedule,
  zoneFor,
} from './iso8601.ts';

const T = (iso: string) => Date.parse(iso);

describe('parseSchedule', () => {
  it('reads repetitions, start and period', () => {
    const s = parseSchedule('R5/2026-03-01T10:00:00Z/PT1M')!;
    expect(s.repeat).toBe(5);
    expect(s.start).toBe(T('2026-03-01T10:00:00Z'));
    expect(s.period).toMatchObject({ minutes: 1, hours: 0, days: 0 });
    expect(parseSchedule('R/2026-03-01T10:00:00Z/PT1M')!.repeat).toBe(-1);
    expect(parseSchedule('R0/2026-03-01T10:00:00Z/P1D')!.repeat).toBe(0);
  });

  it('keeps the wall clock and drops the written offset when scheduleTimeZone is set (the UTC vs São Paulo trap)', () => {
    const utc = parseSchedule('R/2026-03-01T10:00:00Z/PT1H')!;
    const sp = parseSchedule('R/2026-03-01T10:00:00Z/PT1H', 'America/Sao_Paulo')!;
    expect(utc.start).toBe(T('2026-03-01T10:00:00Z'));
    // 10:00 in São Paulo (UTC-3) is 13:00 UTC, although the text says Z.
    expect(sp.start).toBe(T('2026-03-01T13:00:00Z'));
    expect(formatSchedule(sp)).toBe('R/2026-03-01T10:00:00.000-03:00/PT1H');
    // Without a zone, an explicit offset is honoured.
    expect(parseSchedule('R/2026-03-01T10:00:00-03:00/PT1H')!.start).toBe(T('2026-03-01T13:00:00Z'));
  });

  it('reads a start without offset as UTC, and unknown zones as UTC', () => {
    expect(parseSchedule('R/2026-03-01T10:00/PT1H')!.start).toBe(T('2026-03-01T10:00:00Z'));
    expect(parseSchedule('R/2026-03-01/PT1H')!.start).toBe(T('2026-03-01T00:00:00Z'));
    expect(parseSchedule('R/2026-03-01T10:00:00Z/PT1H', 'Mars/Olympus')!.start).toBe(
      T('2026-03-01T10:00:00Z'),
    );
    expect(zoneFor('Nowhere/Land')).toEqual({ kind: 'fixed', offsetMinutes: 0 });
  });

  it('takes an empty start as now minus one second', () => {
    const now = T('2026-03-01T10:00:00Z');
    expect(parseSchedule('R1//PT1M', '', now)!.start).toBe(now - 1000);
  });

  it.each([
    '',
    'R/2026-03-01T10:00:00Z',
    '2026-03-01T10:00:00Z/PT1M',
    'X/2026-03-01T10:00:00Z/PT1M',
    'R5/2026-13-01T10:00:00Z/PT1M',
    'R5/2026-02-30T10:00:00Z/PT1M',
    'R5/2026-03-01T25:00:00Z/PT1M',
    'R/tomorrow/PT1M',
    'R/2026-03-01T10:00:00Z/1M',
    'R/2026-03-01T10:00:00Z/P',
    'R/2026-03-01T10:00:00Z/PT',
    'R/2026-03-01T10:00:00Z/PT1X',
    'R-1/2026-03-01T10:00:00Z/PT1M',
    '*/5 * * * *',
  ])('refuses %j with the Chronos message', (schedule) => {
    expect(parseSchedule(schedule)).toBeUndefined();
    expect(validateSchedule(schedule)).toBe(`Cannot parse schedule '${schedule}' (wtf bro)`);
  });

  it('builds the invalid-schedule message exactly', () => {
    expect(invalidScheduleMessage('abc')).toBe("Cannot parse schedule 'abc' (wtf bro)");
    expect(validateSchedule('R/2026-03-01T10:00:00Z/PT1M')).toBeUndefined();
  });
});

describe('periods', () => {
  it('parses and prints Joda standard periods', () => {
    expect(formatPeriod(parsePeriod('P1Y2M3W4DT5H6M7S')!)).toBe('P1Y2M3W4DT5H6M7S');
    expect(formatPeriod(parsePeriod('PT90S')!)).toBe('PT90S');
    expect(formatPeriod(parsePeriod('PT1.5S')!)).toBe('PT1.500S');
    expect(formatPeriod(parsePeriod('pt1m')!)).toBe('PT1M');
    expect(formatPeriod(parsePeriod('PT0S')!)).toBe('PT0S');
  });

  it('adds calendar fields in the zone and time fields as durations', () => {
    const utc = zoneFor('UTC');
    expect(addPeriod(T('2026-01-31T00:00:00Z'), utc, parsePeriod('P1M')!)).toBe(T('2026-02-28T00:00:00Z'));
    expect(addPeriod(T('2026-01-31T00:00:00Z'), utc, parsePeriod('P1M')!, 2)).toBe(T('2026-03-31T00:00:00Z'));
    // New York moves to daylight time on 2026-03-08: P1D keeps 12:00 local, 23 hours later.
    const ny = zoneFor('America/New_York');
    const noon = T('2026-03-07T17:00:00Z');
    expect(addPeriod(noon, ny, parsePeriod('P1D')!)).toBe(T('2026-03-08T16:00:00Z'));
    expect(addPeriod(noon, ny, parsePeriod('PT24H')!)).toBe(T('2026-03-08T17:00:00Z'));
  });

  it('prints instants as Joda dateTime', () => {
    expect(formatInstant(T('2026-03-01T10:00:00.5Z'))).toBe('2026-03-01T10:00:00.500Z');
    expect(formatInstant(T('2026-03-01T13:00:00Z'), zoneFor('America/Sao_Paulo'))).toBe(
      '2026-03-01T10:00:00.000-03:00',
    );
  });
});

describe('launch bookkeeping', () => {
  it('moves the start after now and spends one repetition per launch', () => {
    const at = T('2026-01-01T00:00:00.500Z');
    expect(advanceAfterLaunch('R3/2026-01-01T00:00:00Z/PT1M', '', at)).toBe(
      'R2/2026-01-01T00:01:00.000Z/PT1M',
    );
    expect(advanceAfterLaunch('R/2026-01-01T00:00:00Z/PT1M', '', T('2026-01-01T00:10:30Z'))).toBe(
      'R/2026-01-01T00:11:00.000Z/PT1M',
    );
    // a start still ahead stays, the count still goes down (manual run before the first start)
    expect(advanceAfterLaunch('R2/2026-01-01T01:00:00Z/PT1M', '', at)).toBe(
      'R1/2026-01-01T01:00:00.000Z/PT1M',
    );
  });

  it('lists the next runs', () => {
    const now = T('2026-01-01T00:00:30Z');
    expect(nextRuns('R/2026-01-01T00:00:00Z/PT1M', '', now, 3)).toEqual([
      now,
      T('2026-01-01T00:01:00Z'),
      T('2026-01-01T00:02:00Z'),
    ]);
    expect(nextRuns('R2/2026-01-01T01:00:00Z/PT1H', '', now, 5)).toEqual([
      T('2026-01-01T01:00:00Z'),
      T('2026-01-01T02:00:00Z'),
    ]);
    expect(nextRuns('R/2026-01-01T08:00:00Z/P1D', 'America/Sao_Paulo', now, 1)).toEqual([
      T('2026-01-01T11:00:00Z'),
    ]);
  });
});

describe('explainSchedule', () => {
  it('explains in Portuguese and lists the next runs', () => {
    const now = T('2026-01-01T00:00:00Z');
    const e = explainSchedule('R3/2026-01-01T10:00:00Z/PT1M', 'America/Sao_Paulo', now, 2);
    expect(e.valid).toBe(true);
    expect(e.summary).toBe(
      'Roda 3 vezes, a partir de 2026-01-01T10:00:00.000-03:00, a cada 1 minuto. O fuso America/Sao_Paulo vale para o horário escrito; um Z ou deslocamento no texto é ignorado.',
    );
    expect(e.runs).toEqual([T('2026-01-01T13:00:00Z'), T('2026-01-01T13:01:00Z')]);
    expect(explainSchedule('R//P1DT12H', '', now).summary).toBe(
      'Repete para sempre, a partir de agora (o início já passou), a cada 1 dia e 12 horas.',
    );
    expect(explainSchedule('nope')).toEqual({
      valid: false,
      error: "Cannot parse schedule 'nope' (wtf bro)",
      runs: [],
    });
  });
});
