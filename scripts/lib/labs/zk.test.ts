import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AmbienteError } from '../../../src/cluster/clients/http.ts';
import { zkReader } from './zk.ts';

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('zkReader', () => {
  it('turns an unreachable ZooKeeper into an ambiente error within its deadline', async () => {
    const port = await closedPort();
    const reader = zkReader('127.0.0.1', port, 500);
    const error = await reader.children('/mesos').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbienteError);
    expect((error as AmbienteError).message).toMatch(/ZooKeeper não respondeu/);
    reader.close();
  });
});
