// Benchmark of `npm run grade`: a Moodle bulk download of N generated submissions (default 100) and its
// worksheet; reports the grading wall time, CPU time and peak memory (the submissions' generation is
// not timed). A few distinct students are solved on simulated clusters and their archives reused, so
// some reports are flagged as copies — the grading work per submission is the same.
// Usage: npx tsx scripts/bench/grade.mts [N]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LabId } from '../../src/labs/types.ts';
import { repoRoot } from '../lib/env.ts';
import { buildSubmission } from '../lib/grading/fixtures.ts';
import { runGrading } from '../lib/grading/run.ts';
import { createZip } from '../lib/labs/zip.ts';

const n = Number(process.argv[2] ?? 100);
const root = repoRoot();
const dir = mkdtempSync(path.join(tmpdir(), 'bench-grade-'));
const ALL: LabId[] = ['01', '02', '03', '04', '05'];
const kinds: { solved: LabId[]; partial?: LabId[] }[] = [
  { solved: ALL },
  { solved: ['01', '02', '03'] },
  { solved: ['01'], partial: ['02', '05'] },
  { solved: ['02', '04'] },
  { solved: [] },
];

const t0 = Date.now();
const built = [];
for (const [i, kind] of kinds.entries()) {
  built.push(
    await buildSubmission(root, {
      nome: `Estudante ${i}`,
      matricula: `2110${String(i).padStart(4, '0')}`,
      ...kind,
    }),
  );
}
console.log(`gerar ${kinds.length} entregas distintas: ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const entries = [];
let sheet =
  '\uFEFFIdentifier,"Full name","Email address",Status,Grade,"Maximum Grade","Grade can be changed","Last modified (submission)","Last modified (grade)","Feedback comments"\n';
for (let i = 0; i < n; i++) {
  const id = String(5_000_000 + i);
  const name = `Estudante Número ${i}`;
  entries.push({
    name: `${name}_${id}_assignsubmission_file/entrega.zip`,
    data: built[i % built.length].zip,
  });
  sheet += `"Participant ${id}","${name}",e${i}@grad.ufsc.br,"Submitted for grading",,10.00,Yes,"Friday, 14 March 2025, 10:41 PM",-,\n`;
}
const input = path.join(dir, 'moodle.zip');
const worksheet = path.join(dir, 'Grades.csv');
writeFileSync(input, createZip(entries));
writeFileSync(worksheet, sheet);

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);
const cpu0 = process.cpuUsage();
const start = Date.now();
const summary = await runGrading({ root, input, worksheet, out: path.join(dir, 'saida') });
const wall = Date.now() - start;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);

const again = Date.now();
await runGrading({ root, input, worksheet, out: path.join(dir, 'saida') });
const resumed = Date.now() - again;

console.log(`submissões: ${n} (corrigidas ${summary.graded}, sinalizadas ${summary.flagged})`);
console.log(`tempo de parede: ${(wall / 1000).toFixed(1)} s (${(wall / n).toFixed(0)} ms por submissão)`);
console.log(`CPU: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
console.log(
  `memória de pico (RSS do processo): ${(peak / 1024 / 1024).toFixed(0)} MiB; maxRSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
);
console.log(`segunda execução (tudo do cache): ${(resumed / 1000).toFixed(1)} s`);
rmSync(dir, { recursive: true, force: true });
