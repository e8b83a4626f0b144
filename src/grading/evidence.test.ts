import { describe, expect, it } from 'vitest';
import { exerciseParams } from '../labs/params.ts';
import type { Report } from '../labs/report.ts';
import { EVIDENCE_RULES, fingerprints, reportProblems } from './evidence.ts';
import { DEFAULT_WEIGHTS, gradeOf, parseWeights, type GradedCheck } from './scoring.ts';
import { esc, feedbackPage } from './render.ts';

const HASH = 'sha256:abc';
const TASK = 'web-21100123.0c20a160-1c81-11f1-a988-526fbe373549';
const FW = '5b4e7f2a-1c81-11f1-a988-526fbe373549-0000';

function report(): Report {
  return {
    format: 1,
    kit: { name: 'laboratorio-mesos', version: '0.1.0' },
    generatedAt: '2026-03-14T22:41:00.000Z',
    matricula: '21100123',
    backend: 'sim',
    checkCodeHash: HASH,
    checks: [
      {
        id: '01.framework-id',
        lab: '01',
        title: 't',
        verdict: 'passou',
        points: 2,
        maxPoints: 2,
        grading: 'evidence',
        message: 'ok',
        evidence: { frameworkId: FW, masterId: '5b4e7f2a-1c81-11f1-a988-526fbe373549' },
        checkedAt: '2026-03-14T22:40:00.000Z',
      },
    ],
    evidence: {
      '02': {
        startedAt: 1,
        events: [
          { eventType: 'status_update_event', timestamp: '2026-03-14T20:00:00.000Z', taskId: TASK },
          { eventType: 'status_update_event', timestamp: '2026-03-14T20:00:01.000Z', taskId: TASK },
        ],
        observations: [{ at: 5, kind: 'tarefas', tasks: [{ id: TASK, state: 'TASK_RUNNING', agent: 'x' }] }],
      },
    },
    score: { points: 2, maxPoints: 2 },
  };
}

const manifest = {
  matricula: '21100123',
  geradoEm: '2026-03-14T22:45:00.000Z',
  checkCodeHash: HASH,
  kit: { version: '0.1.0' },
};

describe('report integrity', () => {
  it('accepts a consistent report and collects its cluster ids', () => {
    expect(reportProblems({ report: report(), manifest, acceptedHashes: [HASH] })).toEqual([]);
    expect(fingerprints(report())).toEqual([FW, '5b4e7f2a-1c81-11f1-a988-526fbe373549', TASK].sort());
  });

  it('refuses another kit’s check code, another matrícula, times out of order, forged points, bad ids', () => {
    const p = (r: Report, hashes = [HASH]) =>
      reportProblems({ report: r, manifest, acceptedHashes: hashes }).join(' | ');
    expect(p(report(), ['sha256:outro'])).toContain('não é o desta versão do kit');
    expect(p({ ...report(), matricula: '21100999' })).toContain('é da matrícula 21100999');
    const swapped = report();
    swapped.evidence['02']!.events.reverse();
    expect(p(swapped)).toContain('fora de ordem');
    const forged = report();
    forged.checks[0].verdict = 'falhou';
    expect(p(forged)).toContain('pontos do relatório não conferem');
    const badId = report();
    badId.evidence['02']!.observations[0].tasks![0].id = 'web.123';
    expect(p(badId)).toContain('malformado');
    expect(p({ ...report(), generatedAt: '2026-03-20T00:00:00.000Z' })).toContain(
      'posterior à da própria entrega',
    );
  });

  it('a check rule ties the recorded evidence to the answer files', () => {
    const entry = report().checks[0];
    const run = (answer: string) =>
      EVIDENCE_RULES['01.framework-id']({
        entry,
        params: exerciseParams('21100123'),
        log: { events: [], observations: [] },
        json: () => undefined,
        yaml: () => ({ framework_id_marathon: answer }),
      });
    expect(run(FW).ok).toBe(true);
    expect(run('outro-0000').ok).toBe(false);
  });
});

describe('scoring', () => {
  const labs = [
    {
      id: '01' as const,
      checks: [
        { id: '01.a', points: 1 },
        { id: '01.b', points: 3 },
      ],
    },
    { id: '02' as const, checks: [{ id: '02.a', points: 2 }] },
  ];
  const c = (id: string, verdict: 'passou' | 'falhou'): GradedCheck => ({
    id,
    lab: id.slice(0, 2) as '01',
    title: id,
    gradedBy: 'replay',
    verdict,
    message: '',
    docUrl: '',
    maxPoints: labs.flatMap((l) => l.checks).find((x) => x.id === id)!.points,
  });

  it('everything right is the maximum; labs weigh equally by default; weights change it', () => {
    const all = [c('01.a', 'passou'), c('01.b', 'passou'), c('02.a', 'passou')];
    expect(gradeOf({ checks: all }, DEFAULT_WEIGHTS, labs).grade).toBe(10);
    const half = [c('01.a', 'passou'), c('01.b', 'passou'), c('02.a', 'falhou')];
    expect(gradeOf({ checks: half }, DEFAULT_WEIGHTS, labs).grade).toBe(5);
    const w = parseWeights('{"escala": 100, "labs": {"1": 3}, "verificacoes": {"01.a": 3}}');
    expect(gradeOf({ checks: half }, w, labs).grade).toBe(75);
    expect(gradeOf({ checks: [c('01.a', 'passou'), c('01.b', 'falhou')] }, w, labs).grade).toBe(37.5);
    expect(gradeOf({ checks: all, rejected: 'x' }, DEFAULT_WEIGHTS, labs).grade).toBe(0);
    expect(() => parseWeights('{"labs": {"01": -1}}')).toThrow(/maior ou igual a zero/);
  });

  it('feedback pages escape what students wrote', () => {
    expect(esc('<script>"x"&\'')).toBe('&lt;script&gt;&quot;x&quot;&amp;&#39;');
    const html = feedbackPage(
      {
        result: {
          key: '1',
          moodleName: '<img src=x onerror=alert(1)>',
          ignoredFiles: [],
          checks: [c('01.a', 'falhou')],
          flags: [],
          fingerprints: [],
          notes: [],
        },
        grade: 2.5,
        status: [],
        late: false,
      },
      DEFAULT_WEIGHTS,
      { '01': 'O cluster por dentro' },
    );
    expect(html).not.toContain('<img');
    expect(html).toContain('Nota: 2,5 de 10');
  });
});
