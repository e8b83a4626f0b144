// Paste a Marathon app definition and see what Marathon 1.3.6 would answer to POST /v2/apps: the same
// 400/422 bodies, or the app as Marathon stores it (defaults filled in). It runs the simulator's own
// reading and validation (src/sim/core/marathon/validate.ts); nothing is sent anywhere.
import React, { useId, useState } from 'react';
import { checkText, type Outcome } from './check.ts';
import styles from './styles.module.css';

const EXAMPLE = `{
  "id": "/web-12345678",
  "cmd": "python3 -m http.server $PORT0",
  "cpus": 0.1,
  "mem": 64,
  "instances": -1,
  "healthChecks": [{ "protocol": "HTTP", "path": "/", "portIndex": 0 }]
}`;

const STATUS_TEXT: Record<400 | 422, string> = {
  400: '400 Bad Request: o JSON está malformado ou um campo tem o tipo errado.',
  422: '422 Unprocessable Entity: o JSON está bem formado, mas quebra uma regra do Marathon.',
};

export default function AppDefinitionChecker({ initial = EXAMPLE }: { initial?: string }): React.JSX.Element {
  const id = useId();
  const [text, setText] = useState(initial);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);

  return (
    <section className={styles.box} aria-labelledby={`${id}-title`} data-component="app-definition-checker">
      <p id={`${id}-title`} className={styles.title}>
        Verificador de definições de aplicação do Marathon
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setOutcome(checkText(text));
        }}
      >
        <label htmlFor={`${id}-json`}>Definição da aplicação (o corpo de POST /v2/apps)</label>
        <textarea
          id={`${id}-json`}
          className={styles.textarea}
          value={text}
          rows={10}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="button button--primary">
          Verificar
        </button>
      </form>
      <div aria-live="polite" className={styles.result}>
        {outcome?.kind === 'error' && (
          <>
            <p className={styles.invalid} data-verdict="invalido">
              ✘ O Marathon 1.3.6 responderia {STATUS_TEXT[outcome.status]}
            </p>
            {Array.isArray(outcome.body.details) && (
              <ul>
                {outcome.body.details.map((d) => (
                  <li key={d.path}>
                    <code>{d.path || '(o documento inteiro)'}</code>: {d.errors.join('; ')}
                  </li>
                ))}
              </ul>
            )}
            <p>O corpo da resposta, como o Marathon o envia:</p>
            <pre className={styles.code}>{JSON.stringify(outcome.body, null, 2)}</pre>
          </>
        )}
        {outcome?.kind === 'ok' && (
          <>
            <p className={styles.valid} data-verdict="valido">
              ✔ O Marathon aceitaria esta definição (201 Created). É assim que ele a guarda, com os valores
              padrão preenchidos:
            </p>
            <pre className={styles.code}>{outcome.json}</pre>
          </>
        )}
      </div>
    </section>
  );
}
