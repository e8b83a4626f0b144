// The frameworks the simulator runs, in start order.
import { createChronos } from '../core/chronos/index.ts';
import { createMarathon } from '../core/marathon/index.ts';
import type { FrameworkFactory } from '../core/service.ts';

export interface NamedFramework {
  name: 'marathon' | 'chronos';
  create: FrameworkFactory;
}

export function defaultFrameworks(): NamedFramework[] {
  return [
    { name: 'marathon', create: createMarathon },
    { name: 'chronos', create: createChronos },
  ];
}
