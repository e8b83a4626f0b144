// The troubleshooting page and the instructor's "verify on a real Docker host" list, rendered from the
// same data as `npm run doctor` (src/cluster/troubleshooting.ts), so the site and the command never disagree.
import React from 'react';
import Link from '@docusaurus/Link';
import Heading from '@theme/Heading';
import {
  LEVEL_LABEL,
  PROBLEMS,
  REAL_HOST_CHECKS,
  type Problem,
  type ProblemSource,
} from '../../cluster/troubleshooting.ts';
import styles from './styles.module.css';

/** The troubleshooting page's path: problems link to `${TROUBLESHOOTING_PATH}#<id>`. */
export const TROUBLESHOOTING_PATH = '/referencia/solucao-de-problemas';

/** Text with `code` spans and {placeholders} (filled by `npm run doctor` with the real values). */
export function RichText({ text }: { text: string }): React.JSX.Element {
  const parts = text.split(/(`[^`]+`|\{[a-zA-Z]+\})/g);
  return (
    <>
      {parts.map((part, i) => {
        if (part.startsWith('`') && part.endsWith('`') && part.length > 1)
          return <code key={i}>{part.slice(1, -1)}</code>;
        if (/^\{[a-zA-Z]+\}$/.test(part))
          return (
            <var key={i} title="o doctor mostra aqui o valor do seu computador">
              {part.slice(1, -1)}
            </var>
          );
        return <React.Fragment key={i}>{part}</React.Fragment>;
      })}
    </>
  );
}

function ProblemEntry({ p }: { p: Problem }): React.JSX.Element {
  return (
    <article className={styles.problem} data-problem-id={p.id} data-level={p.level}>
      <Heading as="h3" id={p.id} className={styles.problemTitle}>
        <span className={`${styles.level} ${styles[p.level]}`}>{LEVEL_LABEL[p.level]}</span> {p.title}
      </Heading>
      <p>
        <RichText text={p.message} />
      </p>
      <p>
        <strong>O que fazer:</strong> <RichText text={p.action} />
      </p>
      <p className={styles.meta}>
        id <code>{p.id}</code>
        {p.check && <> · verificação {p.check} do doctor</>}
        {p.verifyOnRealHost && (
          <>
            {' '}
            · <Link to="/instrutor/verificar-no-docker-real">a confirmar num Docker real</Link>
          </>
        )}
      </p>
    </article>
  );
}

/** Every known problem that the kit detects at one moment (source), most serious first. */
export function Problems({ source }: { source: ProblemSource }): React.JSX.Element {
  const order = { blocks: 0, warns: 1, informs: 2 } as const;
  const list = PROBLEMS.filter((p) => p.source === source).sort((a, b) => order[a.level] - order[b.level]);
  return (
    <div data-problem-source={source}>
      {list.map((p) => (
        <ProblemEntry key={p.id} p={p} />
      ))}
    </div>
  );
}

/** How many problems there are at each level (for the page's introduction). */
export function ProblemCount(): React.JSX.Element {
  const count = (level: Problem['level']) => PROBLEMS.filter((p) => p.level === level).length;
  return (
    <>
      {PROBLEMS.length} problemas conhecidos: {count('blocks')} que impedem o cluster real de rodar,{' '}
      {count('warns')} que pedem atenção e {count('informs')} que só informam
    </>
  );
}

/** The instructor's list: what to confirm on a real Docker host before the course. */
export function RealHostChecks(): React.JSX.Element {
  return (
    <ol className={styles.checks}>
      {REAL_HOST_CHECKS.map((c) => (
        <li key={c.id} data-real-host-check={c.id}>
          <Heading as="h3" id={c.id} className={styles.checkTitle}>
            <RichText text={c.what} />
          </Heading>
          <p>
            <strong>Como conferir:</strong> <RichText text={c.how} />
          </p>
          <p>
            <strong>O kit confirma:</strong> <RichText text={c.confirmedBy} />
          </p>
          {c.problems.length > 0 && (
            <p className={styles.meta}>
              Mensagens que dependem disso:{' '}
              {c.problems.map((id, i) => {
                const p = PROBLEMS.find((x) => x.id === id);
                return (
                  <React.Fragment key={id}>
                    {i > 0 && ', '}
                    {p ? <Link to={`${TROUBLESHOOTING_PATH}#${id}`}>{p.title}</Link> : <code>{id}</code>}
                  </React.Fragment>
                );
              })}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}

/** Problems whose cause or fix is still to be confirmed on a real host. */
export function ProblemsToVerify(): React.JSX.Element {
  return (
    <ul>
      {PROBLEMS.filter((p) => p.verifyOnRealHost).map((p) => (
        <li key={p.id}>
          <Link to={`${TROUBLESHOOTING_PATH}#${p.id}`}>{p.title}</Link> (<code>{p.id}</code>)
        </li>
      ))}
    </ul>
  );
}
