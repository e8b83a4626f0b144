// Lab 04 proves itself on the simulator: reference → 100 %, untouched → 0 %, broken → exactly the right checks.
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { failing, score, SimHarness } from '../../scripts/lib/labs/sim-harness.ts';
import { lab04 } from './lab.ts';

const root = path.resolve(__dirname, '../..');
let h: SimHarness | undefined;

async function start() {
  h = await SimHarness.start(lab04, root, { speed: 30 });
  return h;
}

afterEach(async () => {
  await h?.close();
  h = undefined;
});

function editYaml(x: SimHarness, change: (a: Record<string, unknown>) => void) {
  const a = parse(x.readAnswer('observacoes.yaml')) as Record<string, unknown>;
  change(a);
  x.writeAnswer('observacoes.yaml', stringify(a));
}

describe('lab 04 on the simulator', () => {
  it('an untouched cluster scores 0', async () => {
    const x = await start();
    expect(score(await x.check()).points).toBe(0);
  });

  it('the reference solution scores 100 %, and wrong observations lose exactly their checks', async () => {
    const x = await start();
    await x.solve();
    const outcomes = await x.check();
    expect(failing(outcomes)).toEqual([]);
    const measured = outcomes.find((o) => o.id === '04.tempo-substituicao')!.evidence!
      .measuredSeconds as number;
    expect(measured).toBeGreaterThan(0);

    editYaml(x, (a) => (a.tempo_substituicao_s = Math.round(measured * 3 + 10)));
    expect(failing(await x.check())).toEqual(['04.tempo-substituicao']);
    editYaml(x, (a) => {
      a.tempo_substituicao_s = measured;
      a.agente_parado = a.agente_parado === 'mesos-agent-1' ? 'mesos-agent-2' : 'mesos-agent-1';
    });
    expect(failing(await x.check())).toEqual(['04.agente-perdido']);
    editYaml(x, (a) => {
      a.agente_parado = a.agente_parado === 'mesos-agent-1' ? 'mesos-agent-2' : 'mesos-agent-1';
      a.sem_master = 'a';
    });
    expect(failing(await x.check())).toEqual(['04.master-parado']);
  }, 180_000);

  it('skipping the Marathon stop loses only 04.marathon-parado', async () => {
    const x = await start();
    await x.solve((title) => !title.startsWith('Parar o Marathon'));
    expect(failing(await x.check())).toEqual(['04.marathon-parado']);
  }, 180_000);

  it('skipping the master stop loses only 04.master-parado', async () => {
    const x = await start();
    await x.solve((title) => !title.startsWith('Parar o master'));
    expect(failing(await x.check())).toEqual(['04.master-parado']);
  }, 180_000);
});
