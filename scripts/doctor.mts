// npm run doctor [-- --json]: the preflight of the real cluster, with what to do for each problem.
import { exitCode, renderJson, renderTable } from './lib/doctor/render.ts';
import { runKitDoctor } from './lib/doctor/kit.ts';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`Uso: npm run doctor [-- --json]

Verifica se este computador consegue rodar o cluster real (Docker) e diz o que fazer em cada problema.
Sem Docker, explica por que e indica o cluster simulado.
  --json   saída em JSON, para ferramentas`);
  process.exit(0);
}

try {
  const report = await runKitDoctor();
  console.log(args.includes('--json') ? renderJson(report) : renderTable(report));
  process.exitCode = exitCode(report);
} catch (err) {
  console.error('O diagnóstico não conseguiu terminar por um erro inesperado do kit.');
  console.error(`detalhes: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
}
