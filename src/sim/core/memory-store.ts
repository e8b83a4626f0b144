// A Store kept in memory, for a simulator without persistence (the embedded cluster when no state
// folder is given) and for tests. Values are kept as JSON text, so what comes back is a copy, as from
// the file store; setting undefined removes the key (JSON has no undefined).
import type { Store } from './service.ts';

export class MemoryStore implements Store {
  private readonly data = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const v = this.data.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  set(key: string, value: unknown): void {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.stringify(value));
  }
  delete(key: string): void {
    this.data.delete(key);
  }
  keys(prefix: string): string[] {
    return [...this.data.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}
