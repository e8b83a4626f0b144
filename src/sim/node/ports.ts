// Ports of the simulated cluster: checked before anything binds, so a taken port stops `cluster up`
// with a message a student can act on and nothing half-started.
import { connect, createServer } from 'node:net';
import { SERVICE_PORTS, type Ports, type ServiceName } from '../../cluster/topology.ts';
import { LabError } from '../../../scripts/lib/cluster/backend.ts';

export const LOOPBACK = '127.0.0.1';

/** Whether something accepts connections on host:port. */
function answers(port: number, host: string, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (yes: boolean) => {
      socket.destroy();
      resolve(yes);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Resolves undefined when host:port is free, else the reason as a bind-style error. A program
 *  listening on all interfaces counts as taking the port even where the system would let us bind
 *  127.0.0.1 beside it (macOS), since connections to 127.0.0.1 would then be split between the two. */
export async function probePort(port: number, host = LOOPBACK): Promise<NodeJS.ErrnoException | undefined> {
  if (await answers(port, host)) {
    return Object.assign(new Error(`something already accepts connections on ${host}:${port}`), {
      code: 'EADDRINUSE',
    });
  }
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

function describe(service: ServiceName) {
  const p = SERVICE_PORTS.find((s) => s.service === service)!;
  const example = p.defaultPort + 10000 <= 65535 ? p.defaultPort + 10000 : p.defaultPort + 1;
  return { label: p.label, envVar: p.envVar, example };
}

/** The Portuguese error for a port a service cannot bind. */
export function portError(service: ServiceName, port: number, error?: NodeJS.ErrnoException): LabError {
  const { label, envVar, example } = describe(service);
  const fix = `escolha outra no arquivo .env (por exemplo ${envVar}=${example})`;
  if (error?.code === 'EACCES') {
    return new LabError(
      `O sistema não permite usar a porta ${port}, então o ${label} não pode subir. Escolha outra porta no arquivo .env (por exemplo ${envVar}=${example}).`,
      error.message,
    );
  }
  if (error && error.code !== 'EADDRINUSE') {
    return new LabError(
      `Não foi possível abrir a porta ${port} para o ${label}. Feche o programa que usa a porta ou ${fix}.`,
      error.message,
    );
  }
  return new LabError(
    `A porta ${port} já está em uso por outro programa, então o ${label} não pode subir. Feche o programa que usa a porta ou ${fix}.`,
    error?.message,
  );
}

/** Throws a LabError for the first service whose port is taken (or shared with another service). */
export async function assertPortsFree(ports: Partial<Ports>, host = LOOPBACK): Promise<void> {
  const seen = new Map<number, ServiceName>();
  for (const { service } of SERVICE_PORTS) {
    const port = ports[service];
    if (port === undefined || port === 0) continue;
    const other = seen.get(port);
    if (other) {
      const a = describe(other);
      const b = describe(service);
      throw new LabError(
        `O ${a.label} e o ${b.label} estão configurados na mesma porta ${port}. ` +
          `Mude uma delas no arquivo .env (${a.envVar} ou ${b.envVar}).`,
      );
    }
    seen.set(port, service);
    const error = await probePort(port, host);
    if (error) throw portError(service, port, error);
  }
}
