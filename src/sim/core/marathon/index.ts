// Marathon 1.3.6 as a framework service of the simulated cluster.
//
// Health checks: HTTP, HTTPS and TCP checks are run by Marathon itself through the injected
// prober (ServiceContext.probe), as the real Marathon runs them from its own process. COMMAND
// checks are run through the same prober's `command` (sh -c on 127.0.0.1 with the task's
// environment) and judged by Marathon's own rules; on the real stack the Mesos executor runs
// them inside the task's sandbox and reports the result in status updates. What a student sees
// (healthCheckResults, tasksHealthy/tasksUnhealthy, kill and replacement) is the same; the
// command's working directory is not the task sandbox. Without a prober every check passes.
import type { FrameworkFactory, FrameworkService } from '../service.ts';
import { createMarathonApi } from './http.ts';
import { Marathon, type MarathonOptions } from './marathon.ts';

export { Marathon } from './marathon.ts';
export { checkAppDefinition, readApp } from './validate.ts';

function connectionRefused(): Response {
  return new Response('Marathon está parado.\n', { status: 503, headers: { 'Content-Type': 'text/plain' } });
}

export function createMarathonWith(options: MarathonOptions): FrameworkFactory {
  return (ctx) => {
    const core = new Marathon(ctx, options);
    const api = createMarathonApi(core);
    const service: FrameworkService & { core: Marathon } = {
      name: 'marathon',
      core,
      start: () => core.start(),
      stop: () => core.stop(),
      get running() {
        return core.running;
      },
      fetch: (request: Request) => (core.running ? api.fetch(request) : connectionRefused()),
    };
    return service;
  };
}

export const createMarathon: FrameworkFactory = createMarathonWith({});
