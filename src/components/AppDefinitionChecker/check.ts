// What the app definition checker shows for a text: the simulator's reading and validation of an app
// definition (src/sim/core/marathon/validate.ts), as Marathon 1.3.6 answers POST /v2/apps.
import { checkAppDefinition, parseJsonBody, type ErrorBody } from '../../sim/core/marathon/validate.ts';
import { appJson } from '../../sim/core/marathon/model.ts';
import { Dbl, formatDouble } from '../../sim/core/marathon/json.ts';

/** Indented JSON where Scala doubles keep their decimal point (1.0), as Marathon writes them. */
export function prettyMarathonJson(value: unknown): string {
  const mark = '\u0000dbl:';
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => (v instanceof Dbl ? mark + formatDouble(v.value) : v),
    2,
  );
  return text.replace(/"\\u0000dbl:([^"]*)"/g, '$1');
}

export type Outcome = { kind: 'ok'; json: string } | { kind: 'error'; status: 400 | 422; body: ErrorBody };

/** What Marathon 1.3.6 answers to POST /v2/apps with this text as the body. */
export function checkText(text: string): Outcome {
  const parsed = parseJsonBody(text);
  if (!parsed.ok) return { kind: 'error', status: 400, body: parsed.body };
  const r = checkAppDefinition(parsed.value);
  if (!r.ok) return { kind: 'error', status: r.status, body: r.body };
  return { kind: 'ok', json: prettyMarathonJson(appJson(r.app, { withVersionInfo: false })) };
}
