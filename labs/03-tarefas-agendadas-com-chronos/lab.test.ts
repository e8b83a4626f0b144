// Lab 03 proves itself on the simulator: reference → 100 %, untouched → 0 %, broken → exactly the right checks.
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyEvidence } from '../../src/labs/evidence.ts';
import { failing, score, SimHarness } from '../../scripts/lib/labs/sim-harness.ts';
import { dailyTime, lab03, referenceJobs } from './lab.ts';

const root = path.resolve(__dirname, '../..');
let h: SimHarness | undefined;

async function start() {
  h = await SimHarness.start(lab03, root, { speed: 30 });
  return h;
}

afterEach(async () => {
  await h?.close();
  h = undefined;
});

function editYaml(x: SimHarness, change: (a: Record<string, unknown>) => void) {
  const a = parse(x.readAnswer('respostas.yaml')) as Record<string, unknown>;
  change(a);
  x.writeAnswer('respostas.yaml', stringify(a));
}

describe('lab 03 on the simulator', () => {
  it('an untouched cluster scores 0', async () => {
    const x = await start();
    expect(score(await x.check()).points).toBe(0);
  });

  it('the reference solution scores 100 %', async () => {
    const x = await start();
    await x.solve();
    const outcomes = await x.check();
    expect(failing(outcomes)).toEqual([]);
    const retries = outcomes.find((o) => o.id === '03.retentativas')!;
    expect((retries.evidence?.tasks as string[]).length).toBe(3);

    // A master restart (lab 04) makes the master forget finished tasks; the checklist's record keeps them.
    await x.cluster.stop('mesos-master');
    await x.cluster.start('mesos-master');
    await x.env().waitFor('o master voltar', async () => x.cluster.readiness().ready, 30_000);
    expect(failing(await x.check())).toEqual([]);
    expect(failing(await x.check(emptyEvidence()))).toContain('03.retentativas');
  }, 120_000);

  it('the UTC trap (03:MM written as UTC) loses only 03.diario-horario', async () => {
    const x = await start();
    await x.solve();
    const job = { ...referenceJobs(x.params).diario } as Record<string, unknown>;
    delete job.scheduleTimeZone;
    job.schedule = String(job.schedule).replace(
      `${dailyTime(x.params)}:00-03:00`,
      `${dailyTime(x.params)}:00Z`,
    );
    await x.env().call('chronos', 'POST', '/v1/scheduler/iso8601', job);
    x.writeAnswer('diario.json', JSON.stringify(job));
    expect(failing(await x.check())).toEqual(['03.diario-horario']);
  }, 120_000);

  it('a job without retries loses only 03.retentativas', async () => {
    const x = await start();
    await x.solve((title) => !title.startsWith('Um job que falha'));
    const job = { ...referenceJobs(x.params).instavel, retries: 0 };
    const env = x.env();
    await env.call('chronos', 'POST', '/v1/scheduler/iso8601', job);
    x.writeAnswer('instavel.json', JSON.stringify(job));
    await env.call('chronos', 'PUT', `/v1/scheduler/job/${job.name}`);
    await env.waitFor(
      'a falha',
      async () => ((await x.clients.chronos.job(job.name))?.errorCount ?? 0) >= 1,
      60_000,
    );
    editYaml(x, (a) => (a.tentativas_instavel = 1));
    expect(failing(await x.check())).toEqual(['03.retentativas']);
  }, 120_000);

  it('skipping the manual run loses only 03.execucao-manual', async () => {
    const x = await start();
    await x.solve((title) => !title.startsWith('Rodar a coleta'));
    expect(failing(await x.check())).toEqual(['03.execucao-manual']);
  }, 120_000);

  it('a wrong UTC time and a wrong count lose exactly 03.fuso and 03.leitura', async () => {
    const x = await start();
    await x.solve();
    editYaml(x, (a) => {
      a.horario_utc_diario = dailyTime(x.params);
      a.sucessos_coleta = Number(a.sucessos_coleta) + 5;
    });
    expect(failing(await x.check()).sort()).toEqual(['03.fuso', '03.leitura']);
  }, 120_000);
});
