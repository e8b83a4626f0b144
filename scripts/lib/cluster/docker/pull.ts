// Images: pulled one at a time with progress (a classroom behind one address shares Docker Hub's limit of
// 10 anonymous pulls per hour, so a failure must show early and clearly), and one archive of every image for
// rooms without internet (`cluster -- images save|load`).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../backend.ts';
import { kitRoot } from './compose.ts';
import { kitEnv } from '../../env.ts';
import { explainPullFailure } from './explain.ts';
import { imageRefs, PLATFORM } from './images.ts';
import { runDocker, type DockerResult, type RunOptions } from './run.ts';

export type DockerRunner = (args: readonly string[], options?: RunOptions) => Promise<DockerResult>;

export interface ImageOptions {
  docker?: DockerRunner;
  progress?: (line: string) => void;
  root?: string;
  env?: NodeJS.ProcessEnv;
}

function lastLines(text: string, n = 6): string {
  return text.trim().split(/\r?\n/).slice(-n).join('\n');
}

export async function imagePresent(docker: DockerRunner, ref: string): Promise<boolean> {
  const r = await docker(['image', 'inspect', '--format', '{{.Id}}', ref], { timeoutMs: 15_000 });
  return r.code === 0;
}

/** Pulls one image, printing layer progress; throws a LabError with the Portuguese explanation on failure. */
export async function pullImage(
  ref: string,
  options: { docker: DockerRunner; progress: (line: string) => void; index?: number; total?: number },
): Promise<void> {
  const { docker, progress } = options;
  const counter = options.total ? ` (${options.index ?? 1} de ${options.total})` : '';
  progress(`Baixando a imagem ${ref}${counter}…`);
  const layers = new Set<string>();
  const done = new Set<string>();
  const r = await docker(['pull', '--platform', PLATFORM, ref], {
    onLine: (line) => {
      const m = /^([0-9a-f]{12}): (.+)$/.exec(line.trim());
      if (!m) return;
      layers.add(m[1]);
      if (/^(Pull complete|Already exists)/.test(m[2]) && !done.has(m[1])) {
        done.add(m[1]);
        progress(`  ${ref}: ${done.size} de ${layers.size} camadas prontas`);
      }
    },
  });
  if (r.code === 0) {
    progress(`  ${ref}: pronta`);
    return;
  }
  const output = `${r.stdout}\n${r.stderr}`;
  const why = explainPullFailure(output, ref);
  if (why) throw new LabError(`${why.message}\n${why.action}`, lastLines(r.stderr || r.stdout));
  throw new LabError(
    `Não foi possível baixar a imagem ${ref}. Confira a conexão com a internet ou carregue o pacote offline (\`npm run cluster -- images load mesos-lab-images.tar\`).`,
    lastLines(r.stderr || r.stdout),
  );
}

/** Pulls, one at a time, the images that are not present yet. Returns the ones it pulled. */
export async function pullMissing(refs: readonly string[], options: ImageOptions = {}): Promise<string[]> {
  const docker = options.docker ?? ((a, o) => runDocker(a, { env: options.env, ...o }));
  const progress = options.progress ?? (() => {});
  const missing: string[] = [];
  for (const ref of refs) if (!(await imagePresent(docker, ref))) missing.push(ref);
  for (const [i, ref] of missing.entries()) {
    await pullImage(ref, { docker, progress, index: i + 1, total: missing.length });
  }
  return missing;
}

function refsFor(options: ImageOptions): string[] {
  return imageRefs(kitEnv(options.root ?? kitRoot(), options.env ?? process.env));
}

/** `cluster -- images save <file>`: one archive with every image of the stack (pulling what is missing). */
export async function saveImages(
  file: string,
  options: ImageOptions = {},
): Promise<{ file: string; images: string[] }> {
  const docker = options.docker ?? ((a, o) => runDocker(a, { env: options.env, ...o }));
  const progress = options.progress ?? ((l: string) => console.log(l));
  const refs = refsFor(options);
  await pullMissing(refs, { ...options, docker, progress });
  const target = path.resolve(file);
  progress(`Gravando ${refs.length} imagens em ${target} (alguns GB; pode levar minutos)…`);
  const r = await docker(['save', '-o', target, ...refs]);
  if (r.code !== 0) {
    const space = /no space left on device/i.test(r.stderr);
    throw new LabError(
      space
        ? `Não há espaço em disco para gravar ${target}. Libere espaço ou escolha outro lugar.`
        : `Não foi possível gravar o pacote de imagens em ${target}.`,
      lastLines(r.stderr),
    );
  }
  progress(
    `Pronto: ${target}. Nos outros computadores: \`npm run cluster -- images load ${path.basename(target)}\`.`,
  );
  return { file: target, images: refs };
}

/** `cluster -- images load <file>`: loads the archive and says whether every image of the stack is now present. */
export async function loadImages(
  file: string,
  options: ImageOptions = {},
): Promise<{ loaded: string[]; missing: string[] }> {
  const docker = options.docker ?? ((a, o) => runDocker(a, { env: options.env, ...o }));
  const progress = options.progress ?? ((l: string) => console.log(l));
  const source = path.resolve(file);
  if (!existsSync(source)) {
    throw new LabError(
      `O arquivo ${source} não existe. Confira o caminho do pacote de imagens da disciplina (por exemplo \`mesos-lab-images.tar\`).`,
    );
  }
  progress(`Carregando as imagens de ${source}…`);
  const r = await docker(['load', '-i', source]);
  if (r.code !== 0) {
    throw new LabError(
      `Não foi possível carregar ${source}: o arquivo parece incompleto ou não é um pacote de imagens do Docker. Baixe-o de novo.`,
      lastLines(r.stderr),
    );
  }
  const loaded = [...r.stdout.matchAll(/^Loaded image(?: ID)?: (.+)$/gm)].map((m) => m[1].trim());
  for (const ref of loaded) progress(`  carregada: ${ref}`);
  const missing: string[] = [];
  for (const ref of refsFor(options)) if (!(await imagePresent(docker, ref))) missing.push(ref);
  if (missing.length) {
    progress(
      `Atenção: o pacote não tinha ${missing.join(', ')}; \`npm run cluster -- up\` vai tentar baixá-las.`,
    );
  } else progress('Todas as imagens do cluster estão no seu Docker.');
  return { loaded, missing };
}
