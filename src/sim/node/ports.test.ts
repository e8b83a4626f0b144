import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ports } from '../../cluster/topology.ts';
import { LabError } from '../../../scripts/lib/cluster/backend.ts';
import { assertPortsFree, probePort } from './ports.ts';

const open: Server[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function occupy(): Promise<number> {
  const s = createServer();
  open.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as { port: number }).port;
}

const zeros: Ports = {
  zookeeper: 0,
  'mesos-master': 0,
  'mesos-agent-1': 0,
  'mesos-agent-2': 0,
  marathon: 0,
  chronos: 0,
};

describe('port checks', () => {
  it('names the port, the service and the .env variable of a taken port', async () => {
    const port = await occupy();
    const err = await assertPortsFree({ ...zeros, marathon: port }).catch((e) => e);
    expect(err).toBeInstanceOf(LabError);
    expect(err.message).toBe(
      `A porta ${port} já está em uso por outro programa, então o Marathon não pode subir. ` +
        'Feche o programa que usa a porta ou escolha outra no arquivo .env (por exemplo MARATHON_PORT=18080).',
    );
    expect(err.details).toMatch(/already accepts connections|EADDRINUSE/);
  });

  it('refuses two services on the same port', async () => {
    const err = await assertPortsFree({ ...zeros, chronos: 40001, marathon: 40001 }).catch((e) => e);
    expect(err.message).toMatch(/Marathon e o Chronos estão configurados na mesma porta 40001/);
  });

  it('passes when every port is free, and leaves them free', async () => {
    const port = await occupy();
    await new Promise((r) => open.pop()!.close(r));
    await assertPortsFree({ ...zeros, zookeeper: port });
    expect(await probePort(port)).toBeUndefined();
  });
});
