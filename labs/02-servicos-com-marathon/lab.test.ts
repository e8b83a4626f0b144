// Lab 02 proves itself on the simulator: reference → 100 %, untouched → 0 %, broken → exactly the right checks.
import path from 'node:path';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { failing, score, SimHarness } from '../../scripts/lib/labs/sim-harness.ts';
import { lab02, referenceApp } from './lab.ts';

const root = path.resolve(__dirname, '../..');
let h: SimHarness | undefined;

async function start() {
  h = await SimHarness.start(lab02, root, { speed: 10 });
  return h;
}

afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function settled(x: SimHarness, appId: string) {
  const env = x.env();
  await env.waitFor(
    'a implantação terminar',
    async () => !(await x.clients.marathon.deployments()).some((d) => d.affectedApps.includes(appId)),
    60_000,
  );
}

describe('lab 02 on the simulator', () => {
  it('an untouched cluster scores 0', async () => {
    const x = await start();
    const outcomes = await x.check();
    expect(score(outcomes).points).toBe(0);
  });

  it('the reference solution scores 100 %', async () => {
    const x = await start();
    await x.solve();
    const outcomes = await x.check();
    expect(failing(outcomes)).toEqual([]);
    expect(score(outcomes).points).toBe(score(outcomes).maxPoints);
    expect(x.requests.some((r) => r.method === 'POST' && r.url.endsWith('/restart'))).toBe(true);
  }, 120_000);

  it('removing the health check loses only 02.health-http', async () => {
    const x = await start();
    await x.solve();
    const appId = x.params.lab02.appId;
    await x.env().call('marathon', 'PUT', `/v2/apps${appId}`, { healthChecks: [] });
    await settled(x, appId);
    const app = referenceApp(x.params);
    delete app.healthChecks;
    x.writeAnswer('app.json', JSON.stringify(app));
    expect(failing(await x.check())).toEqual(['02.health-http']);
  }, 120_000);

  it('a wrong instance count loses only 02.app-json and 02.app-implantada', async () => {
    const x = await start();
    await x.solve();
    const appId = x.params.lab02.appId;
    const wrong = x.params.lab02.instances + 1;
    await x.env().call('marathon', 'PUT', `/v2/apps${appId}`, { instances: wrong });
    await settled(x, appId);
    x.writeAnswer('app.json', JSON.stringify(referenceApp(x.params, wrong)));
    expect(failing(await x.check()).sort()).toEqual(['02.app-implantada', '02.app-json']);
  }, 120_000);

  it('skipping the rolling restart loses only 02.reinicio-gradual', async () => {
    const x = await start();
    await x.solve((title) => title !== 'Reinício gradual');
    expect(failing(await x.check())).toEqual(['02.reinicio-gradual']);
  }, 120_000);

  it('skipping the impossible constraint loses only 02.restricao; a wrong explanation only 02.restricao-explicada', async () => {
    const x = await start();
    await x.solve((_title, i) => i !== 2 && i !== 3);
    x.writeAnswer(
      'respostas.yaml',
      stringify({ restricao_o_que_acontece: 'a', evento_saude: 'health_status_changed_event' }),
    );
    expect(failing(await x.check()).sort()).toEqual(['02.restricao', '02.restricao-explicada']);
  }, 120_000);
});
