// The answer files' schemas, with every mistake explained in Portuguese. Isomorphic: grading and the
// site reuse them. Marathon apps and Chronos jobs are the JSON the APIs take; answers to questions are YAML.
import { parse as parseYaml } from 'yaml';
import { isKnownTimeZone } from '../sim/core/chronos/iso8601.ts';
import { CONSTRAINT_OPERATORS } from '../sim/core/marathon/model.ts';
import { APP_FIELDS, checkAppDefinition } from '../sim/core/marathon/validate.ts';
import { parseChronosSchedule, periodMs } from './iso8601.ts';

export interface Problem {
  /** Where, in the file's terms: "healthChecks[0].path", or "" for the whole file. */
  path: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** Parses JSON and explains the usual mistakes (comments, trailing commas, single quotes). */
export function parseJsonAnswer(text: string, file: string): Parsed<unknown> {
  if (text.trim() === '')
    return { ok: false, problems: [{ path: '', message: `O arquivo ${file} está vazio.` }] };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const pos = /position (\d+)/.exec(raw);
    let where = '';
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split('\n').length;
      const column = before.length - before.lastIndexOf('\n');
      where = ` (linha ${line}, coluna ${column})`;
    }
    let why = 'confira vírgulas, aspas e chaves.';
    if (/^\s*(\/\/|#)/m.test(text) || text.includes('/*')) {
      why =
        'JSON não aceita comentários (// ou #): apague as linhas de comentário; as explicações estão no README.md.';
    } else if (/,\s*[}\]]/.test(text)) {
      why = 'há uma vírgula sobrando antes de } ou ]; JSON não aceita vírgula depois do último item.';
    } else if (/'[^']*'\s*:/.test(text)) {
      why = 'JSON usa aspas duplas ("), não simples (\').';
    }
    return { ok: false, problems: [{ path: '', message: `${file} não é um JSON válido${where}: ${why}` }] };
  }
}

const MARATHON_FIELDS = new Set(APP_FIELDS);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Close misspellings of a known field: "healthcheck" → "healthChecks". */
function suggestion(field: string, known: Iterable<string>): string {
  const f = field.toLowerCase().replace(/[_-]/g, '');
  for (const k of known) {
    const kk = k.toLowerCase();
    if (kk === f || kk === `${f}s` || `${kk}s` === f) return k;
  }
  return '';
}

