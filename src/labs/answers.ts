// The answer files' schemas, with every mistake explained in Portuguese. Isomorphic: grading and the
// site reuse them. Marathon apps and Chronos jobs are the JSON the APIs take; answers to questions are YAML.
import { parse as parseYaml } from 'yaml';
import { isKnownTimeZone } from '../sim/core/chronos/iso8601.ts';
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

const MARATHON_ID_SEGMENT =
  /^(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])$/;

const MARATHON_FIELDS = new Set([
  'id',
  'cmd',
  'args',
  'user',
  'env',
  'instances',
  'cpus',
  'mem',
  'disk',
  'gpus',
  'executor',
  'constraints',
  'uris',
  'fetch',
  'storeUrls',
  'backoffSeconds',
  'backoffFactor',
  'maxLaunchDelaySeconds',
  'container',
  'healthChecks',
  'readinessChecks',
  'dependencies',
  'upgradeStrategy',
  'labels',
  'acceptedResourceRoles',
  'ipAddress',
  'version',
  'residency',
  'secrets',
  'taskKillGracePeriodSeconds',
  'ports',
  'portDefinitions',
  'requirePorts',
  'killSelection',
  'unreachableStrategy',
]);

const CONSTRAINT_OPERATORS = ['UNIQUE', 'CLUSTER', 'GROUP_BY', 'LIKE', 'UNLIKE', 'MAX_PER'];
const HEALTH_PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'COMMAND'];

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

/** An app definition as POST /v2/apps takes it (the subset the course uses, Marathon 1.3.6 rules). */
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
  const id = value.id;
  if (typeof id !== 'string' || id.trim() === '' || id === '/') {
    add('id', 'Falta o campo "id", o nome da aplicação (por exemplo "/web-12345678").');
  } else {
    const segments = id.split('/').filter((s) => s !== '');
    for (const s of segments) {
      if (!MARATHON_ID_SEGMENT.test(s) && s !== '.' && s !== '..') {
        add(
          'id',
          `O id "${id}" tem um trecho inválido ("${s}"): use só letras minúsculas, algarismos e hífens no meio; ` +
            'o Marathon recusa maiúsculas e "_" com erro 422.',
        );
        break;
      }
    }
  }
  const hasCmd = typeof value.cmd === 'string' && value.cmd.trim() !== '';
  const hasArgs = Array.isArray(value.args) && value.args.length > 0;
  if (value.cmd !== undefined && value.cmd !== null && typeof value.cmd !== 'string') {
    add('cmd', 'O campo "cmd" deve ser um texto: o comando que o agente roda com sh -c.');
  } else if (!hasCmd && !hasArgs && value.container === undefined) {
    add(
      'cmd',
      'Falta o comando: o campo "cmd" diz o que cada instância executa (o Marathon recusa a aplicação sem ele).',
    );
  } else if (hasCmd && hasArgs) {
    add('args', 'Use "cmd" ou "args", não os dois.');
  }
  if (
    value.instances !== undefined &&
    !(Number.isInteger(value.instances) && (value.instances as number) >= 0)
  ) {
    add('instances', '"instances" deve ser um número inteiro, zero ou mais (sem aspas).');
  }
  for (const f of ['cpus', 'mem', 'disk'] as const) {
    const v = value[f];
    if (v !== undefined && !(typeof v === 'number' && v >= 0)) {
      add(f, `"${f}" deve ser um número, zero ou mais, sem aspas.`);
    }
  }
  if (value.constraints !== undefined) {
    if (!Array.isArray(value.constraints)) {
      add(
        'constraints',
        '"constraints" deve ser uma lista de restrições, cada uma uma lista: ["campo", "OPERADOR", "valor"].',
      );
    } else {
      value.constraints.forEach((c, i) => {
        const path = `constraints[${i}]`;
        if (!Array.isArray(c) || c.length < 2 || c.length > 3 || c.some((x) => typeof x !== 'string')) {
          add(
            path,
            'Cada restrição é uma lista de 2 ou 3 textos: ["campo", "OPERADOR"] ou ["campo", "OPERADOR", "valor"].',
          );
          return;
        }
        if (!CONSTRAINT_OPERATORS.includes(c[1])) {
          add(
            path,
            `O operador "${c[1]}" não existe; use um de ${CONSTRAINT_OPERATORS.join(', ')} (em maiúsculas).`,
          );
        } else if (c[1] === 'CLUSTER' && c.length < 3) {
          add(path, 'O operador CLUSTER precisa de um valor: ["rack", "CLUSTER", "a"].');
        } else if (c[1] === 'UNIQUE' && c.length === 3 && c[2] !== '') {
          add(path, 'O operador UNIQUE não leva valor: ["hostname", "UNIQUE"].');
        }
      });
    }
  }
  if (value.healthChecks !== undefined) {
    if (!Array.isArray(value.healthChecks)) {
      add('healthChecks', '"healthChecks" deve ser uma lista de verificações de saúde, entre [ e ].');
    } else {
      value.healthChecks.forEach((hc, i) => {
        const path = `healthChecks[${i}]`;
        if (!isObject(hc)) {
          add(path, 'Cada verificação de saúde é um objeto, entre { e }.');
          return;
        }
        const protocol = hc.protocol ?? 'HTTP';
        if (typeof protocol !== 'string' || !HEALTH_PROTOCOLS.includes(protocol)) {
          add(
            `${path}.protocol`,
            `O protocolo "${String(protocol)}" não existe no Marathon 1.3.6; use ${HEALTH_PROTOCOLS.join(', ')}.`,
          );
        }
        if ((protocol === 'HTTP' || protocol === 'HTTPS') && hc.path !== undefined) {
          if (typeof hc.path !== 'string' || !hc.path.startsWith('/')) {
            add(`${path}.path`, 'O "path" da verificação HTTP é um caminho que começa com "/", como "/".');
          }
        }
        if (
          hc.portIndex !== undefined &&
          !(Number.isInteger(hc.portIndex) && (hc.portIndex as number) >= 0)
        ) {
          add(`${path}.portIndex`, '"portIndex" é o índice da porta (0 para a primeira, a do $PORT0).');
        }
        for (const f of [
          'gracePeriodSeconds',
          'intervalSeconds',
          'timeoutSeconds',
          'maxConsecutiveFailures',
        ]) {
          if (hc[f] !== undefined && !(Number.isInteger(hc[f]) && (hc[f] as number) >= 0)) {
            add(`${path}.${f}`, `"${f}" é um número inteiro de segundos (ou de falhas), sem aspas.`);
          }
        }
      });
    }
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
