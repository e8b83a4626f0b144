// Small helpers the labs' checks share: reading answer files into values or a "falhou" result.
import {
  describeProblems,
  parseJsonAnswer,
  parseYamlAnswers,
  type Question,
  type YamlAnswers,
} from './answers.ts';
import type { CheckContext, CheckResult } from './types.ts';

/** What the JSON templates carry where the student's matrícula goes. */
export const TEMPLATE_MARK = 'SUA-MATRICULA';

export function passou(message: string, evidence?: Record<string, unknown>): CheckResult {
  return evidence ? { verdict: 'passou', message, evidence } : { verdict: 'passou', message };
}

export function falhou(message: string, evidence?: Record<string, unknown>): CheckResult {
  return evidence ? { verdict: 'falhou', message, evidence } : { verdict: 'falhou', message };
}

export function ambiente(message: string): CheckResult {
  return { verdict: 'ambiente', message };
}

export type Read<T> = { value: T } | { result: CheckResult };

export function readJson(
  ctx: CheckContext,
  file: string,
  validate?: (v: unknown) => { path: string; message: string }[],
): Read<Record<string, unknown>> {
  const text = ctx.answers.read(file);
  if (text === undefined) return { result: falhou(`O arquivo respostas/${file} não existe.`) };
  if (text.includes(TEMPLATE_MARK)) {
    return {
      result: falhou(
        `respostas/${file} ainda é o modelo: troque ${TEMPLATE_MARK} pela sua matrícula e preencha os campos vazios ` +
          '(o README.md da pasta explica cada campo).',
      ),
    };
  }
  const parsed = parseJsonAnswer(text, `respostas/${file}`);
  if (!parsed.ok) return { result: falhou(describeProblems(`respostas/${file}`, parsed.problems)) };
  const problems = validate ? validate(parsed.value) : [];
  if (problems.length) return { result: falhou(describeProblems(`respostas/${file}`, problems)) };
  return { value: parsed.value as Record<string, unknown> };
}

export function readYaml(ctx: CheckContext, file: string, questions: Question[]): Read<YamlAnswers> {
  const text = ctx.answers.read(file);
  if (text === undefined) return { result: falhou(`O arquivo respostas/${file} não existe.`) };
  const parsed = parseYamlAnswers(text, `respostas/${file}`, questions);
  if (!parsed.ok) return { result: falhou(describeProblems(`respostas/${file}`, parsed.problems)) };
  return { value: parsed.value };
}

/** One answer, or a "falhou" saying it is missing. */
export function answer(values: YamlAnswers, key: string, file: string): Read<unknown> {
  const v = values[key];
  if (v === null || v === undefined || v === '') {
    return { result: falhou(`A pergunta "${key}" de respostas/${file} ainda não tem resposta.`) };
  }
  return { value: v };
}

export function norm(v: unknown): string {
  return String(v ?? '')
    .trim()
    .toLowerCase();
}

/**
 * A shell command that serves HTTP on $PORT0 with what the machine has: Python 3 (most machines),
 * Python 2 (the course's agent images, Ubuntu 16.04), or Node (every student's machine has it for the kit).
 */
export const HTTP_SERVER_CMD =
  'python3 -m http.server $PORT0 || python -m SimpleHTTPServer $PORT0 || ' +
  `node -e "require('http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT0)"`;