/** A play-json path (`/healthChecks(0)/protocol`) in the file's terms (`healthChecks[0].protocol`). */
function filePath(marathonPath: string): string {
  return marathonPath
    .replace(/^\//, '')
    .replace(/\((\d+)\)/g, '[$1]')
    .replace(/\//g, '.');
}

const TYPE_ERRORS: Record<string, string> = {
  'error.expected.jsstring': 'deve ser um texto, entre aspas',
  'error.expected.jsnumber': 'deve ser um número, sem aspas',
  'error.expected.int': 'deve ser um número inteiro, sem aspas',
  'error.expected.jsarray': 'deve ser uma lista, entre [ e ]',
  'error.expected.jsobject': 'deve ser um objeto, entre { e }',
  'error.expected.jsboolean': 'deve ser true ou false, sem aspas',
};

/** One error of Marathon's 400/422 body, explained in Portuguese (Marathon's own text follows). */
function explainMarathonError(
  app: Record<string, unknown>,
  marathonPath: string,
  error: string,
  status: number,
): Problem {
  let path = filePath(marathonPath);
  const field = path === '' ? 'A definição' : `"${path}"`;
  const constraint = /^constraints\[(\d+)\]$/.exec(path);
  const given = constraint && Array.isArray(app.constraints) ? app.constraints[Number(constraint[1])] : [];
  let why: string;
  if (path === 'id' && /^error\.(path\.missing|minLength|invalid)$/.test(error)) {
    why = 'Falta o campo "id", o nome da aplicação (por exemplo "/web-12345678").';
  } else if (path === 'id') {
    why =
      `O id "${String(app.id)}" é inválido: cada trecho entre barras usa só letras minúsculas, algarismos e ` +
      'hífens no meio; o Marathon recusa maiúsculas e "_".';
  } else if (TYPE_ERRORS[error]) {
    why = `${field} ${TYPE_ERRORS[error]}.`;
  } else if (error === 'error.minLength') {
    why = `${field} está vazio.`;
  } else if (error === 'error.path.missing') {
    why = `Falta o campo ${field}.`;
  } else if (error.startsWith('AppDefinition must either contain')) {
    const both = app.cmd !== undefined && app.cmd !== null && app.args !== undefined && app.args !== null;
    path = both ? 'args' : 'cmd';
    why = both
      ? 'Use "cmd" ou "args", não os dois.'
      : 'Falta o comando: o campo "cmd" diz o que cada instância executa.';
  } else if (/^got .*, expected 0(\.0)? or more$/.test(error)) {
    why = `${field} não pode ser negativo.`;
  } else if (error.startsWith('Constraint definition must be')) {
    why =
      'Cada restrição é uma lista de 2 ou 3 textos: ["campo", "OPERADOR"] ou ["campo", "OPERADOR", "valor"].';
  } else if (error.startsWith('Constraint operator must be')) {
    const op = Array.isArray(given) ? String(given[1]) : '';
    why = `O operador "${op}" não existe; use um de ${CONSTRAINT_OPERATORS.join(', ')} (em maiúsculas).`;
  } else if (error === 'Missing value') {
    why = 'O operador CLUSTER precisa de um valor: ["rack", "CLUSTER", "a"].';
  } else if (error === 'Value specified but not used') {
    why = 'O operador UNIQUE não leva valor: ["hostname", "UNIQUE"].';
  } else if (error.endsWith('is not a valid protocol')) {
    const protocol = error.replace(/ is not a valid protocol$/, '');
    why = `O protocolo "${protocol}" não existe no Marathon 1.3.6; use HTTP, HTTPS, TCP ou COMMAND.`;
  } else if (error.startsWith('Health check port indices')) {
    why = '"portIndex" é o índice de uma porta da aplicação (0 para a primeira, a do $PORT0).';
  } else {
    why = `O Marathon 1.3.6 recusa a definição${path === '' ? '' : ` em ${field}`}.`;
  }
  return { path, message: `${why} Detalhe do Marathon (erro ${status}): ${error}` };
}

/**
 * An app definition as POST /v2/apps takes it: Marathon 1.3.6's own 400/422 errors (the simulator's
 * checkAppDefinition), explained in Portuguese, plus lab rules Marathon does not have (unknown fields,
 * which it ignores silently; a blank command; an HTTP health check path without "/").
 */
export function validateMarathonApp(value: unknown): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (!isObject(value)) {
    add('', 'A definição da aplicação deve ser um objeto JSON, entre { e }.');
    return problems;
  }
  for (const key of Object.keys(value)) {
    if (!MARATHON_FIELDS.has(key)) {
      const s = suggestion(key, MARATHON_FIELDS);
      add(
        key,
        `O campo "${key}" não existe no Marathon 1.3.6, que ignora campos desconhecidos sem avisar.` +
          (s ? ` Você quis dizer "${s}"?` : ''),
      );
    }
  }
  const report = (result: ReturnType<typeof checkAppDefinition>) => {
    if (result.ok || !Array.isArray(result.body.details)) return;
    for (const d of result.body.details) {
      for (const e of d.errors) problems.push(explainMarathonError(value, d.path, e, result.status));
    }
  };
  const checked = checkAppDefinition(value);
  report(checked);
  if (!checked.ok && checked.status === 400 && Array.isArray(checked.body.details)) {
    // Marathon answers the 422 rules only once the fields read; say those too, so one round is enough.
    const unread = new Set(
      checked.body.details.map((d) => (d.path.split('/')[1] ?? '').replace(/\(\d+\)$/, '')),
    );
    const rest = Object.fromEntries(Object.entries(value).filter(([k]) => !unread.has(k)));
    const second = checkAppDefinition(rest);
    if (!second.ok && second.status === 422) report(second);
  }
  if (typeof value.cmd === 'string' && value.cmd !== '' && value.cmd.trim() === '') {
    add('cmd', 'O campo "cmd" só tem espaços: escreva o comando que cada instância executa.');
  }
  if (Array.isArray(value.healthChecks)) {
    value.healthChecks.forEach((hc, i) => {
      if (!isObject(hc) || typeof hc.path !== 'string') return;
      const protocol = hc.protocol ?? 'HTTP';
      if ((protocol === 'HTTP' || protocol === 'HTTPS') && !hc.path.startsWith('/')) {
        add(
          `healthChecks[${i}].path`,
          'O "path" da verificação HTTP é um caminho que começa com "/", como "/".',
        );
      }
    });
  }
  return problems;
}

const CHRONOS_FIELDS = new Set([
  'name',
  'command',
  'shell',
  'arguments',
  'executor',
  'executorFlags',
  'taskInfoData',
  'retries',
  'owner',
  'ownerName',
  'description',
  'disabled',
  'concurrent',
  'softError',
  'dataProcessingJobType',
  'highPriority',
  'successCount',
  'errorCount',
  'errorsSinceLastSuccess',
  'lastSuccess',
  'lastError',
  'cpus',
  'mem',
  'disk',
  'runAsUser',
  'uris',
  'fetch',
  'environmentVariables',
  'constraints',
  'container',
  'schedule',
  'scheduleTimeZone',
  'parents',
]);

/** A Chronos 3.0.1 job, for POST /v1/scheduler/iso8601 ('agendado') or /v1/scheduler/dependency ('dependente'). */
export function validateChronosJob(value: unknown, kind: 'agendado' | 'dependente'): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (!isObject(value)) {
    add('', 'O job deve ser um objeto JSON, entre { e }.');
    return problems;
  }
  for (const key of Object.keys(value)) {
    if (key === 'epsilon' || key === 'async') {
      add(key, `O campo "${key}" foi removido no Chronos 3.0 e é ignorado; apague-o.`);
    } else if (!CHRONOS_FIELDS.has(key)) {
      const s = suggestion(key, CHRONOS_FIELDS);
      add(key, `O campo "${key}" não existe no Chronos 3.0.1.` + (s ? ` Você quis dizer "${s}"?` : ''));
    }
  }
  if (typeof value.name !== 'string' || value.name === '') {
    add('name', 'Falta o campo "name", o nome do job.');
  } else if (!/^[\w.-]+$/.test(value.name)) {
    add('name', `O nome "${value.name}" é inválido: use só letras sem acento, algarismos, "_", "." e "-".`);
  }
  if (typeof value.command !== 'string' || value.command.trim() === '') {
    add('command', 'Falta o campo "command", o comando que o job executa com sh -c.');
  }
  if (value.retries !== undefined && !(Number.isInteger(value.retries) && (value.retries as number) >= 0)) {
    add('retries', '"retries" é o número de novas tentativas depois de uma falha: um inteiro, zero ou mais.');
  }
  if (kind === 'agendado') {
    if (value.parents !== undefined) {
      add(
        'parents',
        'Um job agendado não tem "parents"; jobs com pais são enviados a /v1/scheduler/dependency.',
      );
    }
    if (typeof value.schedule !== 'string') {
      add(
        'schedule',
        'Falta o campo "schedule", no formato ISO 8601 R/<início>/<período>, como "R/2026-03-01T06:15:00Z/P1D".',
      );
    } else {
      const tz = typeof value.scheduleTimeZone === 'string' ? value.scheduleTimeZone : '';
      const parsed = parseChronosSchedule(value.schedule, tz);
      if ('error' in parsed) {
        add('schedule', parsed.error);
      } else if (parsed.start < 1000) {
        // Chronos 3.0.1 refuses a new job starting before 1970-01-01T00:00:01Z (400).
        add(
          'schedule',
          `O agendamento "${value.schedule}" começa antes de 1970; o Chronos recusa esse início.`,
        );
      } else if (periodMs(parsed.period) === 0) {
        // Lab rule: Chronos takes a zero period, but a job repeating every 0 s is always a mistake here.
        add('schedule', `O agendamento "${value.schedule}" tem período zero; use, por exemplo, PT1M ou P1D.`);
      }
      if (tz !== '' && !isKnownTimeZone(tz)) {
        // Lab rule: Chronos silently reads an unknown zone id as GMT; here it is almost always a typo.
        add(
          'scheduleTimeZone',
          `O fuso "${tz}" não existe, e o Chronos usaria GMT no lugar sem avisar. Use um nome como "America/Sao_Paulo".`,
        );
      }
    }
  } else {
    if (value.schedule !== undefined) {
      add('schedule', 'Um job dependente não tem "schedule": ele roda quando os pais terminam com sucesso.');
    }
    if (
      !Array.isArray(value.parents) ||
      value.parents.length === 0 ||
      value.parents.some((p) => typeof p !== 'string')
    ) {
      add('parents', '"parents" é a lista de nomes dos jobs pais, como ["coleta-12345678"].');
    }
  }
  if (value.constraints !== undefined) {
    const ok =
      Array.isArray(value.constraints) &&
      value.constraints.every(
        (c) =>
          Array.isArray(c) &&
          c.length === 3 &&
          c.every((x) => typeof x === 'string') &&
          ['EQUALS', 'LIKE', 'UNLIKE'].includes(c[1]),
      );
    if (!ok) {
      add(
        'constraints',
        'No Chronos cada restrição é ["atributo", "EQUALS" | "LIKE" | "UNLIKE", "valor"], como ["rack", "EQUALS", "a"].',
      );
    }
  }
  return problems;
}

