// The labs' definitions hold together: what the site, the checklist and grading rely on.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAB_PAGES } from '../src/labs/site.ts';
import { exerciseParams } from '../src/labs/params.ts';
import { LABS } from './index.ts';

describe('lab catalog', () => {
  it('has five labs, in order, each with its page and folder', () => {
    expect(LABS.map((l) => l.id)).toEqual(['01', '02', '03', '04', '05']);
    for (const lab of LABS) {
      expect(LAB_PAGES[lab.id]).toBe(`/laboratorios/${lab.slug}`);
      expect(existsSync(path.join(__dirname, lab.slug, 'respostas', 'README.md'))).toBe(true);
      for (const f of lab.answerFiles)
        expect(existsSync(path.join(__dirname, lab.slug, 'respostas', f.name))).toBe(true);
    }
  });

  it('gives every check a unique id of its lab, points, hints, a link into its lab page, and a step', () => {
    const ids = new Set<string>();
    for (const lab of LABS) {
      const anchors = new Set(lab.steps.map((s) => s.anchor));
      expect(anchors.size).toBe(lab.steps.length);
      const listed = new Set(lab.steps.flatMap((s) => s.checks));
      for (const c of lab.checks) {
        expect(c.id.startsWith(`${lab.id}.`)).toBe(true);
        expect(ids.has(c.id)).toBe(false);
        ids.add(c.id);
        expect(c.points).toBeGreaterThan(0);
        expect(c.hints.length).toBeGreaterThanOrEqual(2);
        expect(c.doc.path).toBe(LAB_PAGES[lab.id]);
        expect(anchors.has(c.doc.anchor)).toBe(true);
        expect(listed.has(c.id)).toBe(true);
        expect(['replay', 'evidence']).toContain(c.grading);
      }
      for (const id of listed) expect(lab.checks.some((c) => c.id === id)).toBe(true);
    }
  });

  it('has a reference solution for any matrícula', () => {
    for (const lab of LABS) {
      expect(lab.solution(exerciseParams('21100123')).length).toBeGreaterThan(0);
      expect(lab.watches(exerciseParams('21100123'))).toBeTruthy();
    }
  });
});
