// Accent-insensitive Portuguese stemming for the site's local search.
//
// lunr-languages' Portuguese stemmer (Snowball) needs the accents to recognise suffixes:
// `implantação` stems to `implant`, but `implantacao` (typed without accents) does not.
// We restore the accents of the most common unaccented suffixes before stemming, run the
// original stemmer, then fold the diacritics out of the stem. The same function runs when the
// index is built (Node) and when a query is searched (the browser's search worker), so both
// sides agree on every token.
//
// This module is isomorphic: no Node imports.

/** Removes diacritics (á → a, ç → c, õ → o, …); the word is expected to be lower case. */
export function foldDiacritics(word: string): string {
  return word.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

// Ordered: the first matching rule wins. Each pattern also accepts a half-accented spelling
// (`implantaçao`, `implantacão`), so whatever the reader typed ends in the same suffix.
const SUFFIX_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/[cç][õo]es$/, 'ções'],
  [/[cç][ãa]o$/, 'ção'],
  [/[õo]es$/, 'ões'],
  [/[ãa]es$/, 'ães'],
  [/[ãa]o$/, 'ão'],
  [/[êe]ncias$/, 'ências'],
  [/[êe]ncia$/, 'ência'],
  [/[âa]ncias$/, 'âncias'],
  [/[âa]ncia$/, 'ância'],
  [/[áa]veis$/, 'áveis'],
  [/[áa]vel$/, 'ável'],
  [/[íi]veis$/, 'íveis'],
  [/[íi]vel$/, 'ível'],
];

/**
 * Puts back the accents of common Portuguese suffixes typed without them
 * (`implantacao` → `implantação`, `dependencia` → `dependência`, `disponivel` → `disponível`).
 * Words of three letters or fewer are left alone.
 */
export function restoreSuffixAccents(word: string): string {
  if (word.length <= 3) return word;
  for (const [pattern, replacement] of SUFFIX_RULES) {
    const match = pattern.exec(word);
    if (match) return word.slice(0, match.index) + replacement;
  }
  return word;
}

/** Wraps a word stemmer so that accented and unaccented spellings share one folded stem. */
export function foldingStem(stemWord: (word: string) => string, word: string): string {
  return foldDiacritics(stemWord(restoreSuffixAccents(word)));
}

// --- lunr integration -------------------------------------------------------------------------

interface LunrToken {
  update(fn: (word: string) => string): LunrToken;
}
type PipelineFunction = ((token: LunrToken | string) => LunrToken | string) & { label?: string };

/** The part of lunr (with lunr-languages' Portuguese support loaded) that we touch. */
export interface LunrWithPortuguese {
  pt?: { stemmer: PipelineFunction & { accentFolding?: boolean } };
  Pipeline: { registeredFunctions: Record<string, PipelineFunction> };
}

export const STEMMER_LABEL = 'stemmer-pt';

/**
 * Replaces `lunr.pt.stemmer` by its accent-folding version, under the same pipeline label
 * (`stemmer-pt`), so that an index serialized on the server loads the folding stemmer in the
 * browser. The registry is written directly: `registerFunction` would warn about overwriting.
 * Calling it twice is harmless.
 */
export function installAccentFolding(lunr: LunrWithPortuguese): void {
  const pt = lunr.pt;
  if (!pt) throw new Error('lunr.pt is not loaded: require lunr-languages/lunr.pt first');
  if (pt.stemmer.accentFolding) return;
  const original = pt.stemmer;
  // The Snowball wrapper also accepts a plain string (lunr 1 style) and returns a string.
  const stemWord = (word: string): string => original(word) as string;
  const folding: PipelineFunction & { accentFolding?: boolean } = (token) =>
    typeof token === 'string'
      ? foldingStem(stemWord, token)
      : token.update((word) => foldingStem(stemWord, word));
  folding.label = STEMMER_LABEL;
  folding.accentFolding = true;
  pt.stemmer = folding;
  lunr.Pipeline.registeredFunctions[STEMMER_LABEL] = folding;
}
