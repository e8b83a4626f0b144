import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  foldDiacritics,
  installAccentFolding,
  restoreSuffixAccents,
  STEMMER_LABEL,
  type LunrWithPortuguese,
} from './folding.ts';

const require = createRequire(import.meta.url);

// A fresh lunr instance per file (vitest isolates modules per test file).
type Stem = (word: string) => string;
interface LunrForTest extends LunrWithPortuguese {
  (config: (this: LunrBuilder) => void): { search(q: string): { ref: string }[] };
  utils: { warn: (message: string) => void };
}
interface LunrBuilder {
  use(plugin: unknown): void;
  ref(name: string): void;
  field(name: string): void;
  add(doc: Record<string, string>): void;
}

let lunr: LunrForTest;
let stem: Stem;

beforeAll(() => {
  lunr = require('lunr') as LunrForTest;
  require('lunr-languages/lunr.stemmer.support')(lunr);
  require('lunr-languages/lunr.pt')(lunr);
  installAccentFolding(lunr);
  stem = (word) => lunr.pt!.stemmer(word) as string;
});

describe('foldDiacritics', () => {
  it('removes accents and cedillas', () => {
    expect(foldDiacritics('implantação')).toBe('implantacao');
    expect(foldDiacritics('quórum')).toBe('quorum');
    expect(foldDiacritics('líder')).toBe('lider');
  });
});

describe('restoreSuffixAccents', () => {
  it('restores the common unaccented suffixes', () => {
    expect(restoreSuffixAccents('implantacao')).toBe('implantação');
    expect(restoreSuffixAccents('implantacoes')).toBe('implantações');
    expect(restoreSuffixAccents('implantaçao')).toBe('implantação');
    expect(restoreSuffixAccents('dependencia')).toBe('dependência');
    expect(restoreSuffixAccents('disponivel')).toBe('disponível');
    expect(restoreSuffixAccents('versoes')).toBe('versões');
  });

  it('leaves other words alone', () => {
    expect(restoreSuffixAccents('agendar')).toBe('agendar');
    expect(restoreSuffixAccents('tarefa')).toBe('tarefa');
    expect(restoreSuffixAccents('ao')).toBe('ao');
  });
});

describe('the accent-folding Portuguese stemmer', () => {
  it('gives implantação, implantacao and implantar one stem', () => {
    expect(stem('implantacao')).toBe(stem('implantação'));
    expect(stem('implantar')).toBe(stem('implantação'));
    expect(stem('implantacoes')).toBe(stem('implantação'));
  });

  it('gives agendamento and agendar one stem', () => {
    expect(stem('agendamento')).toBe(stem('agendar'));
  });

  it('gives código and codigo one stem, without accents', () => {
    expect(stem('código')).toBe(stem('codigo'));
    expect(stem('código')).toBe('codig');
  });

  it('folds other glossary words', () => {
    for (const [accented, plain] of [
      ['verificação', 'verificacao'],
      ['instância', 'instancia'],
      ['dependência', 'dependencia'],
      ['saúde', 'saude'],
      ['líder', 'lider'],
      ['eleição', 'eleicao'],
    ]) {
      expect(stem(plain), `${plain} / ${accented}`).toBe(stem(accented));
    }
  });

  it('keeps unrelated words apart', () => {
    expect(stem('agendamento')).not.toBe(stem('agente'));
  });

  it('is registered under the label lunr-languages uses, and installing twice changes nothing', () => {
    const installed = lunr.pt!.stemmer;
    expect(lunr.Pipeline.registeredFunctions[STEMMER_LABEL]).toBe(installed);
    installAccentFolding(lunr);
    expect(lunr.pt!.stemmer).toBe(installed);
  });

  it('finds a page by stem and without accents in a real lunr index, with no warnings', () => {
    const warn = vi.spyOn(lunr.utils, 'warn');
    const pt = (lunr as unknown as { pt: unknown }).pt;
    const index = lunr(function () {
      this.use(pt);
      this.ref('id');
      this.field('text');
      this.add({ id: 'marathon', text: 'Cada implantação do Marathon troca as instâncias aos poucos.' });
      this.add({ id: 'chronos', text: 'Com o Chronos você pode agendar um job para rodar de hora em hora.' });
    });
    expect(index.search('implantacao').map((r) => r.ref)).toEqual(['marathon']);
    expect(index.search('implantação').map((r) => r.ref)).toEqual(['marathon']);
    expect(index.search('instancia').map((r) => r.ref)).toEqual(['marathon']);
    expect(index.search('agendamento').map((r) => r.ref)).toEqual(['chronos']);
    expect(warn).not.toHaveBeenCalled();
  });
});
