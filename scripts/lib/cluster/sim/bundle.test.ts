import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { daemonCommand } from './bundle.ts';

const ROOT = path.resolve(__dirname, '../../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'lab-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simulator bundle', () => {
  it('is built once, reused while its sources are unchanged, rebuilt when one changes', async () => {
    const first = await daemonCommand(ROOT, dir);
    expect(first).toEqual({ args: [path.join(dir, 'daemon.mjs')], bundled: true });
    const meta = JSON.parse(readFileSync(path.join(dir, 'daemon.inputs.json'), 'utf8')) as {
      inputs: Record<string, number>;
    };
    const sources = Object.keys(meta.inputs);
    expect(sources).toContain(path.join(ROOT, 'src', 'sim', 'node', 'sim-cluster.ts'));
    expect(readFileSync(path.join(dir, 'daemon.mjs'), 'utf8')).toContain('runDaemon');

    const builtAt = statSync(path.join(dir, 'daemon.mjs')).mtimeMs;
    await daemonCommand(ROOT, dir);
    expect(statSync(path.join(dir, 'daemon.mjs')).mtimeMs).toBe(builtAt);

    // A source newer than the bundle remembers: rebuilt.
    meta.inputs[sources[0]] = 1;
    writeFileSync(path.join(dir, 'daemon.inputs.json'), JSON.stringify({ ...meta, node: process.version }));
    await new Promise((r) => setTimeout(r, 20));
    await daemonCommand(ROOT, dir);
    expect(statSync(path.join(dir, 'daemon.mjs')).mtimeMs).toBeGreaterThan(builtAt);
  });
});
