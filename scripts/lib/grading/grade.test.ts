// A synthetic class, built here: Moodle's bulk-download zip and worksheet around submissions made by
// running the labs' reference solutions (or parts of them) on in-process simulated clusters.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exerciseParams } from '../../../src/labs/params.ts';
import type { Report } from '../../../src/labs/report.ts';
import type { LabId } from '../../../src/labs/types.ts';
import { parseWorksheet } from '../../../src/grading/worksheet.ts';
import { createZip, readZip } from '../labs/zip.ts';
import { buildSubmission, packSubmission, templateAnswers } from './fixtures.ts';
import { parseMoodlePath } from './input.ts';
import { runGrading } from './run.ts';
import { LABS } from '../../../labs/index.ts';

const root = process.cwd();
let dir: string;
let out: string;
let markerDir: string;
let zipFile: string;
// Other work in the same tree can change the check code between building and grading: accept both.
let builtHash: string;
let sheetFile: string;

const T0 = new Date(Date.UTC(2026, 2, 14, 22, 41));
const later = (min: number) => new Date(T0.getTime() + min * 60_000);

function templates(): Map<LabId, Map<string, string>> {
  return new Map(LABS.map((l) => [l.id, templateAnswers(root, l)]));
}

/** A zip whose entry name is rewritten after building (createZip refuses unsafe names). */
function hostileZip(safeName: string, hostileName: string, data: string): Buffer {
  expect(Buffer.byteLength(safeName)).toBe(Buffer.byteLength(hostileName));
  const zip = createZip([{ name: safeName, data }]);
  const from = Buffer.from(safeName);
  const to = Buffer.from(hostileName);
  let i = zip.indexOf(from);
  while (i >= 0) {
    to.copy(zip, i);
    i = zip.indexOf(from, i + 1);
  }
  return zip;
}

const HEADER =
  '\uFEFFIdentifier,"Full name","Email address",Status,Grade,"Maximum Grade","Grade can be changed","Last modified (submission)","Last modified (grade)","Feedback comments"\n';
const row = (id: string, name: string, email: string, status: string) =>
  `"Participant ${id}","${name}",${email},"${status}",,10.00,Yes,"Friday, 14 March 2025, 10:41 PM",-,\n`;

