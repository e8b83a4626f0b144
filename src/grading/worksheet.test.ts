import { describe, expect, it } from 'vitest';
import {
  encodeField,
  formatGrade,
  isLate,
  parseCsv,
  parseWorksheet,
  submissionState,
  writeWorksheet,
} from './worksheet.ts';

// The worked example of shared/specs/moodle-formats.md §5.2, byte for byte (BOM, LF).
export const EXAMPLE_EN =
  '\uFEFFIdentifier,"Full name","Email address",Status,Grade,"Maximum Grade","Grade can be changed","Last modified (submission)","Last modified (grade)","Feedback comments"\n' +
  '"Participant 4821337","João Pedro da Silva",joao.silva@grad.ufsc.br,"Submitted for grading",,10.00,Yes,"Friday, 14 March 2025, 10:41 PM",-,\n' +
  '"Participant 4821342","Maria Eduarda Conceição",maria.conceicao@grad.ufsc.br,"Submitted for grading - 1 day 2 hours late",,10.00,Yes,"Sunday, 16 March 2025, 1:15 AM",-,\n' +
  '"Participant 4821350","Ana Luíza D\'Ávila",ana.davila@grad.ufsc.br,"Draft (not submitted)",,10.00,Yes,"Thursday, 13 March 2025, 6:05 PM",-,\n';

export const EXAMPLE_PT =
  '\uFEFFIdentificador,"Nome completo","Endereço de email",Status,Nota,"Nota máxima","Nota pode ser alterada","Última modificação (envio)","Última modificação (nota)","Comentários de feedback"\r\n' +
  'Participante4821337,"João Pedro da Silva",joao.silva@grad.ufsc.br,"Enviado para avaliação",,"10,00",Sim,"sexta-feira, 14 março 2025, 22:41",-,\r\n' +
  'Participante4821350,"Ana Luíza D\'Ávila",ana.davila@grad.ufsc.br,"Rascunho (não enviado)",,"10,00",Sim,"quinta-feira, 13 março 2025, 18:05",-,\r\n';

describe('CSV', () => {
  it('keeps raw text and line endings', () => {
    const recs = parseCsv('a,"b ""c""",\r\nd\n');
    expect(recs.map((r) => r.fields.map((f) => f.value))).toEqual([['a', 'b "c"', ''], ['d']]);
    expect(recs[0].fields[1].raw).toBe('"b ""c"""');
    expect(recs.map((r) => r.eol)).toEqual(['\r\n', '\n']);
  });

  it('quotes like fputcsv', () => {
    expect(encodeField('9.50')).toBe('9.50');
    expect(encodeField('9,50')).toBe('"9,50"');
    expect(encodeField('<p>a "b"</p>')).toBe('"<p>a ""b""</p>"');
    expect(encodeField('')).toBe('');
  });
});

describe('worksheet', () => {
  it('reads the English example', () => {
    const ws = parseWorksheet(EXAMPLE_EN);
    expect(ws.bom).toBe(true);
    expect(ws.language).toBe('en');
    expect(ws.decimalSeparator).toBe('.');
    expect(ws.rows.map((r) => r.participantId)).toEqual(['4821337', '4821342', '4821350']);
    expect(ws.rows.map((r) => submissionState(r.status))).toEqual(['submitted', 'submitted', 'draft']);
    expect(ws.rows.map((r) => isLate(r.status))).toEqual([false, true, false]);
    expect(ws.rows[2].fullName).toBe("Ana Luíza D'Ávila");
  });

  it('writing with no updates gives the same bytes', () => {
    expect(writeWorksheet(parseWorksheet(EXAMPLE_EN), new Map())).toBe(EXAMPLE_EN);
    expect(writeWorksheet(parseWorksheet(EXAMPLE_PT), new Map())).toBe(EXAMPLE_PT);
  });

  it('changes only Grade and Feedback comments, capped, as in the spec §5.3', () => {
    const ws = parseWorksheet(EXAMPLE_EN);
    const out = writeWorksheet(
      ws,
      new Map([
        [1, { grade: 9.5, feedback: '<p>Nota automática: 9,5/10.</p>' }],
        [2, { grade: 11, feedback: null }],
        [3, { grade: null, feedback: '<p>Rascunho &quot;x&quot;</p>' }],
      ]),
    );
    const lines = out.split('\n');
    expect(out.startsWith('\uFEFFIdentifier,"Full name"')).toBe(true);
    expect(lines[1]).toBe(
      '"Participant 4821337","João Pedro da Silva",joao.silva@grad.ufsc.br,"Submitted for grading",9.50,10.00,Yes,"Friday, 14 March 2025, 10:41 PM",-,"<p>Nota automática: 9,5/10.</p>"',
    );
    expect(lines[2]).toContain(',10.00,10.00,Yes,');
    expect(lines[3]).toContain('"Draft (not submitted)",,10.00,');
    const back = parseWorksheet(out);
    expect(back.records[1].fields[4].value).toBe('9.50');
    expect(back.records[3].fields[9].value).toBe('<p>Rascunho &quot;x&quot;</p>');
  });

  it('Portuguese: comma decimals, quoted', () => {
    const ws = parseWorksheet(EXAMPLE_PT);
    expect(ws.language).toBe('pt_br');
    expect(ws.decimalSeparator).toBe(',');
    const out = writeWorksheet(ws, new Map([[1, { grade: 7, feedback: '<p>ok</p>' }]]));
    expect(out.split('\r\n')[1]).toBe(
      'Participante4821337,"João Pedro da Silva",joao.silva@grad.ufsc.br,"Enviado para avaliação","7,00","10,00",Sim,"sexta-feira, 14 março 2025, 22:41",-,<p>ok</p>',
    );
    expect(formatGrade(9.456, ',')).toBe('9,46');
  });
});
