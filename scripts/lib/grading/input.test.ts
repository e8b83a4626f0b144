import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZip } from '../labs/zip.ts';
import { readClassInput } from './input.ts';
import { listZip, readZipSafely, SUBMISSION_LIMITS, ZipRefused } from './safe-zip.ts';
import { selectSubmission } from './submission.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'grade-input-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const entrega = (nome: string, matricula: string, geradoEm: string) =>
  createZip([
    {
      name: 'manifesto.json',
      data: JSON.stringify({ nome, matricula, geradoEm, kit: {}, checkCodeHash: '' }),
    },
    { name: 'labs/01-o-cluster-por-dentro/respostas/cluster.yaml', data: 'master_lider: x\n' },
  ]);

describe('class input', () => {
  it('reads the flattened layout (folders off) by participant id, accents NFC', () => {
    const file = path.join(dir, 'curso-tarefa-1.zip');
    const decomposed = 'Conceic\u0327a\u0303o';
    writeFileSync(
      file,
      createZip([
        {
          name: `Maria ${decomposed}_4821342_assignsubmission_file_lab-entrega.zip`,
          data: entrega('Maria', '21100456', '2026-03-01T10:00:00Z'),
        },
        {
          name: `Maria ${decomposed}_4821342_assignsubmission_file_lab-entrega (1).zip`,
          data: entrega('Maria', '21100456', '2026-03-02T10:00:00Z'),
        },
        { name: 'Grupo padrão_assignsubmission_file/x.zip', data: 'x' },
      ]),
    );
    const c = readClassInput(file);
    expect(c.students).toHaveLength(1);
    expect(c.students[0].participantId).toBe('4821342');
    expect(c.students[0].name).toBe('Maria Conceição');
    expect(c.ignored).toEqual(['Grupo padrão_assignsubmission_file/x.zip']);
    const sel = selectSubmission(c.students[0]);
    expect('ok' in sel && sel.ok.file).toBe('lab-entrega (1).zip');
  });

  it('reads a folder: Moodle tree (old trailing underscore), student folders, loose archives; links not followed', () => {
    const moodle = path.join(dir, 'in', 'João Pedro da Silva_4821337_assignsubmission_file_');
    mkdirSync(moodle, { recursive: true });
    writeFileSync(path.join(moodle, 'entrega.zip'), entrega('João', '21100123', '2026-03-01T10:00:00Z'));
    mkdirSync(path.join(dir, 'in', 'ana'), { recursive: true });
    writeFileSync(
      path.join(dir, 'in', 'ana', 'entrega-21100789.zip'),
      entrega('Ana', '21100789', '2026-03-01T10:00:00Z'),
    );
    writeFileSync(
      path.join(dir, 'in', 'entrega-21100999.zip'),
      entrega('Carlos', '21100999', '2026-03-01T10:00:00Z'),
    );
    mkdirSync(path.join(dir, 'secreto'));
    writeFileSync(path.join(dir, 'secreto', 'senha.zip'), 'x');
    symlinkSync(path.join(dir, 'secreto'), path.join(dir, 'in', 'atalho'));
    const c = readClassInput(path.join(dir, 'in'));
    expect(c.students.map((s) => [s.key, s.files.map((f) => f.name)])).toEqual([
      ['4821337', ['entrega.zip']],
      ['ana', ['entrega-21100789.zip']],
      ['entrega-21100999', ['entrega-21100999.zip']],
    ]);
    expect(c.ignored.join(' ')).toContain('atalho (link simbólico');
  });
});

describe('safe zip', () => {
  it('refuses links, absolute paths and too many entries; reads good archives', () => {
    const link = createZip([{ name: 'a', data: '/etc/passwd' }]);
    // Mark the entry as a symbolic link in the central directory's external attributes.
    const cd = link.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    link.writeUInt32LE((0o120777 << 16) >>> 0, cd + 38);
    expect(() => listZip(link, SUBMISSION_LIMITS)).toThrow(/link simbólico/);
    const abs = createZip([{ name: 'xetc/x', data: 'x' }]);
    abs.write('/', abs.indexOf('xetc/x'));
    abs.write('/', abs.lastIndexOf('xetc/x'));
    expect(() => listZip(abs, SUBMISSION_LIMITS)).toThrow(/absoluto/);
    const many = createZip(Array.from({ length: 6 }, (_, i) => ({ name: `f${i}`, data: 'x' })));
    expect(() => listZip(many, { ...SUBMISSION_LIMITS, maxEntries: 5 })).toThrow(ZipRefused);
    expect(
      readZipSafely(createZip([{ name: 'ok.txt', data: 'olá' }]), SUBMISSION_LIMITS)[0].data.toString(),
    ).toBe('olá');
  });

  it('a declared size that lies is caught', () => {
    const zip = createZip([{ name: 'a.txt', data: 'x'.repeat(1000) }]);
    const cd = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(10, cd + 24);
    expect(() => readZipSafely(zip, SUBMISSION_LIMITS)).toThrow(/corrompido/);
  });
});
