// The background simulator starts from one JavaScript bundle built with esbuild and kept in the
// state folder: loading it costs a fraction of the CPU and memory of compiling the TypeScript
// sources on the fly with tsx. The bundle is rebuilt when any of its sources changed; when it
// cannot be built, the simulator starts through tsx as before.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readJsonFile, writeFileAtomic } from '../../../../src/sim/node/file-store.ts';

export const DAEMON_SCRIPT = path.join('scripts', 'sim-daemon.mts');

interface BundleMeta {
  node: string;
  esbuild: string;
  /** Every input file (absolute) and its mtime when the bundle was built. */
  inputs: Record<string, number>;
}

function mtime(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function upToDate(meta: BundleMeta | undefined, bundle: string): boolean {
  if (!meta || meta.node !== process.version || mtime(bundle) === undefined) return false;
  return Object.entries(meta.inputs).every(([file, t]) => mtime(file) === t);
}

/** Node arguments that start the simulator: the bundle when it can be had, else tsx on the sources. */
export async function daemonCommand(
  root: string,
  simDir: string,
): Promise<{ args: string[]; bundled: boolean; error?: string }> {
  const bundle = path.join(simDir, 'daemon.mjs');
  const metaFile = path.join(simDir, 'daemon.inputs.json');
  const viaTsx = () => {
    const tsx = pathToFileURL(createRequire(path.join(root, 'package.json')).resolve('tsx')).href;
    return ['--import', tsx, path.join(root, DAEMON_SCRIPT)];
  };
  if (process.env.LAB_SIM_NO_BUNDLE === '1') return { args: viaTsx(), bundled: false };
  try {
    if (!upToDate(readJsonFile<BundleMeta>(metaFile), bundle)) {
      const esbuild = (await import('esbuild')) as typeof import('esbuild');
      const result = await esbuild.build({
        absWorkingDir: root,
        entryPoints: [DAEMON_SCRIPT],
        outfile: bundle,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: `node${process.versions.node.split('.')[0]}`,
        metafile: true,
        logLevel: 'silent',
        // Some dependencies are CommonJS and call require(); give the ES module one.
        banner: {
          js: "import { createRequire as __labRequire } from 'node:module'; const require = __labRequire(import.meta.url);",
        },
      });
      const inputs: Record<string, number> = {};
      for (const input of Object.keys(result.metafile.inputs)) {
        const file = path.resolve(root, input);
        const t = mtime(file);
        if (t !== undefined) inputs[file] = t;
      }
      writeFileAtomic(
        metaFile,
        JSON.stringify({ node: process.version, esbuild: esbuild.version, inputs }) + '\n',
      );
    }
    return { args: [bundle], bundled: true };
  } catch (e) {
    return { args: viaTsx(), bundled: false, error: (e as Error).message };
  }
}
