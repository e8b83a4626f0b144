// What grading writes for people: each student's feedback page, the short comment that goes into the
// worksheet, and the instructor's class summary (inline SVG charts, opens offline). Portuguese,
// self-contained HTML with no scripts and no external resources. Isomorphic.
import type { Flag, SubmissionResult, Weights } from './scoring.ts';
import { checkPoints, gradePt } from './scoring.ts';

export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const VERDICT: Record<string, string> = {
  passou: '✔ passou',
  falhou: '✘ não passou',
  ambiente: '⚠ ambiente',
};
const HOW = { replay: 'refeita no cluster simulado', evidence: 'conferida no relatório do seu cluster' };

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.5}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#f2f2f2}
.passou{color:#0a6b2d}.falhou{color:#a4161a}.ambiente{color:#8a5a00}.nota{font-size:1.4rem;font-weight:bold}
.aviso{background:#fff4d6;border-left:4px solid #d9a400;padding:.5rem 1rem}.small{font-size:.9rem;color:#444}
svg text{font-family:system-ui,sans-serif;font-size:12px}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="pt-BR">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${esc(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body}\n</body>\n</html>\n`;
}

export interface StudentView {
  result: SubmissionResult;
  grade: number | null;
  /** Why there is no grade or what the instructor should know (draft, missing, late). */
  status: string[];
  late: boolean;
}

/** One student's feedback page (uploaded to Moodle as a feedback file). */
export function feedbackPage(v: StudentView, weights: Weights, labTitles: Record<string, string>): string {
  const r = v.result;
  const parts: string[] = [];
  parts.push(`<h1>Correção dos laboratórios — ${esc(r.manifest?.nome || r.moodleName)}</h1>`);
  if (r.manifest)
    parts.push(
      `<p class="small">Matrícula ${esc(r.manifest.matricula)} · kit ${esc(r.manifest.kitVersion)} · entrega gerada em ${esc(r.manifest.geradoEm)}</p>`,
    );
  parts.push(
    v.grade === null
      ? '<p class="nota">Sem nota automática</p>'
      : `<p class="nota">Nota: ${gradePt(v.grade)} de ${gradePt(weights.scale)}</p>`,
  );
  for (const s of v.status) parts.push(`<p class="aviso">${esc(s)}</p>`);
  if (r.file) parts.push(`<p>Arquivo corrigido: <code>${esc(r.file)}</code>.</p>`);
  if (r.ignoredFiles.length) {
    parts.push(
      `<p>Arquivos não corrigidos:</p><ul>${r.ignoredFiles.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>`,
    );
  }
  if (r.rejected)
    parts.push(`<p class="aviso"><strong>Entrega com nota zero:</strong> ${esc(r.rejected)}</p>`);
  for (const n of r.notes) parts.push(`<p class="small">${esc(n)}</p>`);
  if (r.checks.length) {
    parts.push(
      '<p class="small">Como cada verificação foi corrigida: <em>refeita no cluster simulado</em> quer dizer que os seus arquivos de resposta foram aplicados a um cluster novo, simulado, e a verificação rodou lá; <em>conferida no relatório</em> quer dizer que o que o seu cluster registrou (ids, horários) foi conferido com os seus arquivos e com o código das verificações.</p>',
    );
  }
  const labs = [...new Set(r.checks.map((c) => c.lab))];
  for (const lab of labs) {
    const checks = r.checks.filter((c) => c.lab === lab);
    const pts = checks.map((c) => checkPoints(c, weights));
    const got = pts.reduce((s, p) => s + p.points, 0);
    const max = pts.reduce((s, p) => s + p.maxPoints, 0);
    parts.push(
      `<h2>Laboratório ${esc(lab)} — ${esc(labTitles[lab] ?? '')} <span class="small">(${gradePt(got)} de ${gradePt(max)} pontos)</span></h2>`,
    );
    parts.push(
      '<table><thead><tr><th>Verificação</th><th>Resultado</th><th>Como</th><th>Pontos</th></tr></thead><tbody>',
    );
    for (const p of pts) {
      const c = p.check;
      const detail = [`<div class="small">${esc(c.message)}</div>`];
      if (c.verdict !== 'passou' && c.hint) detail.push(`<div class="small">Dica: ${esc(c.hint)}</div>`);
      if (c.verdict !== 'passou')
        detail.push(`<div class="small">Leia: <a href="${esc(c.docUrl)}">${esc(c.docUrl)}</a></div>`);
      parts.push(
        `<tr><td><code>${esc(c.id)}</code><br>${esc(c.title)}${detail.join('')}</td><td class="${c.verdict}">${VERDICT[c.verdict]}</td><td>${HOW[c.gradedBy]}</td><td>${gradePt(p.points)}/${gradePt(p.maxPoints)}</td></tr>`,
      );
    }
    parts.push('</tbody></table>');
  }
  return page(`Correção — ${r.manifest?.nome || r.moodleName}`, parts.join('\n'));
}

/** The short HTML comment for the worksheet's Feedback comments cell (one line). */
export function worksheetComment(v: StudentView, weights: Weights): string {
  const r = v.result;
  const parts: string[] = [];
  if (v.grade !== null) parts.push(`<p>Nota automática: ${gradePt(v.grade)}/${gradePt(weights.scale)}.</p>`);
  for (const s of v.status) parts.push(`<p>${esc(s)}</p>`);
  if (r.rejected) parts.push(`<p>Entrega com nota zero: ${esc(r.rejected)}</p>`);
  if (r.checks.length) {
    const passed = r.checks.filter((c) => c.verdict === 'passou').length;
    const failed = r.checks.filter((c) => c.verdict !== 'passou').map((c) => `<code>${esc(c.id)}</code>`);
    parts.push(
      `<p>Verificações: ${passed} de ${r.checks.length} passaram.${failed.length ? ` Não passaram: ${failed.join(', ')}.` : ''}</p>`,
    );
  }
  if (r.file && r.ignoredFiles.length)
    parts.push(`<p>Foi corrigido <code>${esc(r.file)}</code> (o mais recente).</p>`);
  if (v.grade !== null || r.rejected) parts.push('<p>Os detalhes estão no arquivo de feedback.</p>');
  return parts.join('');
}

function histogram(grades: number[], scale: number): string {
  const bins = 10;
  const counts = new Array<number>(bins).fill(0);
  for (const g of grades) counts[Math.min(bins - 1, Math.floor((g / scale) * bins))]++;
  const max = Math.max(1, ...counts);
  const w = 560;
  const h = 200;
  const bw = (w - 40) / bins;
  const bars = counts
    .map((c, i) => {
      const bh = ((h - 40) * c) / max;
      const x = 30 + i * bw;
      const lo = gradePt((scale * i) / bins);
      const hi = gradePt((scale * (i + 1)) / bins);
      return `<rect x="${x + 2}" y="${h - 20 - bh}" width="${bw - 4}" height="${bh}" fill="#2b6cb0"><title>${lo} a ${hi}: ${c}</title></rect><text x="${x + bw / 2}" y="${h - 5}" text-anchor="middle">${lo}</text>${c ? `<text x="${x + bw / 2}" y="${h - 24 - bh}" text-anchor="middle">${c}</text>` : ''}`;
    })
    .join('');
  return `<svg role="img" aria-label="Distribuição das notas" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${bars}<line x1="30" y1="${h - 20}" x2="${w - 10}" y2="${h - 20}" stroke="#333"/></svg>`;
}

function passRates(rates: { id: string; rate: number; n: number }[]): string {
  const row = 18;
  const w = 560;
  const h = rates.length * row + 10;
  const bars = rates
    .map((r, i) => {
      const y = 5 + i * row;
      const bw = (w - 200) * r.rate;
      return `<text x="0" y="${y + 12}">${esc(r.id)}</text><rect x="150" y="${y + 2}" width="${bw}" height="${row - 5}" fill="#38a169"><title>${esc(r.id)}: ${Math.round(r.rate * 100)}% de ${r.n}</title></rect><text x="${155 + bw}" y="${y + 12}">${Math.round(r.rate * 100)}%</text>`;
    })
    .join('');
  return `<svg role="img" aria-label="Taxa de aprovação por verificação" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${bars}</svg>`;
}

const FLAG_LABEL: Record<Flag['kind'], string> = {
  copia: 'evidência repetida',
  identidade: 'identidade',
  evidencia: 'relatório',
  arquivo: 'arquivo',
};

/** The instructor's page: counts, grade distribution, pass rate per check, flagged students. */
export function summaryPage(
  views: StudentView[],
  weights: Weights,
  checkIds: string[],
  meta: { when: string; input: string; ignored?: string[] },
): string {
  const graded = views.filter((v) => v.grade !== null);
  const grades = graded.map((v) => v.grade!);
  const mean = grades.length ? grades.reduce((s, g) => s + g, 0) / grades.length : 0;
  const sorted = [...grades].sort((a, b) => a - b);
  const median = sorted.length ? (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2 : 0;
  const rates = checkIds.map((id) => {
    const withCheck = views.filter((v) => v.grade !== null && v.result.checks.some((c) => c.id === id));
    const passed = withCheck.filter(
      (v) => v.result.checks.find((c) => c.id === id)?.verdict === 'passou',
    ).length;
    return { id, rate: withCheck.length ? passed / withCheck.length : 0, n: withCheck.length };
  });
  const flagged = views.filter((v) => v.result.flags.length > 0);
  const parts = [
    `<h1>Resumo da correção</h1>`,
    `<p class="small">Gerado em ${esc(meta.when)} a partir de <code>${esc(meta.input)}</code>.</p>`,
    '<table><tbody>',
    `<tr><th>Estudantes</th><td>${views.length}</td></tr>`,
    `<tr><th>Com nota</th><td>${graded.length}</td></tr>`,
    `<tr><th>Nota zero por arquivo inválido</th><td>${views.filter((v) => v.result.rejected).length}</td></tr>`,
    `<tr><th>Sem nota (rascunho ou sem entrega)</th><td>${views.length - graded.length}</td></tr>`,
    `<tr><th>Média / mediana</th><td>${gradePt(mean)} / ${gradePt(median)} (de ${gradePt(weights.scale)})</td></tr>`,
    `<tr><th>Sinalizados</th><td>${flagged.length}</td></tr>`,
    '</tbody></table>',
    '<h2>Distribuição das notas</h2>',
    histogram(grades, weights.scale),
    '<h2>Aprovação por verificação</h2>',
    passRates(rates),
    '<h2>Estudantes sinalizados</h2>',
  ];
  if (flagged.length === 0) parts.push('<p>Nenhum.</p>');
  else {
    parts.push('<table><thead><tr><th>Estudante</th><th>Motivo</th><th>Detalhe</th></tr></thead><tbody>');
    for (const v of flagged) {
      for (const f of v.result.flags) {
        parts.push(
          `<tr><td>${esc(v.result.moodleName)} (${esc(v.result.participantId ?? v.result.key)})</td><td>${FLAG_LABEL[f.kind]}</td><td>${esc(f.message)}</td></tr>`,
        );
      }
    }
    parts.push('</tbody></table>');
  }
  if (meta.ignored?.length) {
    parts.push(
      `<h2>Arquivos da entrada que não são de nenhum estudante</h2><ul>${meta.ignored.map((f) => `<li><code>${esc(f)}</code></li>`).join('')}</ul>`,
    );
  }
  parts.push(
    '<h2>Todas as notas</h2><table><thead><tr><th>Estudante</th><th>Matrícula</th><th>Nota</th><th>Situação</th></tr></thead><tbody>',
  );
  for (const v of views) {
    const situation = [...v.status, ...(v.result.rejected ? [`zero: ${v.result.rejected}`] : [])].join(' ');
    parts.push(
      `<tr><td>${esc(v.result.moodleName)}</td><td>${esc(v.result.manifest?.matricula ?? '')}</td><td>${v.grade === null ? '—' : gradePt(v.grade)}</td><td class="small">${esc(situation)}</td></tr>`,
    );
  }
  parts.push('</tbody></table>');
  return page('Resumo da correção', parts.join('\n'));
}
