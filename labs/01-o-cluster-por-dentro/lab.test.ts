// Lab 01 proves itself on the simulator: reference → 100 %, untouched → 0 %, broken → exactly the right checks.
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failing, score, SimHarness } from '../../scripts/lib/labs/sim-harness.ts';
import { lab01 } from './lab.ts';

const root = path.resolve(__dirname, '../..');
let h: SimHarness;

beforeAll(async () => {
  h = await SimHarness.start(lab01, root);
}, 60_000);
afterAll(async () => h?.close());

function editAnswers(change: (a: Record<string, unknown>) => void) {
  const a = parse(h.readAnswer('cluster.yaml')) as Record<string, unknown>;
  change(a);
  h.writeAnswer('cluster.yaml', stringify(a));
}

describe('lab 01 on the simulator', () => {
  it('an untouched lab scores 0', async () => {
    const outcomes = await h.check();
    expect(score(outcomes).points).toBe(0);
    expect(outcomes.every((o) => o.verdict !== 'passou')).toBe(true);
  });

  it('the reference solution scores 100 %', async () => {
    await h.solve();
    const outcomes = await h.check();
    expect(failing(outcomes)).toEqual([]);
    expect(score(outcomes).points).toBe(score(outcomes).maxPoints);
    const fw = outcomes.find((o) => o.id === '01.framework-id')!;
    expect(fw.evidence?.frameworkId).toMatch(/-0000$|-\d{4}$/);
  });

  it('a wrong CPU total loses only 01.recursos-totais', async () => {
    await h.solve();
    editAnswers((a) => (a.cpus_total = 8));
    expect(failing(await h.check())).toEqual(['01.recursos-totais']);
  });

  it('a wrong rack loses only 01.agentes', async () => {
    await h.solve();
    editAnswers((a) => ((a.agentes as { rack: string }[])[0].rack = 'z'));
    expect(failing(await h.check())).toEqual(['01.agentes']);
  });

  it("a classmate's framework id loses only 01.framework-id", async () => {
    await h.solve();
    editAnswers((a) => (a.framework_id_marathon = 'b6e6d7a2-0000-4000-8000-000000000000-0000'));
    expect(failing(await h.check())).toEqual(['01.framework-id']);
  });

  it('an earlier leader znode still counts after the master is re-elected', async () => {
    await h.solve();
    const answered = (parse(h.readAnswer('cluster.yaml')) as { znode_lider: string }).znode_lider;
    await h.cluster.stop('mesos-master');
    await h.cluster.start('mesos-master');
    await h.env().waitFor('o master voltar', async () => h.cluster.readiness().ready, 30_000);
    const outcomes = await h.check();
    expect(failing(outcomes)).toEqual([]);
    expect(outcomes.find((o) => o.id === '01.znode-lider')!.evidence!.znode).not.toBe(answered);
  });

  it('a wrong znode and a wrong concept lose exactly their checks', async () => {
    await h.solve();
    editAnswers((a) => {
      a.znode_lider = '/mesos/json.info_0000000007';
      a.quem_escolhe_onde_roda = 'a';
    });
    expect(failing(await h.check()).sort()).toEqual(['01.ofertas', '01.znode-lider']);
  });
});
