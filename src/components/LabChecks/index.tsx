// The boxes of the lab pages: the checks that verify each step, and the table of all checks of a lab.
// They read the lab definitions (through the lab-data plugin), so a page cannot list a check that
// does not exist or miss one that does: the unit test of the lab pages asserts both.
import React from 'react';
import Link from '@docusaurus/Link';
import generated from '@generated/lab-data/default/labs.json';
import type { SiteCheck, SiteLab } from './data.ts';
import styles from './styles.module.css';

const LABS = generated as SiteLab[];

function labOf(id: string): SiteLab {
  const lab = LABS.find((l) => l.id === id);
  if (!lab) throw new Error(`LabChecks: laboratório desconhecido "${id}"`);
  return lab;
}

const GRADING: Record<SiteCheck['grading'], string> = {
  replay: 'refeita na correção a partir dos seus arquivos de respostas',
  evidence: 'conferida pelo registro do que aconteceu no seu cluster',
};

const points = (n: number) => `${n} ${n === 1 ? 'ponto' : 'pontos'}`;

/** The box under a step: the ids of the checks that verify it. */
export function StepChecks({ lab, step }: { lab: string; step: string }): React.JSX.Element {
  const def = labOf(lab);
  const s = def.steps.find((x) => x.anchor === step);
  if (!s) throw new Error(`LabChecks: o laboratório ${lab} não tem o passo "${step}"`);
  const checks = s.checks.map((id) => def.checks.find((c) => c.id === id)).filter((c) => c !== undefined);
  return (
    <aside className={styles.box} aria-label={`Verificações do passo: ${s.title}`} data-lab-step={step}>
      <p className={styles.heading}>
        {checks.length === 1 ? 'Verificação deste passo' : 'Verificações deste passo'}
      </p>
      <ul className={styles.list}>
        {checks.map((c) => (
          <li key={c.id} data-check-id={c.id}>
            <code>{c.id}</code> — {c.title} <span className={styles.meta}>({points(c.points)})</span>
          </li>
        ))}
      </ul>
      <p className={styles.hint}>
        Rode <code>npm run check -- {lab}</code> para ver se{' '}
        {checks.length === 1 ? 'ela passou' : 'elas passaram'}.
      </p>
    </aside>
  );
}

/** The table of every check of a lab, with the step that explains it and how grading confirms it. */
export function LabCheckTable({ lab }: { lab: string }): React.JSX.Element {
  const def = labOf(lab);
  const total = def.checks.reduce((sum, c) => sum + c.points, 0);
  return (
    <table className={styles.table} data-lab-checks={lab}>
      <caption>
        As {def.checks.length} verificações do laboratório {lab} ({points(total)} ao todo)
      </caption>
      <thead>
        <tr>
          <th scope="col">verificação</th>
          <th scope="col">o que precisa valer</th>
          <th scope="col">pontos</th>
          <th scope="col">como a correção confere</th>
        </tr>
      </thead>
      <tbody>
        {def.checks.map((c) => (
          <tr key={c.id} data-check-id={c.id}>
            <td>
              <Link to={`#${c.anchor}`}>
                <code>{c.id}</code>
              </Link>
            </td>
            <td>{c.title}</td>
            <td>{c.points}</td>
            <td>{GRADING[c.grading]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The lab's goal, as the lab definition states it (also shown by `npm run lab:NN`). */
export function LabGoal({ lab }: { lab: string }): React.JSX.Element {
  return <p className={styles.goal}>{labOf(lab).goal}</p>;
}

/** The answer files of a lab, with what goes in each. */
export function AnswerFiles({ lab }: { lab: string }): React.JSX.Element {
  const def = labOf(lab);
  return (
    <ul>
      {def.answerFiles.map((f) => (
        <li key={f.name}>
          <code>
            labs/{def.slug}/respostas/{f.name}
          </code>
          : {f.description}
        </li>
      ))}
    </ul>
  );
}
