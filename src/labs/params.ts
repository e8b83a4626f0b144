// Each student's own exercise: names, counts and times derived from the matrícula, so a
// classmate's answers (or the demo's, for another matrícula) do not pass for someone else.

/** Used by `--demo` and the proofs when no matrícula is configured. */
export const EXAMPLE_MATRICULA = '12345678';

export interface ExerciseParams {
  matricula: string;
  lab02: { appId: string; instances: number };
  lab03: {
    diario: string;
    /** The daily job runs at 03:<minuto> in America/Sao_Paulo. */
    minuto: number;
    coleta: string;
    resumo: string;
    instavel: string;
  };
  lab04: { appId: string; instances: number };
  lab05: {
    extrai: string;
    transforma: string;
    carrega: string;
    appId: string;
    /** The extract step writes the numbers 1..n; the pipeline's result is their sum. */
    n: number;
    esperado: number;
  };
}

/** Digits only, 5 to 12 of them (UFSC's are 8 or 9). Returns a Portuguese problem or undefined. */
export function matriculaProblem(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return 'A matrícula está vazia.';
  if (!/^\d{5,12}$/.test(v))
    return `A matrícula "${v}" deveria ter só algarismos (de 5 a 12), como 21100123.`;
  return undefined;
}

/** FNV-1a, 32 bits: stable across platforms and versions. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function exerciseParams(matricula: string = EXAMPLE_MATRICULA): ExerciseParams {
  const m = matricula.trim();
  const h = seedOf(m);
  const n = 10 + (Math.floor(h / 7) % 90);
  return {
    matricula: m,
    lab02: { appId: `/web-${m}`, instances: 2 + (h % 3) },
    lab03: {
      diario: `diario-${m}`,
      minuto: Math.floor(h / 3) % 60,
      coleta: `coleta-${m}`,
      resumo: `resumo-${m}`,
      instavel: `instavel-${m}`,
    },
    lab04: { appId: `/resiliente-${m}`, instances: 2 + (Math.floor(h / 5) % 2) },
    lab05: {
      extrai: `extrai-${m}`,
      transforma: `transforma-${m}`,
      carrega: `carrega-${m}`,
      appId: `/resultado-${m}`,
      n,
      esperado: (n * (n + 1)) / 2,
    },
  };
}
