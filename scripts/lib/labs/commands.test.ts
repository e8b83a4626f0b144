import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABS } from '../../../labs/index.ts';
import { lab01 } from '../../../labs/01-o-cluster-por-dentro/lab.ts';
import { lab02 } from '../../../labs/02-servicos-com-marathon/lab.ts';
import type { Report } from '../../../src/labs/report.ts';
import { LabError } from '../cluster/backend.ts';
import { parseLabArgs, runChecksAndReport } from './check-command.ts';
import { completeStudent, pack, parseEntregaArgs } from './entrega-command.ts';
import { readFailures, readStudent, writeStudent } from './files.ts';
import { checkCodeFiles, checkCodeHash } from './hash.ts';
import { parseLabCommandArgs } from './lab-command.ts';
import { SimHarness } from './sim-harness.ts';
import { readZip } from './zip.ts';

const repo = path.resolve(__dirname, '../../..');
let root: string;
let h: SimHarness;
const lines: string[] = [];
const output = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'kit-'));
  writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'laboratorio-mesos', version: '9.9.9' }),
  );
  for (const lab of LABS) {
    cpSync(path.join(repo, 'labs', lab.slug, 'respostas'), path.join(root, 'labs', lab.slug, 'respostas'), {
      recursive: true,
    });
  }
  mkdirSync(path.join(root, 'src', 'labs'), { recursive: true });
  writeFileSync(path.join(root, 'src', 'labs', 'a.ts'), 'export const a = 1;\n');
  h = await SimHarness.start(lab01, repo);
  await h.solve();
  cpSync(h.answersDir, path.join(root, 'labs', lab01.slug, 'respostas'), { recursive: true });
}, 60_000);

afterAll(async () => {
  await h?.close();
  rmSync(root, { recursive: true, force: true });
});

function run(labs = [lab01]) {
  lines.length = 0;
  return runChecksAndReport({
    root,
    stateDir: path.join(root, '.lab'),
    labs,
    params: h.params,
    clients: h.clients,
    backendName: 'sim',
    backendLabel: 'simulador',
    siteBase: 'http://localhost:3000',
    output,
  });
}

describe('npm run check', () => {
  it('prints the table, writes the report and passes when every check passes', async () => {
    const result = await run();
    expect(result.allPassed).toBe(true);
    expect(lines[0]).toMatch(/^Laboratório 01 — O cluster por dentro\s+cluster: simulador$/);
    const report = JSON.parse(readFileSync(path.join(root, 'entrega', 'relatorio.json'), 'utf8')) as Report;
    expect(report.backend).toBe('sim');
    expect(report.kit.version).toBe('9.9.9');
    expect(report.matricula).toBe(h.params.matricula);
    expect(report.checkCodeHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const c of report.checks) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'lab', 'verdict', 'points', 'maxPoints']));
      expect(c.verdict).toBe('passou');
    }
    expect(report.checks.find((c) => c.id === '01.framework-id')!.evidence!.frameworkId).toBeTruthy();
    expect(report.score.points).toBe(report.score.maxPoints);
  });

  it('keeps other labs in the report, counts failures for the hint ladder, and fails when a check fails', async () => {
    const first = await run([lab02]);
    expect(first.allPassed).toBe(false);
    expect(lines.join('\n')).toMatch(/Dica: /);
    const report = JSON.parse(readFileSync(path.join(root, 'entrega', 'relatorio.json'), 'utf8')) as Report;
    expect(new Set(report.checks.map((c) => c.lab))).toEqual(new Set(['01', '02']));
    expect(readFailures(path.join(root, '.lab'))['02.app-json']).toBe(1);
    const firstHint = first.outcomes.find((o) => o.id === '02.app-json')!.hint;
    const second = await run([lab02]);
    expect(readFailures(path.join(root, '.lab'))['02.app-json']).toBe(2);
    expect(second.outcomes.find((o) => o.id === '02.app-json')!.hint).not.toBe(firstHint);
  });

  it('rejects an unknown lab with a Portuguese message', () => {
    expect(parseLabArgs(['02']).map((l) => l.id)).toEqual(['02']);
    expect(parseLabArgs([]).length).toBe(5);
    expect(() => parseLabArgs(['9'])).toThrow(/não existe/);
    expect(parseLabCommandArgs(['03', '--demo'])).toMatchObject({ demo: true, lab: { id: '03' } });
    expect(() => parseLabCommandArgs([])).toThrow(LabError);
  });
});

describe('npm run entrega', () => {
  it('needs name and matrícula without a terminal, and keeps them as soon as they are given', async () => {
    await expect(completeStudent({}, {}, false)).rejects.toThrow(/--nome/);
    const saved: unknown[] = [];
    const s = await completeStudent(
      {},
      parseEntregaArgs(['--nome', 'Ana Conceição', '--matricula=21100123']),
      false,
      undefined,
      (x) => saved.push({ ...x }),
    );
    expect(s).toEqual({ nome: 'Ana Conceição', matricula: '21100123' });
    expect(saved).toHaveLength(1);
    const asked = await completeStudent({ nome: 'Bia' }, {}, true, async () => '21100999');
    expect(asked.matricula).toBe('21100999');
    expect(() => parseEntregaArgs(['--x'])).toThrow(LabError);
  });

  it('packs every lab, the last report and a manifest, and says what is missing', () => {
    const stateDir = path.join(root, '.lab');
    writeStudent(stateDir, { nome: 'Ana Conceição', matricula: h.params.matricula });
    expect(readStudent(stateDir).nome).toBe('Ana Conceição');
    const { archive, manifest } = pack(root, stateDir, {
      nome: 'Ana Conceição',
      matricula: h.params.matricula,
    });
    const entries = readZip(readFileSync(archive));
    const names = entries.map((e) => e.name);
    expect(names[0]).toBe('manifesto.json');
    expect(names).toContain('relatorio.json');
    expect(names).toContain(`labs/${lab01.slug}/respostas/cluster.yaml`);
    const m = JSON.parse(entries[0].data.toString('utf8'));
    expect(m).toMatchObject({
      nome: 'Ana Conceição',
      matricula: h.params.matricula,
      backend: 'sim',
      kit: { version: '9.9.9' },
    });
    expect(manifest.faltando.join('\n')).toMatch(/02 não tem nenhuma verificação aprovada/);
    expect(manifest.faltando.join('\n')).toMatch(/03 ainda não foi verificado/);
    expect(manifest.faltando.join('\n')).not.toMatch(/ 01 /);
  });

  it('says that there is no report yet', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'kit-empty-'));
    try {
      const { manifest } = pack(empty, path.join(empty, '.lab'), { nome: 'A', matricula: '21100123' });
      expect(manifest.faltando[0]).toMatch(/Ainda não há relatório/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('check code hash', () => {
  it('covers the framework and the labs, not tests or answers, and changes with the code', () => {
    const files = checkCodeFiles(repo);
    expect(files).toContain('labs/02-servicos-com-marathon/lab.ts');
    expect(files).toContain('src/labs/runner.ts');
    expect(files.some((f) => f.endsWith('.test.ts') || f.includes('respostas/'))).toBe(false);
    const before = checkCodeHash(root);
    writeFileSync(path.join(root, 'src', 'labs', 'a.ts'), 'export const a = 2;\n');
    expect(checkCodeHash(root)).not.toBe(before);
  });
});
