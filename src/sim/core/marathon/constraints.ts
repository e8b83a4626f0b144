// Placement constraints at offer time (mesosphere/mesos/Constraints.scala in 1.3.6).
import type { Offer } from '../mesos/api.ts';
import type { Constraint } from './model.ts';

/** What a constraint needs to know about a task already placed. */
export interface PlacedTask {
  hostname: string;
  attributes: Record<string, string>;
}

function valueOf(field: string, hostname: string, attributes: Record<string, string>): string | undefined {
  return field === 'hostname' ? hostname : attributes[field];
}

function fullMatch(value: string, regex: string): boolean {
  try {
    return new RegExp(`^(?:${regex})$`).test(value);
  } catch {
    return false;
  }
}

function groupCounts(field: string, placed: readonly PlacedTask[]): Map<string | undefined, number> {
  const counts = new Map<string | undefined, number>();
  for (const t of placed) {
    const v = valueOf(field, t.hostname, t.attributes);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

/** Whether an offer satisfies one constraint, given the app's tasks already placed. */
export function meetsConstraint(
  offer: Offer,
  placed: readonly PlacedTask[],
  constraint: Constraint,
): boolean {
  const [field, op, value] = constraint;
  const offerValue = valueOf(field, offer.hostname, offer.attributes);
  if (offerValue === undefined) return op === 'UNLIKE';
  const placedValues = placed.map((t) => valueOf(field, t.hostname, t.attributes));
  switch (op) {
    case 'UNIQUE':
      return !placedValues.includes(offerValue);
    case 'CLUSTER':
      // hostname with an empty value: the first host wins and the others follow it.
      if (value === undefined || value === '')
        return placedValues.length === 0 || placedValues.includes(offerValue);
      return offerValue === value;
    case 'LIKE':
      return value !== undefined && fullMatch(offerValue, value);
    case 'UNLIKE':
      return value === undefined || !fullMatch(offerValue, value);
    case 'GROUP_BY': {
      const minGroups = value === undefined || value === '' ? 1 : Number(value);
      const counts = groupCounts(field, placed);
      if (!counts.has(offerValue)) return true;
      const min = Math.min(...counts.values());
      return counts.size >= minGroups && counts.get(offerValue) === min;
    }
    case 'MAX_PER': {
      const max = Number(value);
      // 1.3.6 quirk kept on purpose: for attributes it looks the offer's *hostname* up in the
      // attribute-grouped counts, so it never finds a group and accepts the offer.
      const counts = groupCounts(field, placed);
      const key = field === 'hostname' ? offerValue : offer.hostname;
      return (counts.get(key) ?? 0) < max;
    }
  }
  return false;
}

export function meetsConstraints(
  offer: Offer,
  placed: readonly PlacedTask[],
  constraints: readonly Constraint[],
): boolean {
  return constraints.every((c) => meetsConstraint(offer, placed, c));
}

/** On scale-down, which tasks to kill so GROUP_BY stays even: repeatedly take one from the biggest group. */
export function groupByKillOrder<T extends PlacedTask>(
  tasks: readonly T[],
  constraints: readonly Constraint[],
  n: number,
): T[] {
  const groupBy = constraints.find((c) => c[1] === 'GROUP_BY');
  if (!groupBy) return [];
  const field = groupBy[0];
  const groups = new Map<string | undefined, T[]>();
  for (const t of tasks) {
    const v = valueOf(field, t.hostname, t.attributes);
    groups.set(v, [...(groups.get(v) ?? []), t]);
  }
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    let biggest: T[] | undefined;
    for (const g of groups.values()) if (g.length > 0 && (!biggest || g.length > biggest.length)) biggest = g;
    if (!biggest) break;
    out.push(biggest.pop()!);
  }
  return out;
}
