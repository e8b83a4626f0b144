// `docker compose ps --format json` as Compose 2.20 (one array) and 2.40 (one object per line) print it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explainLogs } from './explain.ts';
import { parseComposePs } from './ps.ts';
import { describeService } from './backend.ts';

const fixtures = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../test/fixtures/docker',
);
const read = (f: string) => readFileSync(path.join(fixtures, f), 'utf8');

describe('parseComposePs', () => {
  it('reads the array format of Compose < 2.21', () => {
    const s = parseComposePs(read('compose-ps-v2.20.json'));
    expect(s.map((x) => [x.service, describeService(x)])).toEqual([
      ['zookeeper', 'saudável'],
      ['mesos-master', 'iniciando'],
      ['mesos-agent-1', 'encerrado (código 1)'],
    ]);
  });
  it('reads the one-object-per-line format of Compose >= 2.21', () => {
    const s = parseComposePs(read('compose-ps-v2.40.ndjson'));
    expect(s.map((x) => [x.service, x.state, x.health, x.exitCode])).toEqual([
      ['zookeeper', 'running', 'healthy', 0],
      ['mesos-agent-2', 'exited', '', 143],
      ['marathon', 'running', 'unhealthy', 0],
    ]);
  });
  it('ignores empty output and stray lines', () => {
    expect(parseComposePs('')).toEqual([]);
    expect(parseComposePs('WARN[0000] something\n{"Service":"chronos","State":"running"}')).toHaveLength(1);
  });
});

describe('a wall of log', () => {
  it('comes down to one explanation per failing agent', () => {
    const found = explainLogs(read('compose-logs-cgroup2-linux-launcher.txt'));
    expect(found.map((f) => `${f.problem.id}/${f.service}`)).toEqual([
      'log-lancador-linux/mesos-agent-1',
      'log-lancador-linux/mesos-agent-2',
    ]);
  });
});
