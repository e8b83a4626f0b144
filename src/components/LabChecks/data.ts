// What the site shows of the labs: ids, titles, points, steps and the checks of each step. Built in
// Node from the lab definitions (labs/index.ts) by the `lab-data` plugin, so the lab pages list
// exactly the checks that `npm run check` runs, without shipping the checks' code to the browser.
import type { LabDefinition, LabId } from '../../labs/types.ts';

export interface SiteCheck {
  id: string;
  title: string;
  points: number;
  grading: 'replay' | 'evidence';
  /** Path and anchor of the section that explains it (the link a failing check prints). */
  path: string;
  anchor: string;
}

export interface SiteStep {
  anchor: string;
  title: string;
  checks: string[];
}

export interface SiteLab {
  id: LabId;
  slug: string;
  title: string;
  goal: string;
  steps: SiteStep[];
  checks: SiteCheck[];
  answerFiles: { name: string; description: string }[];
}

export function siteLabs(labs: readonly LabDefinition[]): SiteLab[] {
  return labs.map((lab) => ({
    id: lab.id,
    slug: lab.slug,
    title: lab.title,
    goal: lab.goal,
    steps: lab.steps.map((s) => ({ anchor: s.anchor, title: s.title, checks: [...s.checks] })),
    checks: lab.checks.map((c) => ({
      id: c.id,
      title: c.title,
      points: c.points,
      grading: c.grading,
      path: c.doc.path,
      anchor: c.doc.anchor,
    })),
    answerFiles: lab.answerFiles.map((f) => ({ name: f.name, description: f.description })),
  }));
}