export type QuestionType = 'texto' | 'numero' | 'lista' | 'booleano' | 'escolha';

export interface Question {
  key: string;
  type: QuestionType;
  /** Portuguese question, as in the template's comment. */
  text: string;
  /** For 'escolha': the letters allowed. */
  options?: string[];
}

export type YamlAnswers = Record<string, unknown>;

/**
 * Parses an answers YAML and checks each answered question's type. Unanswered questions (null or
 * missing) are not problems here: the check that needs the answer says it is missing.
 */
export function parseYamlAnswers(text: string, file: string, questions: Question[]): Parsed<YamlAnswers> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const line = /line (\d+)/.exec(raw)?.[1];
    return {
      ok: false,
      problems: [
        {
          path: '',
          message:
            `${file} não é um YAML válido${line ? ` (linha ${line})` : ''}: ` +
            'confira a indentação (espaços, não tabulações) e se cada resposta vem depois de "chave: ".',
        },
      ],
    };
  }
  if (doc === null || doc === undefined) return { ok: true, value: {} };
  if (!isObject(doc)) {
    return {
      ok: false,
      problems: [
        { path: '', message: `${file} deve ter uma resposta por linha, no formato "chave: valor".` },
      ],
    };
  }
  const problems: Problem[] = [];
  for (const q of questions) {
    const v = doc[q.key];
    if (v === null || v === undefined || v === '') continue;
    if (q.type === 'numero' && typeof v !== 'number') {
      problems.push({
        path: q.key,
        message: `A resposta de "${q.key}" deve ser um número, sem aspas nem unidade.`,
      });
    } else if (q.type === 'booleano' && typeof v !== 'boolean') {
      problems.push({ path: q.key, message: `A resposta de "${q.key}" deve ser true ou false.` });
    } else if (q.type === 'lista' && !Array.isArray(v)) {
      problems.push({
        path: q.key,
        message: `A resposta de "${q.key}" deve ser uma lista, como [a, b] ou um item por linha com "- ".`,
      });
    } else if (
      q.type === 'escolha' &&
      !(typeof v === 'string' && (q.options ?? []).includes(v.trim().toLowerCase()))
    ) {
      problems.push({
        path: q.key,
        message: `A resposta de "${q.key}" deve ser uma das letras ${(q.options ?? []).join(', ')}.`,
      });
    } else if (q.type === 'texto' && typeof v !== 'string' && typeof v !== 'number') {
      problems.push({ path: q.key, message: `A resposta de "${q.key}" deve ser um texto.` });
    }
  }
  const known = new Set(questions.map((q) => q.key));
  for (const key of Object.keys(doc)) {
    if (!known.has(key)) {
      const s = suggestion(key, known);
      problems.push({
        path: key,
        message: `A pergunta "${key}" não existe neste laboratório.` + (s ? ` Você quis dizer "${s}"?` : ''),
      });
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: doc };
}

/** Formats problems as one Portuguese paragraph for a check's message. */
export function describeProblems(file: string, problems: Problem[], max = 3): string {
  const shown = problems.slice(0, max).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
  const more = problems.length > max ? ` (e mais ${problems.length - max})` : '';
  return `Em ${file}: ${shown.join(' ')}${more}`;
}
