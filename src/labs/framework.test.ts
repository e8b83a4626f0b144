import { describe, expect, it } from 'vitest';
import { parseJsonAnswer, parseYamlAnswers, validateChronosJob, validateMarathonApp } from './answers.ts';
import { constraintsSatisfiable } from './constraints.ts';
import { hhmm, parseChronosSchedule, periodMs, wallClock } from './iso8601.ts';
import { exerciseParams, matriculaProblem, seedOf } from './params.ts';
import { formatLab, mergeReport, type Report } from './report.ts';
import { hintFor, runCheck, updateFailures } from './runner.ts';
import { AmbienteError } from '../cluster/clients/http.ts';
import type { Check, CheckContext } from './types.ts';
import { docUrl, PUBLISHED_SITE_URL, siteBaseUrl } from './site.ts';

describe('exercise parameters', () => {
  it('are stable for a matrícula and differ between students', () => {
    const a = exerciseParams('21100123');
    expect(exerciseParams('21100123')).toEqual(a);
    expect(a.lab02.appId).toBe('/web-21100123');
    expect(a.lab02.instances).toBeGreaterThanOrEqual(2);
    expect(a.lab02.instances).toBeLessThanOrEqual(4);
    expect(a.lab03.minuto).toBeLessThan(60);
    expect(a.lab05.esperado).toBe((a.lab05.n * (a.lab05.n + 1)) / 2);
    const many = new Set(['21100123', '21100124', '21100125', '21100126', '21100127'].map((m) => seedOf(m)));
    expect(many.size).toBe(5);
  });

  it('explains a bad matrícula', () => {
    expect(matriculaProblem('21100123')).toBeUndefined();
    expect(matriculaProblem('abc')).toMatch(/só algarismos/);
    expect(matriculaProblem('')).toMatch(/vazia/);
  });
});

describe('answer files', () => {
  it('explains comments and trailing commas in JSON', () => {
    const withComment = parseJsonAnswer('{\n // id\n "id": "/a"\n}', 'app.json');
    expect(withComment.ok).toBe(false);
    if (!withComment.ok) expect(withComment.problems[0].message).toMatch(/comentários/);
    const trailing = parseJsonAnswer('{"id": "/a",}', 'app.json');
    if (!trailing.ok) expect(trailing.problems[0].message).toMatch(/vírgula sobrando/);
    else throw new Error('should fail');
  });

  it('validates a Marathon app the way Marathon 1.3.6 would, in Portuguese', () => {
    expect(validateMarathonApp({ id: '/web-1', cmd: 'x', instances: 2 })).toEqual([]);
    const bad = validateMarathonApp({
      id: '/Web_1',
      instances: 1.5,
      healthcheck: [],
      constraints: [['rack', 'cluster', 'a']],
    });
    const paths = bad.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['id', 'cmd', 'instances', 'healthcheck', 'constraints[0]']),
    );
    expect(bad.find((p) => p.path === 'healthcheck')!.message).toMatch(/healthChecks/);
    expect(
      validateMarathonApp({ id: '/a', cmd: 'x', healthChecks: [{ protocol: 'MESOS_HTTP' }] })[0].path,
    ).toBe('healthChecks[0].protocol');
    // Marathon's own 422 text follows the Portuguese explanation
    const id = validateMarathonApp({ id: '/Web', cmd: 'x' });
    expect(id.map((p) => p.path)).toEqual(['id']);
    expect(id[0].message).toMatch(/minúsculas.*erro 422\): must fully match regular expression/);
    // a cross-field 400 (path "") is explained too, and fields Marathon 1.3.6 does not read are flagged
    const both = validateMarathonApp({ id: '/a', cmd: 'x', ports: [1], ipAddress: {}, killSelection: 'x' });
    expect(both.map((p) => p.path).sort()).toEqual(['', 'killSelection']);
    expect(validateMarathonApp({ id: '/a', cmd: '  ' }).map((p) => p.path)).toEqual(['cmd']);
  });

  it('validates Chronos jobs, rejecting fields removed in 3.0', () => {
    expect(
      validateChronosJob(
        { name: 'a-1', command: 'true', schedule: 'R/2026-01-01T00:00:00Z/PT1M' },
        'agendado',
      ),
    ).toEqual([]);
    expect(validateChronosJob({ name: 'b', command: 'true', parents: ['a-1'] }, 'dependente')).toEqual([]);
    const bad = validateChronosJob(
      { name: 'x y', command: '', schedule: 'todo dia', epsilon: 'PT1M' },
      'agendado',
    );
    expect(bad.map((p) => p.path).sort()).toEqual(['command', 'epsilon', 'name', 'schedule']);
    expect(validateChronosJob({ name: 'b', command: 'true' }, 'dependente')[0].path).toBe('parents');
    const job = (schedule: string, scheduleTimeZone?: string) =>
      validateChronosJob({ name: 'a', command: 'true', schedule, scheduleTimeZone }, 'agendado').map(
        (p) => p.path,
      );
    expect(job('R/2026-01-01T00:00:00Z/P1D', 'America/Sao_Pablo')).toEqual(['scheduleTimeZone']);
    expect(job('R/2026-01-01T00:00:00Z/PT0S')).toEqual(['schedule']);
    expect(job('R/1969-12-31T00:00:00Z/P1D')).toEqual(['schedule']);
    expect(job(' R/2026-01-01T00:00:00Z/P1D')).toEqual(['schedule']);
  });

  it('reads YAML answers and checks their types', () => {
    const q = [
      { key: 'n', type: 'numero' as const, text: '' },
      { key: 'e', type: 'escolha' as const, options: ['a', 'b'], text: '' },
    ];
    const ok = parseYamlAnswers('# c\nn: 4\ne: b\n', 'r.yaml', q);
    expect(ok).toEqual({ ok: true, value: { n: 4, e: 'b' } });
    const empty = parseYamlAnswers('n:\ne:\n', 'r.yaml', q);
    expect(empty.ok).toBe(true);
    const bad = parseYamlAnswers('n: "4 cpus"\ne: z\nx: 1\n', 'r.yaml', q);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.path)).toEqual(['n', 'e', 'x']);
    const broken = parseYamlAnswers('n: [1\n', 'r.yaml', q);
    expect(broken.ok).toBe(false);
  });
});

