// Every lab of the kit, in order. Isomorphic: the commands, grading and the site import this.
import type { LabDefinition, LabId } from '../src/labs/types.ts';
import { lab01 } from './01-o-cluster-por-dentro/lab.ts';
import { lab02 } from './02-servicos-com-marathon/lab.ts';
import { lab03 } from './03-tarefas-agendadas-com-chronos/lab.ts';
import { lab04 } from './04-falhas-e-recuperacao/lab.ts';
import { lab05 } from './05-um-pipeline-de-dados/lab.ts';

export const LABS: readonly LabDefinition[] = [lab01, lab02, lab03, lab04, lab05];

export function findLab(id: string): LabDefinition | undefined {
  const norm = id.padStart(2, '0');
  return LABS.find((l) => l.id === norm);
}

export function labById(id: LabId): LabDefinition {
  const lab = findLab(id);
  if (!lab) throw new Error(`unknown lab ${id}`);
  return lab;
}
