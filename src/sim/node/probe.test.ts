import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createNodeProber } from './probe.ts';

describe('Node prober', () => {
  const prober = createNodeProber();

  it('reports the HTTP status, or undefined when nothing listens', async () => {
    const server = createServer((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    expect(await prober.http(`http://127.0.0.1:${port}/health`, 2000)).toBe(503);
    await new Promise((r) => server.close(r));
    expect(await prober.http(`http://127.0.0.1:${port}/health`, 2000)).toBeUndefined();
  });

  it('tells whether a TCP port accepts connections', async () => {
    const server = createNetServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    expect(await prober.tcp('127.0.0.1', port, 2000)).toBe(true);
    await new Promise((r) => server.close(r));
    expect(await prober.tcp('127.0.0.1', port, 2000)).toBe(false);
  });

  it('runs a command with the given environment and gives its exit code, undefined on timeout', async () => {
    expect(await prober.command!('test "$X" = ok', { X: 'ok' }, 5000)).toBe(0);
    expect(await prober.command!('exit 4', {}, 5000)).toBe(4);
    expect(await prober.command!('sleep 5', {}, 100)).toBeUndefined();
  });
});