describe('Chronos schedules', () => {
  it('reads the start in the schedule time zone when one is given', () => {
    const utc = parseChronosSchedule('R/2026-03-01T06:15:00Z/P1D');
    const sp = parseChronosSchedule('R/2026-03-01T03:15:00Z/P1D', 'America/Sao_Paulo');
    const offset = parseChronosSchedule('R/2026-03-01T03:15:00-03:00/P1D');
    if ('error' in utc || 'error' in sp || 'error' in offset) throw new Error('should parse');
    expect(sp.start).toBe(utc.start);
    expect(offset.start).toBe(utc.start);
    expect(hhmm(wallClock(utc.start, 'America/Sao_Paulo'))).toBe('03:15');
    expect(utc.repeat).toBe(-1);
    expect(periodMs(utc.period)).toBe(86_400_000);
  });

  it('explains what is wrong', () => {
    expect(parseChronosSchedule('R5/2026-03-01T06:15:00Z/1D')).toHaveProperty('error');
    expect(parseChronosSchedule('2026-03-01T06:15:00Z/P1D')).toHaveProperty('error');
    expect(parseChronosSchedule('R/2026-03-01T06:15:00Z/1D')).toHaveProperty('error');
    expect(parseChronosSchedule('R/2026-13-01T06:15:00Z/P1D')).toHaveProperty('error');
    // as Chronos does: an unknown zone id is GMT, not an error
    const typo = parseChronosSchedule('R/2026-03-01T06:15:00Z/P1D', 'America/Sao_Pablo');
    expect('error' in typo ? undefined : typo.start).toBe(Date.UTC(2026, 2, 1, 6, 15));
    const r3 = parseChronosSchedule('R3//PT1M');
    expect('error' in r3 ? undefined : r3.repeat).toBe(3);
  });
});

describe('constraints', () => {
  const agents = [
    { hostname: 'mesos-agent-1', attributes: { rack: 'a' } },
    { hostname: 'mesos-agent-2', attributes: { rack: 'b' } },
  ];
  it('tells impossible constraints from possible ones', () => {
    expect(constraintsSatisfiable([['rack', 'CLUSTER', 'c']], agents, 1)).toBe(false);
    expect(constraintsSatisfiable([['rack', 'CLUSTER', 'a']], agents, 3)).toBe(true);
    expect(constraintsSatisfiable([['hostname', 'UNIQUE']], agents, 3)).toBe(false);
    expect(constraintsSatisfiable([['hostname', 'UNIQUE']], agents, 2)).toBe(true);
    expect(constraintsSatisfiable([['rack', 'LIKE', 'z.*']], agents, 1)).toBe(false);
    expect(constraintsSatisfiable([['zone', 'UNLIKE', 'x']], agents, 1)).toBe(true);
    expect(constraintsSatisfiable([], agents, 4)).toBe(true);
  });
});

