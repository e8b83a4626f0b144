// `npm test`: every check CI runs, in order, with one summary at the end.
// Each step runs even when an earlier one failed, so one run shows every problem.
import { spawnSync } from 'node:child_process';

interface Step {
  name: string;
  command: string;
  args: string[];
}

const steps: Step[] = [
  { name: 'lint', command: 'npm', args: ['run', '--silent', 'lint'] },
  { name: 'typecheck', command: 'npm', args: ['run', '--silent', 'typecheck'] },
  { name: 'unit and conformance tests', command: 'npx', args: ['vitest', 'run'] },
  { name: 'site build', command: 'npm', args: ['run', '--silent', 'build'] },
  { name: 'browser tests', command: 'npm', args: ['run', '--silent', 'test:browser'] },
  {
    name: 'browser tests of the cluster pages',
    command: 'npx',
    args: ['tsx', 'scripts/browser-test-cluster.mts'],
  },
];

const only = process.argv.slice(2);
const results: { name: string; ok: boolean; seconds: number }[] = [];
for (const step of steps) {
  if (only.length && !only.some((o) => step.name.startsWith(o))) continue;
  console.log(`\n=== ${step.name} ===`);
  const started = Date.now();
  const run = spawnSync(step.command, step.args, { stdio: 'inherit', env: process.env });
  results.push({ name: step.name, ok: run.status === 0, seconds: (Date.now() - started) / 1000 });
}

console.log('\n=== summary ===');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(1)} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
