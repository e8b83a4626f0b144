// Durable state of the simulator on disk: what the real stack keeps in ZooKeeper (Marathon apps,
// Chronos jobs, the znode tree). Every write is atomic (a temporary file, fsync, then rename), so a
// crash leaves either the old file or the new one, never half of each. Writes are debounced: many
// changes in a burst cost one write.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { Store } from '../core/service.ts';

/** Writes `text` to `file` atomically. */
export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** Reads a JSON file; undefined when it is missing or unreadable (a damaged file is set aside). */
export function readJsonFile<T>(file: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    // Keep the damaged file for whoever investigates, start empty.
    try {
      renameSync(file, `${file}.damaged`);
    } catch {
      // nothing else to do
    }
    return undefined;
  }
}

/** A value written to one file, debounced. `flush()` writes now if something is pending. */
export class DebouncedJsonFile {
  private timer: NodeJS.Timeout | undefined;
  private pending: (() => unknown) | undefined;
  writes = 0;

  constructor(
    readonly file: string,
    private readonly delayMs = 100,
  ) {}

  /** Schedules a write of whatever `produce()` returns when the write happens. */
  schedule(produce: () => unknown): void {
    this.pending = produce;
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.delayMs);
    this.timer.unref?.();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const produce = this.pending;
    this.pending = undefined;
    if (!produce) return;
    writeFileAtomic(this.file, JSON.stringify(produce(), null, 1) + '\n');
    this.writes++;
  }

  /** Drops any pending write (used by reset). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }
}

/** The Store services use, kept in one JSON file. */
export class FileStore implements Store {
  private readonly data = new Map<string, unknown>();
  private readonly out: DebouncedJsonFile;

  constructor(
    readonly file: string,
    delayMs = 100,
  ) {
    this.out = new DebouncedJsonFile(file, delayMs);
    const saved = readJsonFile<Record<string, unknown>>(file);
    if (saved && typeof saved === 'object') {
      for (const [k, v] of Object.entries(saved)) this.data.set(k, v);
    }
  }

  get<T>(key: string): T | undefined {
    const v = this.data.get(key);
    // A copy, so a caller mutating what it read does not change the store behind its back.
    return v === undefined ? undefined : (structuredClone(v) as T);
  }

  set(key: string, value: unknown): void {
    if (value === undefined) return this.delete(key);
    this.data.set(key, JSON.parse(JSON.stringify(value)));
    this.changed();
  }

  delete(key: string): void {
    if (this.data.delete(key)) this.changed();
  }

  keys(prefix: string): string[] {
    return [...this.data.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  flush(): void {
    this.out.flush();
  }

  get writes(): number {
    return this.out.writes;
  }

  /** Forgets everything and removes the file. */
  wipe(): void {
    this.out.cancel();
    this.data.clear();
    rmSync(this.file, { force: true });
  }

  private changed(): void {
    this.out.schedule(() =>
      Object.fromEntries([...this.data.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
    );
  }
}