describe('runner and report', () => {
  const base: Omit<Check, 'run'> = {
    id: '99.x',
    lab: '01',
    title: 'Algo',
    points: 2,
    grading: 'replay',
    hints: ['primeira', 'segunda'],
    doc: { path: '/laboratorios/x', anchor: 'a' },
  };
  const ctx = {} as CheckContext;

  it('turns an unreachable cluster into ambiente and a bug into ambiente, never falhou', async () => {
    const amb = await runCheck(
      { ...base, run: async () => Promise.reject(new AmbienteError('O Marathon não respondeu.')) },
      ctx,
    );
    expect(amb.verdict).toBe('ambiente');
    expect(amb.points).toBe(0);
    const bug = await runCheck(
      { ...base, run: async () => Promise.reject(new TypeError('x is undefined')) },
      ctx,
    );
    expect(bug.verdict).toBe('ambiente');
    expect(bug.details).toMatch(/TypeError/);
  });

  it('gives more specific hints as the same check keeps failing', async () => {
    const check: Check = { ...base, run: async () => ({ verdict: 'falhou', message: 'não' }) };
    expect((await runCheck(check, ctx, 0)).hint).toBe('primeira');
    expect((await runCheck(check, ctx, 5)).hint).toBe('segunda');
    expect(hintFor({ ...check, hints: [] }, 1)).toBeUndefined();
    const outcome = await runCheck(check, ctx);
    expect(updateFailures({ '99.x': 1 }, [outcome])).toEqual({ '99.x': 2 });
    expect(updateFailures({ '99.x': 1 }, [{ ...outcome, verdict: 'passou' }])).toEqual({});
    expect(updateFailures({ '99.x': 1 }, [{ ...outcome, verdict: 'ambiente' }])).toEqual({ '99.x': 1 });
  });

  it('prints the table in the style of STYLE.md', async () => {
    const pass = await runCheck(
      { ...base, id: '02.app-criada', run: async () => ({ verdict: 'passou', message: 'ok' }) },
      ctx,
    );
    const fail = await runCheck(
      {
        ...base,
        id: '02.health-http',
        run: async () => ({ verdict: 'falhou', message: 'Sem verificação.' }),
      },
      ctx,
    );
    const env = await runCheck(
      {
        ...base,
        id: '02.eventos',
        run: async () => ({ verdict: 'ambiente', message: 'o Marathon não respondeu' }),
      },
      ctx,
    );
    const lines = formatLab('02', 'Serviços com Marathon', [pass, fail, env], {
      siteBase: 'http://localhost:3000',
      backendLabel: 'simulador',
    });
    expect(lines[0]).toMatch(/^Laboratório 02 — Serviços com Marathon\s+cluster: simulador$/);
    expect(lines[1]).toMatch(/✔ 02\.app-criada\s+Algo\s+2\/2$/);
    expect(lines.join('\n')).toContain('Dica: primeira');
    expect(lines.join('\n')).toContain('Leia: http://localhost:3000/laboratorios/x#a');
    expect(lines.join('\n')).toMatch(/⚠ 02\.eventos\s+ambiente/);
    expect(lines.join(' ')).toMatch(/o Marathon não\s+respondeu/);
    expect(lines.at(-1)).toMatch(/pontos: 2 de 6$/);
    expect(lines.join('\n')).not.toContain('site publicado');
    const published = formatLab('02', 'Serviços com Marathon', [fail], {
      siteBase: PUBLISHED_SITE_URL,
      backendLabel: 'simulador',
    });
    expect(published.join('\n')).toContain(`Leia: ${PUBLISHED_SITE_URL}/laboratorios/x#a (site publicado`);
  });

  it('merges a one-lab report into the previous one', () => {
    const mk = (lab: string, points: number): Report['checks'][number] => ({
      id: `${lab}.a`,
      lab,
      title: '',
      verdict: points ? 'passou' : 'falhou',
      points,
      maxPoints: 1,
      grading: 'replay',
      message: '',
      checkedAt: '',
    });
    const prev = {
      matricula: '1',
      checks: [mk('01', 1), mk('02', 0)],
      evidence: {},
      score: { points: 1, maxPoints: 2 },
    } as unknown as Report;
    const next = {
      matricula: '1',
      checks: [mk('02', 1)],
      evidence: {},
      score: { points: 1, maxPoints: 1 },
    } as unknown as Report;
    const merged = mergeReport(prev, next, ['02']);
    expect(merged.checks.map((c) => `${c.id}:${c.points}`)).toEqual(['01.a:1', '02.a:1']);
    expect(merged.score).toEqual({ points: 2, maxPoints: 2 });
    expect(mergeReport({ ...prev, matricula: '2' }, next, ['02']).checks).toHaveLength(1);
  });

  it('builds site links from one base address', () => {
    expect(siteBaseUrl({ LAB_SITE_URL: 'http://localhost:3000/' })).toBe('http://localhost:3000');
    expect(docUrl({ path: '/laboratorios/x', anchor: 'b' }, 'http://h')).toBe('http://h/laboratorios/x#b');
  });
});
