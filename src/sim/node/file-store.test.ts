import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore, readJsonFile, writeFileAtomic } from './file-store.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lab-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('FileStore', () => {
  it('keeps values across instances once flushed', () => {
    const file = path.join(dir, 'data', 'marathon.json');
    const a = new FileStore(file, 10_000);
    a.set('apps/web', { id: '/web', instances: 2 });
    a.set('apps/db', { id: '/db' });
    a.set('other', 1);
    expect(existsSync(file)).toBe(false); // debounced: nothing written yet
    a.flush();
    const b = new FileStore(file);
    expect(b.get('apps/web')).toEqual({ id: '/web', instances: 2 });
    expect(b.keys('apps/')).toEqual(['apps/db', 'apps/web']);
    b.delete('apps/db');
    b.flush();
    expect(new FileStore(file).keys('')).toEqual(['apps/web', 'other']);
  });

  it('debounces a burst of changes into one write', async () => {
    const file = path.join(dir, 's.json');
    const s = new FileStore(file, 20);
    for (let i = 0; i < 50; i++) s.set(`k${i}`, i);
    await new Promise((r) => setTimeout(r, 200));
    expect(s.writes).toBe(1);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toHaveLength(50);
  });

  it('returns copies, not live objects', () => {
    const s = new FileStore(path.join(dir, 's.json'));
    const v = { n: 1 };
    s.set('a', v);
    v.n = 2;
    s.get<{ n: number }>('a')!.n = 3;
    expect(s.get('a')).toEqual({ n: 1 });
  });

  it('wipe removes the file and the values', () => {
    const file = path.join(dir, 's.json');
    const s = new FileStore(file);
    s.set('a', 1);
    s.flush();
    s.wipe();
    expect(existsSync(file)).toBe(false);
    expect(s.keys('')).toEqual([]);
  });
});

describe('atomic writes', () => {
  it('replaces the file by rename and leaves no temporary file behind', () => {
    const file = path.join(dir, 'x.json');
    writeFileSync(file, '{"old":true}');
    writeFileAtomic(file, '{"new":true}');
    expect(readJsonFile(file)).toEqual({ new: true });
    expect(readdirSync(dir)).toEqual(['x.json']);
  });

  it('a crash before the rename leaves the old content intact', () => {
    const file = path.join(dir, 'x.json');
    writeFileAtomic(file, '{"v":1}');
    // A writer that died mid-write leaves only its temporary file.
    writeFileSync(`${file}.99999.tmp`, '{"v":2, "trunc');
    expect(new FileStore(file).get('v')).toBe(1);
  });

  it('sets a damaged file aside and starts empty', () => {
    const file = path.join(dir, 'x.json');
    writeFileSync(file, '{not json');
    expect(new FileStore(file).keys('')).toEqual([]);
    expect(existsSync(`${file}.damaged`)).toBe(true);
  });
});
