// The frameworks the simulator runs, in start order. Each lands with its own issue.
import type { FrameworkFactory } from '../core/service.ts';

export interface NamedFramework {
  name: 'marathon' | 'chronos';
  create: FrameworkFactory;
}

export function defaultFrameworks(): NamedFramework[] {
  return [];
}
