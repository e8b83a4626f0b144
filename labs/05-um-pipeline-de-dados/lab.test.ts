// Lab 05 proves itself on the simulator: reference → 100 %, untouched → 0 %, broken → exactly the right checks.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { failing, score, SimHarness } from '../../scripts/lib/labs/sim-harness.ts';
import { dataDir, lab05, referenceFiles } from './lab.ts';

const root = path.resolve(__dirname, '../..');
let h: SimHarness | undefined;

async function start() {
  h = await SimHarness.start(lab05, root, { speed: 10 });
  rmSync(dataDir(h.params), { recursive: true, force: true });
  return h;
}

afterEach(async () => {
  if (h) rmSync(dataDir(h.params), { recursive: true, force: true });
  await h?.close();
  h = undefined;
});

describe('lab 05 on the simulator', () => {
  it('an untouched cluster scores 0', async () => {
    const x = await start();
    expect(score(await x.check()).points).toBe(0);
  });

  it('the reference solution scores 100 %; a wrong parent in a file loses only 05.jobs-json', async () => {
    const x = await start();
    await x.solve();
    expect(failing(await x.check())).toEqual([]);
    const carrega = { ...referenceFiles(x.params).carrega, parents: [x.params.lab05.extrai] };
    x.writeAnswer('carrega.json', JSON.stringify(carrega));
    expect(failing(await x.check())).toEqual(['05.jobs-json']);
  }, 120_000);

  it('a transform that counts instead of summing loses only 05.arquivos and 05.servico', async () => {
    const x = await start();
    await x.solve((_t, i) => i === 0);
    const files = referenceFiles(x.params);
    const wrong = {
      ...files.transforma,
      command: files.transforma.command.replace(`awk '{ s += $1 } END { print s }'`, 'wc -l <'),
    };
    await x.env().call('chronos', 'POST', '/v1/scheduler/dependency', wrong);
    x.writeAnswer('transforma.json', JSON.stringify(wrong));
    await x.solve((_t, i) => i > 0);
    expect(failing(await x.check()).sort()).toEqual(['05.arquivos', '05.servico']);
  }, 120_000);

  it('jobs without constraints lose only 05.mesmo-agente', async () => {
    const x = await start();
    const env = x.env();
    for (const key of ['extrai', 'transforma', 'carrega'] as const) {
      const job = { ...referenceFiles(x.params)[key], constraints: [] };
      await env.call(
        'chronos',
        'POST',
        key === 'extrai' ? '/v1/scheduler/iso8601' : '/v1/scheduler/dependency',
        job,
      );
      x.writeAnswer(`${key}.json`, JSON.stringify(job));
    }
    await x.solve((_t, i) => i > 0);
    expect(failing(await x.check())).toEqual(['05.mesmo-agente']);
  }, 120_000);

  it('without the service, 05.mesmo-agente and 05.servico are lost', async () => {
    const x = await start();
    await x.solve((title) => !title.startsWith('O serviço'));
    expect(failing(await x.check()).sort()).toEqual(['05.mesmo-agente', '05.servico']);
  }, 120_000);
});
