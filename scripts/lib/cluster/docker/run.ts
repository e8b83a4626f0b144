// Runs the `docker` client as a child process. Every call the kit makes to Docker goes through here,
// so tests can put a fake `docker` first on PATH and assert the exact commands issued.
import { spawn } from 'node:child_process';

export interface DockerResult {
  /** Exit code; -1 when the process could not start or was killed on timeout. */
  code: number;
  stdout: string;
  stderr: string;
  /** No `docker` executable on PATH. */
  notFound: boolean;
  timedOut: boolean;
}

export interface RunOptions {
  timeoutMs?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called with each complete line of stdout and stderr as it arrives (pull progress). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** The executable to run; `LAB_DOCKER` lets an instructor point at another client binary. */
export function dockerCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.LAB_DOCKER && env.LAB_DOCKER.trim() !== '' ? env.LAB_DOCKER : 'docker';
}

export function runDocker(args: readonly string[], options: RunOptions = {}): Promise<DockerResult> {
  const env = options.env ?? process.env;
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    const pending = { stdout: '', stderr: '' };
    let timedOut = false;
    let settled = false;
    const finish = (r: DockerResult) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      resolve(r);
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(dockerCommand(env), [...args], {
        cwd: options.cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (err) {
      finish({ code: -1, stdout: '', stderr: String(err), notFound: true, timedOut: false });
      return;
    }
    const feed = (stream: 'stdout' | 'stderr', chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (stream === 'stdout') stdout += text;
      else stderr += text;
      if (!options.onLine) return;
      // Docker redraws progress with carriage returns; treat them as line ends too.
      const parts = (pending[stream] + text).split(/\r\n|\n|\r/);
      pending[stream] = parts.pop() ?? '';
      for (const line of parts) if (line.trim() !== '') options.onLine(line, stream);
    };
    child.stdout?.on('data', (c: Buffer) => feed('stdout', c));
    child.stderr?.on('data', (c: Buffer) => feed('stderr', c));
    const timer =
      options.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs)
        : undefined;
    child.on('error', (err: NodeJS.ErrnoException) => {
      finish({
        code: -1,
        stdout,
        stderr: stderr + String(err.message),
        notFound: err.code === 'ENOENT',
        timedOut,
      });
    });
    child.on('close', (code) => {
      if (options.onLine) {
        for (const s of ['stdout', 'stderr'] as const) {
          if (pending[s].trim() !== '') options.onLine(pending[s], s);
        }
      }
      finish({ code: timedOut ? -1 : (code ?? -1), stdout, stderr, notFound: false, timedOut });
    });
  });
}
