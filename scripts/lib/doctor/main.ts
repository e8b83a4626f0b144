// The whole of `npm run doctor`, callable from tests: arguments in, text and exit code out.
import { runKitDoctor, type KitDoctorOptions } from './kit.ts';
import { exitCode, renderInstructorList, renderJson, renderTable } from './render.ts';

export const DOCTOR_USAGE = `Uso: npm run doctor [-- --json | --instrutor]

Verifica se este computador consegue rodar o cluster real (Docker) e diz o que fazer em cada problema.
Sem Docker, explica por que e indica o cluster simulado.
  --json        saída em JSON, para ferramentas
  --instrutor   lista o que confirmar num computador com Docker antes da disciplina`;

export async function doctorMain(
  args: readonly string[],
  options: KitDoctorOptions = {},
): Promise<{ output: string; code: number }> {
  if (args.includes('--help') || args.includes('-h')) return { output: DOCTOR_USAGE, code: 0 };
  if (args.includes('--instrutor')) return { output: renderInstructorList(), code: 0 };
  const unknown = args.filter((a) => !['--json'].includes(a));
  if (unknown.length) {
    return { output: `Opção desconhecida: ${unknown.join(' ')}\n\n${DOCTOR_USAGE}`, code: 2 };
  }
  try {
    const report = await runKitDoctor(options);
    return {
      output: args.includes('--json') ? renderJson(report) : renderTable(report),
      code: exitCode(report),
    };
  } catch (err) {
    return {
      output: `O diagnóstico não conseguiu terminar por um erro inesperado do kit.\ndetalhes: ${err instanceof Error ? err.message : String(err)}`,
      code: 2,
    };
  }
}
