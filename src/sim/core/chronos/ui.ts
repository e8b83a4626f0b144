// The page Chronos serves at `/`, written for the simulator: the jobs with the same names and
// fields the real web UI shows (name, last result, state, schedule or parents).
import type { ChronosScheduler } from './scheduler.ts';
import { lastState } from './scheduler.ts';

const escape = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

const RESULT: Record<string, string> = { success: 'sucesso', failure: 'falha', fresh: 'nunca rodou' };

export function renderUi(scheduler: ChronosScheduler): string {
  const rows = scheduler
    .visibleJobs()
    .map((job) => {
      const when = job.parents ? `depende de: ${job.parents.join(', ')}` : (job.schedule ?? '');
      return (
        `<tr><td>${escape(job.name)}</td><td>${escape(RESULT[lastState(job)])}</td>` +
        `<td>${escape(scheduler.currentState(job.name))}</td><td><code>${escape(when)}</code></td>` +
        `<td>${job.successCount}</td><td>${job.errorCount}</td><td>${job.disabled ? 'sim' : 'não'}</td></tr>`
      );
    })
    .join('\n');
  return `<!doctype html>
<html lang="pt-BR">
<head><meta charset="utf-8"><title>Chronos</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}</style>
</head>
<body>
<h1>Chronos</h1>
<p>Cluster simulado. A API fica em <code>/v1/scheduler</code> (por exemplo <code>/v1/scheduler/jobs</code>).</p>
<table>
<thead><tr><th>job</th><th>último resultado</th><th>estado</th><th>agendamento</th><th>sucessos</th><th>erros</th><th>desativado</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="7">Nenhum job ainda.</td></tr>'}
</tbody>
</table>
</body>
</html>
`;
}
