// images save|load and pulling, against the fake docker (in-process).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fakeDocker,
  inProcessDocker,
  type FakeDocker,
  type FakeScenario,
} from '../../../../test/fake-docker/fake.ts';
import { LabError } from '../backend.ts';
import { imageRefs, OFFLINE_ARCHIVE } from './images.ts';
import { loadImages, pullMissing, saveImages } from './pull.ts';

const ALL = imageRefs({});
let fake: FakeDocker | undefined;
let dir: string | undefined;
afterEach(() => {
  fake?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function setup(s: FakeScenario = {}) {
  fake = fakeDocker(s);
  dir = mkdtempSync(path.join(os.tmpdir(), 'kit-'));
  const progress: string[] = [];
  const opts = {
    docker: inProcessDocker(fake.env),
    progress: (l: string) => progress.push(l),
    root: dir,
    env: fake.env,
  };
  return { opts, progress, file: path.join(dir, OFFLINE_ARCHIVE) };
}

describe('images save', () => {
  it('pulls what is missing, then writes one archive of every image', async () => {
    const t = setup({ images: ALL.slice(0, 3) });
    const r = await saveImages(t.file, t.opts);
    expect(r.images).toEqual(ALL);
    expect(existsSync(t.file)).toBe(true);
    const calls = fake!.calls();
    expect(calls.filter((c) => c[0] === 'pull').map((c) => c.at(-1))).toEqual(ALL.slice(3));
    expect(calls.at(-1)).toEqual(['save', '-o', t.file, ...ALL]);
    expect(t.progress.at(-1)).toContain(`npm run cluster -- images load ${OFFLINE_ARCHIVE}`);
  });

  it('saves the mirror images named in .env', async () => {
    const t = setup({ images: [...ALL, 'ghcr.io/ufsc/marathon:1.3.6'] });
    writeFileSync(path.join(dir!, '.env'), 'MARATHON_IMAGE=ghcr.io/ufsc/marathon:1.3.6\n');
    const r = await saveImages(t.file, t.opts);
    expect(r.images).toContain('ghcr.io/ufsc/marathon:1.3.6');
    expect(r.images).not.toContain('datastrophic/marathon:1.3.6');
  });

  it('a rate limit while preparing the archive is explained', async () => {
    const t = setup({ images: [], pull: { [ALL[0]]: 'ratelimit' } });
    const e = await saveImages(t.file, t.opts).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LabError);
    expect((e as LabError).message).toContain('docker login');
  });
});

describe('images load', () => {
  it('loads an archive made by save, on a machine without the images', async () => {
    const a = setup({ images: ALL });
    await saveImages(a.file, a.opts);
    const archive = path.join(os.tmpdir(), `lab-images-${process.pid}.tar`);
    rmSync(archive, { force: true });
    writeFileSync(archive, readFileSync(a.file, 'utf8'));
    fake!.cleanup();
    rmSync(dir!, { recursive: true, force: true });
    const b = setup({ images: [] });
    try {
      const r = await loadImages(archive, b.opts);
      expect(r.loaded).toEqual(ALL);
      expect(r.missing).toEqual([]);
      expect(b.progress.at(-1)).toBe('Todas as imagens do cluster estão no seu Docker.');
      expect(fake!.calls()[0]).toEqual(['load', '-i', archive]);
    } finally {
      rmSync(archive, { force: true });
    }
  });

  it('a missing file and a broken archive give Portuguese errors', async () => {
    const t = setup();
    const missing = await loadImages(path.join(dir!, 'nao-existe.tar'), t.opts).catch((x: unknown) => x);
    expect((missing as LabError).message).toContain('não existe');
    writeFileSync(t.file, 'truncated');
    const broken = await loadImages(t.file, t.opts).catch((x: unknown) => x);
    expect((broken as LabError).message).toContain('parece incompleto');
    expect((broken as LabError).details).toContain('unexpected EOF');
  });

  it('says which images the archive lacked', async () => {
    const t = setup({ images: ALL.slice(0, 1) });
    const t2file = path.join(dir!, 'partial.tar');
    writeFileSync(t2file, 'FAKE-DOCKER-ARCHIVE\n' + JSON.stringify(ALL.slice(0, 2)));
    const r = await loadImages(t2file, t.opts);
    expect(r.missing).toEqual(ALL.slice(2));
    expect(t.progress.at(-1)).toContain('o pacote não tinha');
  });
});

describe('pullMissing', () => {
  it('skips present images and pulls the rest one by one, in order', async () => {
    const t = setup({ images: [ALL[1], ALL[3]] });
    const pulled = await pullMissing(ALL, t.opts);
    expect(pulled).toEqual([ALL[0], ALL[2], ALL[4]]);
    const order = fake!
      .calls()
      .filter((c) => c[0] === 'pull')
      .map((c) => c.at(-1));
    expect(order).toEqual(pulled);
    expect(t.progress).toContain(`Baixando a imagem ${ALL[2]} (2 de 3)…`);
  });
});
