import { describe, expect, it } from 'vitest';
import { LabError } from './cluster/backend.ts';
import { printError, seconds, table, width } from './ui.ts';

function capture() {
  const lines: string[] = [];
  return { lines, output: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) } };
}

describe('ui', () => {
  it('aligns table columns counting accented letters once', () => {
    const t = table(
      ['serviço', 'estado'],
      [
        ['implantação', 'ok'],
        ['a', 'parado'],
      ],
    ).split('\n');
    expect(t).toEqual(['  serviço      estado', '  implantação  ok', '  a            parado']);
    expect(width('implanta\u0063\u0327\u0061\u0303o')).toBe(11); // decomposed accents too
  });

  it('prints a LabError with its details line and no stack', () => {
    const { lines, output } = capture();
    const code = printError(
      new LabError('A porta 8080 já está em uso.', 'listen EADDRINUSE\n  at x', 3),
      output,
    );
    expect(code).toBe(3);
    expect(lines).toEqual(['✘ A porta 8080 já está em uso.', '  detalhes: listen EADDRINUSE | at x']);
  });

  it('prints an unexpected error in Portuguese, the original text only as details', () => {
    const { lines, output } = capture();
    expect(printError(new TypeError('boom'), output)).toBe(1);
    expect(lines[0]).toMatch(/^✘ Algo deu errado/);
    expect(lines.at(-1)).toBe('  detalhes: TypeError: boom');
    expect(lines.join('\n')).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('writes seconds with a decimal comma', () => {
    expect(seconds(1234)).toBe('1,2 s');
  });
});
