// Can the cluster ever place an app with these Marathon constraints? A small model of Marathon 1.3.6's
// placement rules (shared spec marathon-1.3.6.md §4.7), enough to tell a student's impossible
// constraint from a possible one. Resources are not considered.

export interface PlacementAgent {
  hostname: string;
  attributes: Record<string, string | number>;
}

function fieldValue(agent: PlacementAgent, field: string): string | undefined {
  if (field === 'hostname') return agent.hostname;
  const v = agent.attributes[field];
  return v === undefined ? undefined : String(v);
}

function fullMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
}

/** True when some placement of `instances` tasks satisfies every constraint. */
export function constraintsSatisfiable(
  constraints: string[][],
  agents: PlacementAgent[],
  instances: number,
): boolean {
  let candidates = agents;
  for (const [field, op, value] of constraints) {
    candidates = candidates.filter((a) => {
      const v = fieldValue(a, field);
      if (op === 'UNLIKE') return v === undefined || !fullMatch(value ?? '', v);
      if (v === undefined) return false;
      if (op === 'CLUSTER') return value === undefined || value === '' || v === value;
      if (op === 'LIKE') return fullMatch(value ?? '', v);
      return true;
    });
  }
  if (instances > 0 && candidates.length === 0) return false;
  for (const [field, op, value] of constraints) {
    const distinct = new Set(candidates.map((a) => fieldValue(a, field)).filter((v) => v !== undefined)).size;
    if (op === 'UNIQUE' && distinct < instances) return false;
    if (op === 'MAX_PER' && distinct * Number(value ?? 0) < instances) return false;
    if (op === 'CLUSTER' && (value === undefined || value === '') && field !== 'hostname' && distinct === 0)
      return false;
  }
  return true;
}