const S = {
  ref: { id: '4821337', name: 'João Pedro da Silva', matricula: '21100123' },
  partial: { id: '4821342', name: 'Maria Eduarda Conceição', matricula: '21100456' },
  draft: { id: '4821350', name: "Ana Luíza D'Ávila", matricula: '21100789' },
  empty: { id: '4821370', name: 'Pedro Vazio', matricula: '21100321' },
  corrupt: { id: '4821380', name: 'Rita Corrompida', matricula: '21100654' },
  slip: { id: '4821390', name: 'José Slip', matricula: '21100987' },
  bomb: { id: '4821400', name: 'Beatriz Bomba', matricula: '21100111' },
  copy: { id: '4821360', name: 'Carlos Copião', matricula: '21100999' },
  command: { id: '4821410', name: 'Caio Comando', matricula: '21100222' },
  missing: { id: '4821420', name: 'Lia Ausente', matricula: '21100333' },
  other: { id: '4821430', name: 'Fernanda Lima', matricula: '21100444' },
};
const folder = (s: { id: string; name: string }) =>
  `${s.name.replace(/'/g, '')}_${s.id}_assignsubmission_file`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'grade-test-'));
  out = path.join(dir, 'saida');
  markerDir = path.join(dir, 'marcas');
  const ref = await buildSubmission(root, {
    nome: S.ref.name,
    matricula: S.ref.matricula,
    solved: ['01', '02', '03', '04', '05'],
    when: T0,
  });
  builtHash = ref.report.checkCodeHash;
  const partial = await buildSubmission(root, {
    nome: S.partial.name,
    matricula: S.partial.matricula,
    solved: ['01', '02'],
    partial: ['03'],
    when: later(90),
  });
  const older = packSubmission(
    root,
    { nome: S.partial.name, matricula: S.partial.matricula },
    undefined,
    templates(),
    later(10),
  );
  const draft = packSubmission(
    root,
    { nome: S.draft.name, matricula: S.draft.matricula },
    undefined,
    templates(),
    T0,
  );
  const empty = packSubmission(
    root,
    { nome: S.empty.name, matricula: S.empty.matricula },
    undefined,
    templates(),
    T0,
  );
  // A copied report: the reference student's, with the matrícula changed.
  const copied: Report = {
    ...(JSON.parse(JSON.stringify(ref.report)) as Report),
    matricula: S.copy.matricula,
  };
  const copy = packSubmission(
    root,
    { nome: S.copy.name, matricula: S.copy.matricula },
    copied,
    templates(),
    T0,
  );
  // An app definition and jobs whose commands would leave files behind if anything ran them.
  const p = exerciseParams(S.command.matricula);
  const answers = templates();
  const marker = (n: string) => path.join(markerDir, n);
  answers.get('02')!.set(
    'app.json',
    JSON.stringify({
      id: p.lab02.appId,
      cmd: `mkdir -p ${markerDir} && touch ${marker('app')} && python3 -m http.server $PORT0`,
      cpus: 0.1,
      mem: 32,
      instances: p.lab02.instances,
      healthChecks: [{ protocol: 'COMMAND', command: { value: `touch ${marker('health')}` } }],
    }),
  );
  answers.get('05')!.set(
    'extrai.json',
    JSON.stringify({
      name: p.lab05.extrai,
      command: `touch ${marker('job')}`,
      schedule: 'R/2026-03-15T05:00:00Z/PT1M',
      owner: 'a@b.c',
    }),
  );
  const other = packSubmission(
    root,
    { nome: 'Roberto Souza', matricula: S.other.matricula },
    undefined,
    templates(),
    T0,
  );
  const command = packSubmission(
    root,
    { nome: S.command.name, matricula: S.command.matricula },
    undefined,
    answers,
    T0,
  );

  const entries = [
    { name: `${folder(S.ref)}/lab-entrega.zip`, data: ref.zip },
    { name: `${folder(S.partial)}/entrega-${S.partial.matricula}.zip`, data: older.zip, mtime: later(10) },
    {
      name: `${folder(S.partial)}/entrega-${S.partial.matricula} (1).zip`,
      data: partial.zip,
      mtime: later(90),
    },
    { name: `${folder(S.draft)}/entrega.zip`, data: draft.zip },
    { name: `${folder(S.empty)}/entrega.zip`, data: empty.zip },
    { name: `${folder(S.corrupt)}/entrega.zip`, data: ref.zip.subarray(0, 700) },
    { name: `${folder(S.slip)}/entrega.zip`, data: hostileZip('xxxxxxevil.txt', '../../evil.txt', 'pwned') },
    {
      name: `${folder(S.bomb)}/entrega.zip`,
      data: createZip([
        { name: 'manifesto.json', data: '{}' },
        { name: 'zeros.bin', data: Buffer.alloc(4 * 1024 * 1024) },
      ]),
    },
    { name: `${folder(S.copy)}/entrega.zip`, data: copy.zip },
    { name: `${folder(S.command)}/entrega.zip`, data: command.zip },
    { name: `${folder(S.other)}/entrega.zip`, data: other.zip },
    {
      name: `${folder(S.ref)}_assignsubmission_onlinetext/onlinetext.html`.replace(
        '_assignsubmission_file_assignsubmission',
        '_assignsubmission',
      ),
      data: '<p>oi</p>',
    },
  ];
  zipFile = path.join(dir, 'INE5410-20261-Laboratórios-812345.zip');
  writeFileSync(zipFile, createZip(entries));
  sheetFile = path.join(dir, 'Grades-INE5410-20261-Laboratórios-812345.csv');
  writeFileSync(
    sheetFile,
    HEADER +
      row(S.ref.id, S.ref.name, 'joao@grad.ufsc.br', 'Submitted for grading') +
      row(S.partial.id, S.partial.name, 'maria@grad.ufsc.br', 'Submitted for grading - 1 day 2 hours late') +
      row(S.draft.id, S.draft.name, 'ana@grad.ufsc.br', 'Draft (not submitted)') +
      row(S.empty.id, S.empty.name, 'pedro@grad.ufsc.br', 'Submitted for grading') +
      row(S.corrupt.id, S.corrupt.name, 'rita@grad.ufsc.br', 'Submitted for grading') +
      row(S.slip.id, S.slip.name, 'jose@grad.ufsc.br', 'Submitted for grading') +
      row(S.bomb.id, S.bomb.name, 'bia@grad.ufsc.br', 'Submitted for grading') +
      row(S.copy.id, S.copy.name, 'carlos@grad.ufsc.br', 'Submitted for grading') +
      row(S.command.id, S.command.name, 'caio@grad.ufsc.br', 'Submitted for grading') +
      row(S.missing.id, S.missing.name, 'lia@grad.ufsc.br', 'No submission') +
      row(S.other.id, S.other.name, 'fernanda@grad.ufsc.br', 'Submitted for grading'),
  );
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Moodle paths', () => {
  it('reads folders on, folders off and the old trailing underscore, accents kept', () => {
    expect(parseMoodlePath('João Pedro da Silva_4821337_assignsubmission_file/lab2-entrega.zip')).toEqual({
      name: 'João Pedro da Silva',
      id: '4821337',
      plugin: 'file',
      file: 'lab2-entrega.zip',
    });
    expect(
      parseMoodlePath('Maria Eduarda Conceição_4821342_assignsubmission_file_lab2-entrega (1).zip')?.file,
    ).toBe('lab2-entrega (1).zip');
    expect(parseMoodlePath('Ana Luíza DÁvila_4821350_assignsubmission_file_/sub/x.zip')?.file).toBe(
      'sub/x.zip',
    );
    expect(parseMoodlePath('Grupo 03_5521_assignsubmission_onlinetext/onlinetext.html')?.plugin).toBe(
      'onlinetext',
    );
    expect(parseMoodlePath('qualquer.zip')).toBeUndefined();
  });
});

