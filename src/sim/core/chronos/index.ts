// Chronos 3.0.1 as a service of the simulated cluster: `createChronos` is its FrameworkFactory.
import type { FrameworkFactory, FrameworkService } from '../service.ts';
import { createChronosApp } from './http.ts';
import { ChronosScheduler, DEFAULT_CONFIG, type ChronosConfig } from './scheduler.ts';

export { ChronosScheduler, DEFAULT_CONFIG, taskIdFor, parseTaskId, lastState } from './scheduler.ts';
export type { ChronosConfig } from './scheduler.ts';
export * from './iso8601.ts';
export { readJob, writeJob, isValidJobName, INVALID_NAME_MESSAGE, type Job } from './model.ts';

/** Creates Chronos with the course stack's flags (or overrides, e.g. a shorter --failure_retry in tests). */
export function createChronosWith(config: Partial<ChronosConfig> = {}): FrameworkFactory {
  return (ctx) => {
    const scheduler = new ChronosScheduler(ctx.clock, ctx.master, ctx.store, ctx.zk, ctx.log, {
      ...DEFAULT_CONFIG,
      ...config,
    });
    const app = createChronosApp(scheduler, () => ctx.clock.now());
    const service: FrameworkService & { scheduler: ChronosScheduler } = {
      name: 'chronos',
      start: () => scheduler.start(),
      stop: () => scheduler.stop(),
      get running() {
        return scheduler.running;
      },
      fetch: (request) => app.fetch(request),
      scheduler,
    };
    return service;
  };
}

export const createChronos: FrameworkFactory = createChronosWith();
