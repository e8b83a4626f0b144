import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createZip, readZip } from './zip.ts';

describe('zip', () => {
  it('round-trips entries with accented names', () => {
    const zip = createZip([
      { name: 'manifesto.json', data: '{"nome":"Ana Conceição"}' },
      { name: 'labs/01/respostas/cluster.yaml', data: Buffer.from('a: 1\n'.repeat(100)) },
    ]);
    const back = readZip(zip);
    expect(back.map((e) => e.name)).toEqual(['manifesto.json', 'labs/01/respostas/cluster.yaml']);
    expect(back[0].data.toString()).toBe('{"nome":"Ana Conceição"}');
    expect(back[1].data.toString()).toBe('a: 1\n'.repeat(100));
  });

  it('refuses unsafe names', () => {
    expect(() => createZip([{ name: '../x', data: '' }])).toThrow();
    expect(() => createZip([{ name: '/etc/x', data: '' }])).toThrow();
  });

  it('is readable by the system unzip when there is one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zip-'));
    const file = path.join(dir, 'a.zip');
    writeFileSync(file, createZip([{ name: 'pasta/ação.txt', data: 'olá' }]));
    let listing: string;
    try {
      listing = execFileSync('python3', [
        '-c',
        `import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); print(z.testzip()); print(z.read('pasta/ação.txt').decode())`,
        file,
      ]).toString();
    } catch {
      return; // no python3 here: the round-trip test above still holds
    }
    expect(listing).toBe('None\nolá\n');
    expect(readFileSync(file).readUInt32LE(0)).toBe(0x04034b50);
  });
});