describe('npm run grade on a synthetic class', () => {
  let first: Awaited<ReturnType<typeof runGrading>>;

  beforeAll(async () => {
    first = await runGrading({
      root,
      input: zipFile,
      worksheet: sheetFile,
      out,
      siteBase: 'http://localhost:3000',
      extraHashes: [builtHash],
    });
  }, 240_000);

  const viewOf = (id: string) => first.views.find((v) => v.result.participantId === id)!;

  it('fills the worksheet: grades, comments, every other byte kept; it round-trips', () => {
    const text = readFileSync(path.join(out, path.basename(sheetFile)), 'utf8');
    const original = readFileSync(sheetFile, 'utf8');
    expect(text.startsWith(HEADER)).toBe(true);
    const ws = parseWorksheet(text);
    const before = parseWorksheet(original);
    const byId = new Map(ws.rows.map((r) => [r.participantId, r]));
    for (const r of before.rows) {
      const after = byId.get(r.participantId)!;
      for (const h of before.header)
        if (h !== 'Grade' && h !== 'Feedback comments') expect(after.cells[h]).toBe(r.cells[h]);
    }
    const grade = (s: { id: string }) => byId.get(s.id)!.cells.Grade;
    const comment = (s: { id: string }) => byId.get(s.id)!.cells['Feedback comments'];
    expect(grade(S.ref)).toBe('10.00');
    expect(Number(grade(S.partial))).toBeGreaterThan(0);
    expect(Number(grade(S.partial))).toBeLessThan(10);
    for (const s of [S.empty, S.corrupt, S.slip, S.bomb]) expect(grade(s)).toBe('0.00');
    expect(grade(S.draft)).toBe('');
    expect(comment(S.draft)).toContain('Rascunho não enviado');
    expect(grade(S.missing)).toBe('');
    expect(comment(S.missing)).toContain('Nenhuma entrega');
    expect(comment(S.ref)).toContain('Nota automática: 10/10.');
    expect(comment(S.partial)).toContain('atraso');
    expect(comment(S.partial)).toContain(`entrega-${S.partial.matricula} (1).zip`);
    expect(Number(grade(S.copy))).toBeLessThan(Number(grade(S.ref)));
  });

  it('the reference solutions score the maximum, replay and evidence both', () => {
    const v = viewOf(S.ref.id);
    expect(v.result.checks.filter((c) => c.verdict !== 'passou').map((c) => `${c.id}: ${c.message}`)).toEqual(
      [],
    );
    expect(new Set(v.result.checks.map((c) => c.gradedBy))).toEqual(new Set(['replay', 'evidence']));
    expect(v.grade).toBe(10);
  });

  it('hostile and broken files get zero with a reason, and nothing is written outside --out', () => {
    expect(viewOf(S.corrupt.id).result.rejected).toMatch(/corrompido|não pôde ser lido/);
    expect(viewOf(S.slip.id).result.rejected).toMatch(/sai da pasta/);
    expect(viewOf(S.bomb.id).result.rejected).toMatch(/bomba zip|expande/);
    expect(existsSync(path.join(dir, 'evil.txt'))).toBe(false);
    expect(existsSync(path.join(out, '..', '..', 'evil.txt'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(
      [path.basename(sheetFile), path.basename(zipFile), 'saida'].sort(),
    );
  });

  it('runs nothing a student sent: the commands would have left files behind', () => {
    expect(existsSync(markerDir)).toBe(false);
    const v = viewOf(S.command.id);
    expect(v.result.checks.find((c) => c.id === '02.app-implantada')?.verdict).toBe('passou');
  });

  it('flags a manifest whose name is not the Moodle identity, and no one else for that', () => {
    expect(viewOf(S.other.id).result.flags.map((f) => f.kind)).toContain('identidade');
    expect(viewOf(S.other.id).result.flags.find((f) => f.kind === 'identidade')?.message).toContain(
      'Roberto Souza',
    );
    for (const s of [S.ref, S.partial, S.command]) {
      expect(viewOf(s.id).result.flags.filter((f) => f.kind === 'identidade')).toEqual([]);
    }
  });

  it('flags the copied report on both students, and grades newest of two files', () => {
    const copy = viewOf(S.copy.id).result;
    expect(copy.flags.some((f) => f.kind === 'copia')).toBe(true);
    expect(viewOf(S.ref.id).result.flags.some((f) => f.kind === 'copia')).toBe(true);
    expect(copy.checks.filter((c) => c.gradedBy === 'evidence').every((c) => c.verdict === 'falhou')).toBe(
      true,
    );
    const partial = viewOf(S.partial.id).result;
    expect(partial.file).toBe(`entrega-${S.partial.matricula} (1).zip`);
    expect(partial.ignoredFiles.join(' ')).toContain('mais antiga');
  });

  it('writes the feedback zip, the summary and the long CSV', () => {
    const fb = readZip(readFileSync(path.join(out, 'feedback.zip')));
    const names = fb.map((e) => e.name);
    expect(names).toContain(`João Pedro da Silva_${S.ref.id}_assignfeedback_file/correcao.html`);
    for (const n of names) expect(n.split('/')[0].split('_')).toHaveLength(4);
    const page = fb.find((e) => e.name.includes(S.partial.id))!.data.toString('utf8');
    expect(page).toContain('<html lang="pt-BR">');
    expect(page).toContain('refeita no cluster simulado');
    expect(page).toContain('http://localhost:3000/laboratorios/');
    const summary = readFileSync(path.join(out, 'resumo.html'), 'utf8');
    expect(summary).toContain('<svg');
    expect(summary).toContain('Carlos Copião');
    expect(summary).not.toMatch(/<script|https?:\/\/[^"]*\.(js|css)/);
    const csv = readFileSync(path.join(out, 'notas-por-verificacao.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe(
      'participante,nome,matricula,laboratorio,verificacao,como,veredito,pontos,maximo,nota',
    );
    expect(csv.filter((l) => l.startsWith(`${S.ref.id},`)).length).toBe(
      LABS.reduce((s, l) => s + l.checks.length, 0),
    );
  });

  it('a second run takes everything from the cache; --refazer grades again', async () => {
    const again = await runGrading({
      root,
      input: zipFile,
      worksheet: sheetFile,
      out,
      siteBase: 'http://localhost:3000',
      extraHashes: [builtHash],
    });
    expect(again.graded).toBe(0);
    expect(again.fromCache).toBe(first.graded);
    expect(readFileSync(path.join(out, path.basename(sheetFile)), 'utf8')).toBe(
      readFileSync(path.join(out, path.basename(sheetFile)), 'utf8'),
    );
    const redo = await runGrading({
      root,
      input: zipFile,
      out: path.join(dir, 'saida', 'refeito'),
      redo: true,
      extraHashes: [builtHash],
    });
    // Without the worksheet the draft cannot be told apart, so it is graded too.
    expect(redo.graded).toBe(first.graded + 1);
  }, 240_000);
});
