// `npm run cluster -- <comando>`: parses the arguments, picks the backend, runs the command and
// prints Portuguese output. Errors come back as an exit code, never as a stack trace.
import { SERVICE_NAMES, SERVICE_PORTS, type ServiceName } from '../../../src/cluster/topology.ts';
import { loadEnv, repoRoot } from '../env.ts';
import { rememberBackend, stateDir as resolveStateDir } from '../state.ts';
import { consoleOutput, MARK, printError, seconds, table, type Output } from '../ui.ts';
import { LabError, type Backend, type ServiceState } from './backend.ts';
import { BACKEND_LABEL, selectBackend, type SelectOptions } from './select.ts';
import { OFFLINE_ARCHIVE, dockerEngineAnswers, loadImages, saveImages } from './docker/index.ts';
import { runSmoke } from './smoke.ts';
import { SimBackend } from './sim/sim-backend.ts';

export const USAGE = `Uso: npm run cluster -- <comando> [--backend sim|docker|auto]

Comandos:
  up               sobe o cluster e espera ele ficar pronto
  down             para e remove o cluster (aplicações e jobs continuam guardados)
  status           mostra cada serviço, o estado dele e o endereço
  reset            para o cluster e apaga o que ele guarda (aplicações, jobs, ZooKeeper)
  stop <serviço>   para um serviço, como um contêiner parado
  start <serviço>  sobe de novo um serviço parado
  logs [serviço]   mostra as últimas linhas do log (-n N para mais linhas)
  smoke            teste rápido: uma aplicação no Marathon e um job no Chronos rodam e são removidos
  images save [arquivo]   (Docker) grava todas as imagens do curso num só arquivo, para salas sem internet
  images load [arquivo]   (Docker) carrega as imagens desse arquivo

Serviços: ${SERVICE_NAMES.join(', ')}
Backend: --backend ou LAB_BACKEND no .env; auto (o padrão) usa o Docker se ele responder e o simulador se não.`;

const COMMANDS = [
  'up',
  'down',
  'status',
  'reset',
  'stop',
  'start',
  'logs',
  'smoke',
  'images',
  'help',
] as const;
type Command = (typeof COMMANDS)[number];

export interface ParsedArgs {
  command: Command;
  service?: ServiceName;
  backend?: string;
  lines: number;
  /** For `images`: what to do and the archive's path. */
  images?: { action: 'save' | 'load'; file: string };
}

function serviceArg(raw: string | undefined, command: string, required: boolean): ServiceName | undefined {
  if (raw === undefined) {
    if (!required) return undefined;
    throw new LabError(
      `Diga qual serviço: npm run cluster -- ${command} <serviço>. Serviços: ${SERVICE_NAMES.join(', ')}.`,
    );
  }
  if (!(SERVICE_NAMES as readonly string[]).includes(raw)) {
    throw new LabError(`O serviço "${raw}" não existe. Serviços: ${SERVICE_NAMES.join(', ')}.`);
  }
  return raw as ServiceName;
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  let backend: string | undefined;
  let lines = 100;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--backend') {
      backend = argv[++i];
      if (backend === undefined) throw new LabError('Falta o valor de --backend: use sim, docker ou auto.');
    } else if (a.startsWith('--backend=')) {
      backend = a.slice('--backend='.length);
    } else if (a === '-n' || a === '--lines') {
      lines = Number(argv[++i]);
      if (!Number.isInteger(lines) || lines < 1)
        throw new LabError('Use -n com um número inteiro de linhas, como -n 50.');
    } else if (a === '-h' || a === '--help') {
      positional.unshift('help');
    } else if (a.startsWith('-')) {
      throw new LabError(`A opção ${a} não existe.\n\n${USAGE}`);
    } else {
      positional.push(a);
    }
  }
  const [cmd = 'help', arg, ...rest] = positional;
  if (!(COMMANDS as readonly string[]).includes(cmd)) {
    throw new LabError(`O comando "${cmd}" não existe.\n\n${USAGE}`);
  }
  const command = cmd as Command;
  if (command === 'images') {
    if (arg !== 'save' && arg !== 'load') {
      throw new LabError(`Diga o que fazer com as imagens: npm run cluster -- images save|load [arquivo].`);
    }
    if (rest.length > 1) throw new LabError(`Argumentos demais para "images".\n\n${USAGE}`);
    return { command, backend, lines, images: { action: arg, file: rest[0] ?? OFFLINE_ARCHIVE } };
  }
  const takesService = command === 'stop' || command === 'start' || command === 'logs';
  if (rest.length || (!takesService && arg !== undefined && command !== 'help')) {
    throw new LabError(`Argumentos demais para "${command}".\n\n${USAGE}`);
  }
  const service = takesService ? serviceArg(arg, command, command !== 'logs') : undefined;
  return { command, service, backend, lines };
}

const STATE_MARK: Record<ServiceState, string> = {
  rodando: MARK.ok,
  parado: MARK.fail,
  'com falha': MARK.fail,
  iniciando: MARK.warn,
  ausente: '·',
};

function labelOf(service: ServiceName): string {
  return SERVICE_PORTS.find((p) => p.service === service)!.label;
}

async function printStatus(backend: Backend, out: Output): Promise<void> {
  const rows = (await backend.status()).map((s) => [
    s.service,
    `${STATE_MARK[s.state]} ${s.state}`,
    s.address,
    s.detail ?? '',
  ]);
  out.out(table(['serviço', 'estado', 'endereço', 'detalhe'], rows));
}

