// Type a Chronos schedule (and a time zone) and see whether Chronos 3.0.1 would accept it and when it
// would run next, in UTC and in Brasília. It runs the simulator's own parser (src/sim/core/chronos/iso8601.ts).
import React, { useEffect, useId, useState } from 'react';
import { explainSchedule, formatInstant, isKnownTimeZone, zoneFor } from '../../sim/core/chronos/iso8601.ts';
import styles from './styles.module.css';

const SAO_PAULO = 'America/Sao_Paulo';
const ZONES = ['America/Sao_Paulo', 'UTC', 'America/Manaus', 'America/Noronha', 'Europe/Lisbon'];

/** "2026-12-01T06:17:00.000Z" → "01/12/2026 06:17:00" with the offset kept visible. */
function readable(epoch: number, zoneId: string): string {
  const text = formatInstant(epoch, zoneFor(zoneId));
  const m = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}:\d{2}:\d{2})\.\d{3}(.*)$/.exec(text);
  if (!m) return text;
  const offset = m[5] === 'Z' ? 'UTC' : `UTC${m[5].replace('-', '−')}`;
  return `${m[3]}/${m[2]}/${m[1]} ${m[4]} (${offset})`;
}

export interface ScheduleExplainerProps {
  initialSchedule?: string;
  initialTimeZone?: string;
}

export default function ScheduleExplainer({
  initialSchedule = 'R/2026-12-01T03:00:00/P1D',
  initialTimeZone = '',
}: ScheduleExplainerProps): React.JSX.Element {
  const id = useId();
  const [schedule, setSchedule] = useState(initialSchedule);
  const [timeZone, setTimeZone] = useState(initialTimeZone);
  // "Now" exists only in the browser: the static HTML shows no runs, so hydration never disagrees.
  const [now, setNow] = useState<number | undefined>(undefined);
  useEffect(() => setNow(Date.now()), []);

  const zone = timeZone.trim();
  const result = now === undefined ? undefined : explainSchedule(schedule, zone, now, 5);

  return (
    <section className={styles.box} aria-labelledby={`${id}-title`} data-component="schedule-explainer">
      <p id={`${id}-title`} className={styles.title}>
        Explicador de agendamentos do Chronos
      </p>
      <div className={styles.fields}>
        <label htmlFor={`${id}-schedule`}>Agendamento (schedule)</label>
        <input
          id={`${id}-schedule`}
          className={styles.input}
          value={schedule}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setSchedule(e.target.value)}
        />
        <label htmlFor={`${id}-zone`}>Fuso (scheduleTimeZone, opcional)</label>
        <input
          id={`${id}-zone`}
          className={styles.input}
          value={timeZone}
          list={`${id}-zones`}
          placeholder="vazio: o início é lido em UTC"
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setTimeZone(e.target.value)}
        />
        <datalist id={`${id}-zones`}>
          {ZONES.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </div>
      <div aria-live="polite" className={styles.result}>
        {result === undefined ? (
          <p>Calculando as próximas execuções…</p>
        ) : result.valid ? (
          <>
            <p className={styles.valid} data-verdict="valido">
              ✔ Agendamento válido. {result.summary}
            </p>
            {zone && !isKnownTimeZone(zone) && (
              <p className={styles.warn}>
                Atenção: o Chronos não conhece o fuso “{zone}” e, sem avisar, usa UTC no lugar dele.
              </p>
            )}
            {result.runs.length > 0 ? (
              <table className={styles.table}>
                <caption>Próximas execuções</caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">UTC</th>
                    <th scope="col">Brasília ({SAO_PAULO})</th>
                  </tr>
                </thead>
                <tbody>
                  {result.runs.map((run, i) => (
                    <tr key={run}>
                      <td>{i + 1}</td>
                      <td>{readable(run, 'UTC')}</td>
                      <td>{readable(run, SAO_PAULO)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p>Com esse agendamento o job não roda mais nenhuma vez.</p>
            )}
          </>
        ) : (
          <>
            <p className={styles.invalid} data-verdict="invalido">
              ✘ O Chronos recusaria este agendamento com <code>400 Bad Request</code>:
            </p>
            <pre className={styles.error}>{result.error}</pre>
            <p>
              O formato é <code>R[n]/início/período</code>: por exemplo{' '}
              <code>R/2026-12-01T06:00:00Z/P1D</code> (todo dia às 06:00 UTC) ou <code>R5//PT10M</code> (cinco
              vezes, de 10 em 10 minutos, a partir de agora).
            </p>
          </>
        )}
      </div>
    </section>
  );
}