export interface CliOptions {
  output?: Output;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Test hooks for the backend choice. */
  select?: Partial<Pick<SelectOptions, 'probeDocker' | 'createDocker'>>;
}

export async function runCli(argv: readonly string[], options: CliOptions = {}): Promise<number> {
  const out = options.output ?? consoleOutput;
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') {
      out.out(USAGE);
      return 0;
    }
    const processEnv = options.env ?? process.env;
    const root = repoRoot(processEnv, options.cwd);
    const env = loadEnv(root, processEnv);
    const dir = resolveStateDir(root, processEnv);
    const selection = await selectBackend({
      flag: args.backend,
      env,
      stateDir: dir,
      command: args.command,
      ...options.select,
    });
    const { backend } = selection;
    const label = BACKEND_LABEL[selection.name];
    const why = selection.reason
      ? ` (${selection.automatic ? 'escolha automática: ' : ''}${selection.reason})`
      : '';
    const progress = (line: string) => out.out(`  ${MARK.ok} ${line}`);

    switch (args.command) {
      case 'up': {
        out.out(`Backend: ${label}${why}`);
        if (selection.name === 'docker' && (await new SimBackend({ env, stateDir: dir }).live())) {
          throw new LabError(
            'O cluster simulado está no ar e ocupa as portas do cluster. ' +
              'Pare-o antes de subir o Docker: npm run cluster -- down --backend sim.',
          );
        }
        out.out('Subindo o cluster...');
        const started = Date.now();
        await backend.up({ progress });
        rememberBackend(dir, selection.name);
        out.out(`Cluster pronto (${seconds(Date.now() - started)}). Endereços:`);
        const ports = backend instanceof SimBackend ? await backend.ports() : env.ports;
        out.out(
          table(
            ['serviço', 'endereço'],
            SERVICE_PORTS.map((p) => [
              labelOf(p.service),
              p.service === 'zookeeper'
                ? `127.0.0.1:${ports[p.service]}`
                : `http://127.0.0.1:${ports[p.service]}`,
            ]),
          ),
        );
        return 0;
      }
      case 'down':
        out.out(`Backend: ${label}${why}`);
        await backend.down({ progress });
        out.out(
          'Nada do cluster está rodando. O que ele guarda (aplicações, jobs) continua lá; reset apaga.',
        );
        return 0;
      case 'reset':
        out.out(`Backend: ${label}${why}`);
        await backend.reset({ progress });
        out.out('Cluster parado e dados apagados. O próximo up começa do zero.');
        return 0;
      case 'status':
        out.out(`Backend: ${label}${why}`);
        await printStatus(backend, out);
        return 0;
      case 'stop':
      case 'start': {
        const service = args.service!;
        const before = (await backend.status()).find((s) => s.service === service)?.state;
        if (before === 'ausente') {
          throw new LabError('O cluster não está no ar. Suba-o primeiro com npm run cluster -- up.');
        }
        if (args.command === 'stop' && before === 'parado') {
          out.out(`${MARK.ok} ${labelOf(service)} já estava parado (${service}).`);
          return 0;
        }
        if (args.command === 'start' && (before === 'rodando' || before === 'iniciando')) {
          out.out(`${MARK.ok} ${labelOf(service)} já está rodando (${service}).`);
          return 0;
        }
        await backend[args.command](service);
        out.out(
          args.command === 'stop'
            ? `${MARK.ok} ${labelOf(service)} parado (${service}). Para subir de novo: npm run cluster -- start ${service}`
            : `${MARK.ok} ${labelOf(service)} subiu de novo (${service}).`,
        );
        return 0;
      }
      case 'smoke': {
        out.out(`Backend: ${label}${why}`);
        const ports = backend instanceof SimBackend ? await backend.ports() : env.ports;
        const result = await runSmoke({ ports, progress });
        out.out(
          `Teste rápido passou: Marathon em ${seconds(result.marathonMs)}, Chronos em ${seconds(result.chronosMs)}.`,
        );
        return 0;
      }
      case 'images': {
        // Image archives only make sense for the real stack; the simulator has no images.
        const { action, file } = args.images!;
        const engine = await dockerEngineAnswers();
        if (!engine.ok) {
          throw new LabError(
            'Guardar e carregar imagens precisa do Docker, e ele não respondeu. ' +
              'Inicie o Docker (ou o Docker Desktop) e tente de novo; o simulador não usa imagens.',
            engine.reason,
          );
        }
        if (action === 'save') {
          const saved = await saveImages(file, { progress: (l) => out.out(l), root, env: processEnv });
          out.out(`${MARK.ok} ${saved.images.length} imagens gravadas em ${saved.file}.`);
        } else {
          const loaded = await loadImages(file, { progress: (l) => out.out(l), root, env: processEnv });
          out.out(`${MARK.ok} ${loaded.loaded.length} imagens carregadas.`);
          if (loaded.missing.length) {
            throw new LabError(
              `Faltam imagens no arquivo: ${loaded.missing.join(', ')}. Peça ao professor o arquivo completo.`,
            );
          }
        }
        return 0;
      }
      case 'logs': {
        const text = await backend.logs(args.service, args.lines);
        out.out(text === '' ? 'Nenhuma linha de log ainda.' : text);
        return 0;
      }
    }
  } catch (e) {
    return printError(e, out);
  }
}
